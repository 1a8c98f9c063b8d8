import io
import json
import zipfile
from datetime import date

import pytest

from articles.importing import ImportLimits, article_from_html, read_upload
from tests.conftest import SEED_SAMPLE, SHARED, skip_unless_shared

FAKENEWS = SHARED / "data" / "news" / "fakenewscorpus_sample.csv"

HTML = """<!doctype html><html><head><title>Page title | Site</title>
<meta property="og:title" content="Council approves the new bridge">
<meta property="og:site_name" content="Riverside Gazette">
<meta name="author" content="Ana Lopes">
<meta property="article:published_time" content="2021-05-04T09:00:00Z">
<link rel="canonical" href="https://gazette.example/news/bridge">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council approves the new bridge</h1>
<p>The city council voted 7 to 2 on Tuesday to approve the new bridge across the river, ending a debate
that lasted more than three years and divided residents of both banks.</p>
<p>Construction is expected to start in the spring and to cost 14.5 million euros, the mayor said,
adding that the old ferry will keep running until the bridge opens.</p>
<p>Opponents said they would challenge the decision in court, arguing that the environmental study was
incomplete and that the river’s wildlife had not been surveyed.</p>
</article><footer>Share this: Twitter Facebook</footer></body></html>""".encode()


def one(items):
    assert len(items) == 1, items
    return items[0]


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def fakenews_bytes() -> bytes:
    skip_unless_shared(FAKENEWS)  # skips in development, fails in CI, when ../shared is missing
    return FAKENEWS.read_bytes()


def test_seed_sample_reads_title_and_clean_body(seed_bytes):
    item = one(read_upload(SEED_SAMPLE.name, seed_bytes))
    assert item.kind == "txt"
    assert item.article.title == "Beaten in Damascus by Israel’s Raids, Soleimani and his HQ Retreat to Aleppo"
    assert "Print Friendly" not in item.article.body
    assert item.article.body.startswith("Prime Minister Binyamin Netanyahu has finally got")
    assert item.article.body.endswith("we list the formidable military assets relocated in the move.")
    assert "\n\n\n" not in item.article.body
    assert item.raw == seed_bytes


def test_fakenewscorpus_sample_imports_every_row(fakenews_bytes):
    items = read_upload("fakenews.csv", fakenews_bytes)
    assert len(items) == 250
    assert all(item.ok for item in items), [item.error for item in items if not item.ok][:3]
    first = items[0]
    assert first.name == "fakenews.csv#row 2"
    assert first.article.title.startswith("Church Congregation Brings Gift to Waitresses")
    assert first.article.author == "Ruth Harris"
    assert first.article.site_name == "awm.com"
    assert first.source_url == first.article.url.strip()
    assert json.loads(first.raw)["id"] == "141"


@pytest.mark.parametrize("name", ["a.txt", "a.text", "a.md", "A.TXT"])
def test_text_file(name):
    item = one(read_upload(name, "Title here\n\nBody – “text”.".encode()))
    assert item.kind == "txt"
    assert (item.article.title, item.article.body) == ("Title here", "Body – “text”.")


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_html_file(name):
    item = one(read_upload(name, HTML))
    article = item.article
    assert item.kind == "html"
    assert article.title == "Council approves the new bridge"
    assert article.body.count("\n\n") == 2
    assert "voted 7 to 2" in article.body and "Share this" not in article.body and "Home" not in article.body
    assert article.author == "Ana Lopes"
    assert article.site_name == "Riverside Gazette"
    assert article.published == date(2021, 5, 4)
    assert article.url == "https://gazette.example/news/bridge"
    assert item.source_url == article.url


def test_html_without_text_raises_extraction_error():
    from articles.importing import ExtractionError

    with pytest.raises(ExtractionError, match="No article text"):
        article_from_html(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_json_object_list_and_wrapper():
    record = {
        "Title": "T1",
        "TEXT": "Body one.",
        "Link": "https://x.example/1",
        "Authors": ["A", "B"],
        "published_at": "2020-01-02T03:04:05Z",
        "Source": {"name": "X News"},
        "extra": [1, 2],
    }
    item = one(read_upload("one.json", json.dumps(record).encode()))
    assert item.article.title == "T1" and item.article.body == "Body one."
    assert item.article.url == "https://x.example/1" and item.source_url == "https://x.example/1"
    assert item.article.author == "A, B" and item.article.site_name == "X News"
    assert item.article.published == date(2020, 1, 2)

    items = read_upload("many.json", json.dumps([{"text": "One."}, {"body": "Two."}]).encode())
    assert [i.name for i in items] == ["many.json#item 1", "many.json#item 2"]
    assert [i.article.body for i in items] == ["One.", "Two."]
    assert json.loads(items[1].raw) == {"body": "Two."}

    items = read_upload("wrapped.json", json.dumps({"articles": [{"content": "Three."}]}).encode())
    assert one(items).article.body == "Three."


def test_record_without_title_gets_its_first_sentence():
    item = one(read_upload("x.json", b'{"text": "The first sentence is here. Then more."}'))
    assert item.article.title == "The first sentence is here."


@pytest.mark.parametrize("name", ["x.jsonl", "x.ndjson"])
def test_jsonl(name):
    data = b'{"title": "A", "text": "Alpha."}\n\n{"title": "B", "content": "Beta."}\n'
    items = read_upload(name, data)
    assert [(i.name, i.kind, i.article.body) for i in items] == [
        (f"{name}#line 1", "jsonl", "Alpha."),
        (f"{name}#line 3", "jsonl", "Beta."),
    ]


def test_csv_with_bom_semicolons_and_case_insensitive_headers():
    data = "\ufeffTitle;Body;Date\nA;Alpha text.;2019-03-01\nB;Beta text.;Fri, 01 Mar 2019 10:00:00 GMT\n"
    items = read_upload("x.csv", data.encode())
    assert [(i.name, i.article.title, i.article.body, i.article.published) for i in items] == [
        ("x.csv#row 2", "A", "Alpha text.", date(2019, 3, 1)),
        ("x.csv#row 3", "B", "Beta text.", date(2019, 3, 1)),
    ]


def test_csv_huge_field_imports():
    body = "\n\n".join([("word " * 1000).strip()] * 60)  # 300 KB, over the csv module's default field limit
    item = one(read_upload("big.csv", f'title,text\nBig,"{body}"\n'.encode()))
    assert item.ok and len(item.article.body) == len(body)


def test_tsv():
    items = read_upload("x.tsv", b"title\ttext\nA\tAlpha.\n")
    assert one(items).article.body == "Alpha."


def test_zip_with_folders_reads_each_member_by_extension():
    data = make_zip(
        {
            "folder/a.txt": b"Alpha\n\nAlpha body.",
            "folder/sub/b.html": HTML,
            "c.json": b'[{"text": "Gamma."}]',
            "folder/": b"",
            "__MACOSX/folder/._a.txt": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )
    items = read_upload("batch.zip", data)
    assert [(i.name, i.kind, i.ok) for i in items] == [
        ("batch.zip/folder/a.txt", "txt", True),
        ("batch.zip/folder/sub/b.html", "html", True),
        ("batch.zip/c.json#item 1", "json", True),
    ]
    assert items[0].raw == b"Alpha\n\nAlpha body."


def test_limits_can_be_tightened():
    items = read_upload("a.txt", b"x" * 2000, limits=ImportLimits(max_file_bytes=1000))
    assert "limit is 1000 bytes" in one(items).error
