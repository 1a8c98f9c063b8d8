import pytest

from articles.importing import JUNK_PATTERNS, ParsedArticle, article_from_text, clean_text, content_hash
from articles.importing.cleaning import matching_pattern, readable_title

# Every row of JUNK_PATTERNS has lines it must catch; test_every_pattern_has_examples keeps it so.
JUNK_EXAMPLES = {
    "share_widget": [
        "Print Friendly, PDF & Email",
        "Share this:",
        "Click to share on Twitter (Opens in new window)",
        "Click to share on Facebook (Opens in new window)",
        "Share on Facebook",
        "Tweet",
        "Share this: Twitter Facebook",
        "Facebook | Twitter | Email",
        "Like this: Like Loading...",
        "1.2K Shares",
        "Pin it",
    ],
    "newsletter_prompt": [
        "Subscribe to our newsletter",
        "Sign up for our daily newsletter to get the best stories in your inbox.",
        "Join our mailing list",
        "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
        "Get the latest headlines delivered to your inbox",
        "Subscribe now!",
    ],
    "cookie_notice": [
        "We use cookies to ensure that we give you the best experience on our website.",
        "This website uses cookies to improve your experience.",
        "By continuing to use this site, you agree to our use of cookies.",
        "Accept all cookies",
        "Cookie settings",
    ],
    "related_tail": [
        "Related articles",
        "Related",
        "Read more",
        "You may also like",
        "You might also like:",
        "More stories from Reuters",
        "Recommended for you",
    ],
    "ad_marker": [
        "Advertisements",
        "ADVERTISEMENT",
        "Sponsored content",
        "Story continues below advertisement",
        "Continue reading the main story",
        "Click Here!",
        "Click here to donate.",
    ],
    "read_more_link": [
        "READ MORE: Trump says the wall will be built",
        "Related: Senate passes the budget bill",
        "See also » The history of the treaty",
    ],
    # Cut from the end of a paragraph, see test_suffix_patterns_cut_the_junk_and_keep_the_paragraph.
    "share_widget_suffix": [],
}

KEPT_LINES = [
    "He said in a tweet that the vote was rigged.",
    "Tweeting is banned during the session, the speaker said.",
    "Read more about the budget in the minister's report, published on Monday.",
    "Facebook said on Tuesday it would remove the posts.",
    "Subscribers to the paper received a letter in March.",
    "Cookies were served at the reception.",
    "Related costs rose by 4% in 2018 – the highest since 1990.",
    "Share prices fell 3% after the announcement.",
    "The email was sent to 2,500 officers.",
    "Advertisements for the product ran on three channels in May.",
    "Click here, the instructions said, and the money was gone.",
    "Sponsored by the ministry, the study covered 4,000 homes.",
]


def test_every_pattern_has_examples():
    names = [pattern.name for pattern in JUNK_PATTERNS]
    assert len(names) == len(set(names))
    assert set(names) == set(JUNK_EXAMPLES)


@pytest.mark.parametrize(
    ("name", "line"),
    [(name, line) for name, lines in JUNK_EXAMPLES.items() for line in lines],
)
def test_junk_line_is_matched_by_its_pattern(name, line):
    assert matching_pattern(line) == name


@pytest.mark.parametrize(
    ("name", "line"),
    [(name, line) for name, lines in JUNK_EXAMPLES.items() for line in lines if name != "related_tail"],
)
def test_junk_line_is_dropped_from_the_middle_of_a_text(name, line):
    text = f"First paragraph stays.\n\n{line}\n\nSecond paragraph stays too, and it is long enough."
    assert clean_text(text) == "First paragraph stays.\n\nSecond paragraph stays too, and it is long enough."


@pytest.mark.parametrize("line", KEPT_LINES)
def test_ordinary_sentences_are_not_junk(line):
    assert matching_pattern(line) is None
    assert clean_text(f"Intro.\n\n{line}\n\nOutro.") == f"Intro.\n\n{line}\n\nOutro."


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        (
            "In the next article, we list the assets. Print Friendly, PDF & Email",
            "In the next article, we list the assets.",
        ),
        ("It ended there.Print Friendly, PDF & Email", "It ended there."),
        ("“We won,” he said. Share this: Like this:", "“We won,” he said."),
        (
            "Done! Click to share on Twitter (Opens in new window) Click to share on Facebook (Opens in new window)",
            "Done!",
        ),
        # Not after a finished sentence: nothing is cut.
        ("He clicked print friendly pdf & email", "He clicked print friendly pdf & email"),
    ],
)
def test_suffix_patterns_cut_the_junk_and_keep_the_paragraph(paragraph, kept):
    assert clean_text(f"Opening paragraph.\n\n{paragraph}") == f"Opening paragraph.\n\n{kept}"


def test_related_tail_near_the_end_drops_everything_after_it():
    body = "\n\n".join(f"Paragraph {n} of the story, with enough words to weigh something." for n in range(6))
    text = f"{body}\n\nRelated articles\n\nOther story one\n\nOther story two"
    assert clean_text(text) == body


def test_related_heading_far_from_the_end_only_loses_its_own_line():
    tail = "\n\n".join(f"Paragraph {n} of the story, with enough words to weigh something." for n in range(6))
    assert clean_text(f"Lead paragraph.\n\nRead more\n\n{tail}") == f"Lead paragraph.\n\n{tail}"


def test_byline_repeating_the_author_is_dropped():
    assert clean_text("By John Smith\n\nThe body.", author="John Smith") == "The body."
    assert clean_text("By JOHN SMITH, Reuters\n\nThe body.", author="John Smith") == "The body."


def test_byline_of_someone_else_or_without_author_is_kept():
    assert clean_text("By Jane Doe\n\nThe body.", author="John Smith") == "By Jane Doe\n\nThe body."
    assert clean_text("By John Smith\n\nThe body.") == "By John Smith\n\nThe body."


def test_normalisation_keeps_quotes_dashes_and_digits():
    text = "“Quoted” – it’s 3.5% — café\u00a0au\u00a0lait…  and\ttabs"
    assert clean_text(text) == "“Quoted” – it’s 3.5% — café au lait… and tabs"


def test_entities_are_decoded():
    assert clean_text("Tom &amp; Jerry&nbsp;said&#8217;s &quot;hi&quot; &lt;b&gt;") == 'Tom & Jerry said’s "hi" <b>'


def test_unicode_is_composed_nfc():
    assert clean_text("cafe\u0301") == "caf\u00e9"


def test_invisible_and_control_characters_go():
    assert clean_text("a\u200bb\x00c\ufeffd\x07e") == "abcde"


def test_three_or_more_newlines_are_one_paragraph_break_and_lines_are_stripped():
    assert clean_text("  one  \n\n\n\n\n   two   \r\n\r\n\r\nthree") == "one\n\ntwo\n\nthree"


def test_single_line_breaks_inside_a_paragraph_become_spaces():
    assert clean_text("a wrapped\nline here\n\nnext paragraph") == "a wrapped line here\n\nnext paragraph"


def test_text_without_blank_lines_has_one_paragraph_per_line():
    assert clean_text("one\ntwo\rthree") == "one\n\ntwo\n\nthree"


def test_list_items_stay_separate_paragraphs():
    assert clean_text("Intro:\n- first\n- second\n\nEnd.") == "Intro:\n\n- first\n\n- second\n\nEnd."


def test_cleaning_is_idempotent():
    text = "Title-ish line\n\n“Body” – with junk.\n\nShare this:\n\nRelated articles\n\nx"
    once = clean_text(text)
    assert clean_text(once) == once


def test_article_from_text_reads_title_line_and_body():
    article = article_from_text("The Title\n\nFirst paragraph.\n\nSecond.", fallback_title="file.txt")
    assert article == ParsedArticle(title="The Title", body="First paragraph.\n\nSecond.")


@pytest.mark.parametrize(
    "text",
    [
        "This is just a sentence.\n\nAnd another one.",  # first line is a sentence, not a title
        "One block of text\nwithout a blank line after the first line.",
        "Only one line",
    ],
)
def test_article_from_text_without_title_line_uses_the_file_name(text):
    article = article_from_text(text, fallback_title="folder/covid_vaccine-report.txt")
    assert article.title == "Covid vaccine report"
    assert article.body.startswith(text.split("\n")[0])


def test_markdown_heading_becomes_the_title():
    article = article_from_text("# A heading\n\nBody.", fallback_title="x.md", markdown=True)
    assert article.title == "A heading"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("a.txt", "A"),
        ("batch.zip/dir/My_File.html", "My File"),
        ("2019-03-01 report.md", "2019 03 01 report"),
        (".txt", "Untitled"),
    ],
)
def test_readable_title(name, title):
    assert readable_title(name) == title


def test_content_hash_ignores_case_punctuation_variants_and_wrapping():
    a = ParsedArticle(title="A", body="It’s “quoted” – really.\n\nSecond paragraph.")
    b = ParsedArticle(title="B", body='it\'s "QUOTED" - really\nSecond   paragraph')
    c = ParsedArticle(title="A", body="It’s quoted – not really.")
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(c)
    assert len(content_hash(a)) == 64
