"""Editor curation of statements: edit, split, merge, mark — offsets, positions, history, refusals, HTTP."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.models import Statement
from articles.selectors import curation as curation_rules
from articles.selectors.statements import statement_history
from articles.services import curation
from factcheck.audit.models import AuditEvent
from factcheck.audit.services import record
from reviews.services import settlement
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db

BODY = (
    "The council spent $48 million on the bridge and it opened in 2021. Residents were divided.\n\n"
    "The mayor said turnout was 61 percent. Critics disagreed."
)


@pytest.fixture
def article():
    """An article whose statements are its sentences, with real offsets into the body."""
    article = ArticleFactory(body=BODY)
    for i, m in enumerate(re.finditer(r"[^\s][^.]*\.", BODY)):
        StatementFactory(article=article, position=i, start=m.start(), end=m.end(), text=m.group())
    return article


def statements(article) -> list[Statement]:
    return list(article.statements.order_by("position"))


def assert_invariants(article) -> None:
    rows = statements(article)
    assert [s.position for s in rows] == list(range(len(rows)))
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert earlier.end <= later.start
    for s in rows:
        assert s.start <= s.end <= len(article.body)


def unedited(article) -> bool:
    return all(article.body[s.start : s.end] == s.text for s in statements(article))


# --- services ------------------------------------------------------------------------------------------


def test_split_keeps_offsets_into_the_body_and_shifts_later_positions(article, editor):
    first = statements(article)[0]
    later_ids = [s.pk for s in statements(article)[1:]]
    at = first.text.index(" and it opened")

    left, right = curation.statement_split(statement=first, user=editor, at=at)

    assert left.pk == first.pk
    assert (left.text, right.text) == ("The council spent $48 million on the bridge", "and it opened in 2021.")
    assert unedited(article)
    assert_invariants(article)
    assert [s.pk for s in statements(article)] == [first.pk, right.pk, *later_ids]
    rev = AuditEvent.objects.get(action="statement.split")
    assert rev.actor == editor and rev.target_id == first.pk and rev.parent_id == article.pk
    assert rev.before["text"] == first.text and rev.before["end"] == first.end
    assert rev.after["first"]["text"] == left.text
    assert rev.after["second"] == {
        "id": right.pk,
        "text": right.text,
        "start": right.start,
        "end": right.end,
        "position": 1,
    }


def test_split_of_an_edited_statement_maps_the_split_point_back_to_the_body(article, editor):
    first = statements(article)[0]
    curation.statement_edit_text(
        statement=first, user=editor, text="The council spent $48m on the bridge and it opened in 2021."
    )
    first.refresh_from_db()
    left, right = curation.statement_split(statement=first, user=editor, at=first.text.index(" and"))

    assert right.text == "and it opened in 2021."
    assert article.body[right.start : right.end] == "and it opened in 2021."
    assert article.body[left.start : left.end] == "The council spent $48 million on the bridge"
    assert_invariants(article)


@pytest.mark.parametrize("at", [0, -3, len("Residents were divided."), 10_000])
def test_split_needs_a_point_that_leaves_text_on_both_sides(article, editor, at):
    with pytest.raises(ValidationError, match="Choose a split point inside the statement"):
        curation.statement_split(statement=statements(article)[1], user=editor, at=at)
    assert article.statements.count() == 4
    assert not AuditEvent.objects.exists()


def test_merge_of_unedited_statements_takes_the_body_slice_and_closes_the_gap(article, editor):
    rows = statements(article)
    merged = curation.statement_merge_with_next(statement=rows[1], user=editor)

    assert merged.pk == rows[1].pk
    assert (merged.start, merged.end) == (rows[1].start, rows[2].end)
    assert merged.text == "Residents were divided.\n\nThe mayor said turnout was 61 percent."
    assert unedited(article)
    assert_invariants(article)
    assert [s.pk for s in statements(article)] == [rows[0].pk, rows[1].pk, rows[3].pk]
    rev = AuditEvent.objects.get(action="statement.merged")
    assert rev.before["first"]["text"] == rows[1].text
    assert rev.before["second"]["id"] == rows[2].pk
    assert rev.after["text"] == merged.text and rev.after["end"] == rows[2].end


def test_merge_with_an_edited_statement_joins_the_texts_with_a_space(article, editor):
    rows = statements(article)
    curation.statement_edit_text(statement=rows[2], user=editor, text="The mayor put turnout at 61%.")
    merged = curation.statement_merge_with_next(statement=rows[1], user=editor)
    assert merged.text == "Residents were divided. The mayor put turnout at 61%."
    assert (merged.start, merged.end) == (rows[1].start, rows[2].end)


def test_merge_is_checkable_if_either_part_was_and_keeps_the_review_trail(article, editor):
    rows = statements(article)
    Statement.objects.filter(pk=rows[0].pk).update(checkability=Statement.Checkability.NOT_CHECKABLE)
    record("statement.unassigned", rows[1], actor=editor, before={"reviewer": "rev_a"})
    merged = curation.statement_merge_with_next(statement=rows[0], user=editor)
    assert merged.checkability == Statement.Checkability.CHECKABLE
    history = [(e.action, e.target_id) for e in statement_history(statement=merged)]
    assert history == [("statement.unassigned", rows[1].pk), ("statement.merged", merged.pk)]


def test_split_then_merge_gives_back_the_original_statement(article, editor):
    first = statements(article)[0]
    original = (first.text, first.start, first.end)
    curation.statement_split(statement=first, user=editor, at=first.text.index(" and"))
    merged = curation.statement_merge_with_next(statement=first, user=editor)
    assert (merged.text, merged.start, merged.end) == original
    assert_invariants(article)


def test_last_statement_has_nothing_to_merge_with(article, editor):
    with pytest.raises(ValidationError, match="last statement"):
        curation.statement_merge_with_next(statement=statements(article)[-1], user=editor)


def test_edit_text_keeps_the_span_and_records_the_original(article, editor):
    st = statements(article)[1]
    edited = curation.statement_edit_text(statement=st, user=editor, text="  Residents were split on it.  ")
    assert edited.text == "Residents were split on it."
    assert (edited.start, edited.end) == (st.start, st.end)
    assert article.body[edited.start : edited.end] == "Residents were divided."
    rev = AuditEvent.objects.get()
    assert (rev.action, rev.before, rev.after) == (
        "statement.edited",
        {"id": st.pk, "text": "Residents were divided."},
        {"id": st.pk, "text": "Residents were split on it."},
    )


@pytest.mark.parametrize(("text", "message"), [("   ", "needs some text"), ("Residents were divided.", "unchanged")])
def test_edit_text_refuses_empty_or_unchanged_text(article, editor, text, message):
    with pytest.raises(ValidationError, match=message):
        curation.statement_edit_text(statement=statements(article)[1], user=editor, text=text)


def test_mark_overrules_the_scorer_and_records_both_values(article, editor):
    st = statements(article)[3]
    Statement.objects.filter(pk=st.pk).update(checkability=Statement.Checkability.CANDIDATE_NOT_CHECKABLE)
    curation.statement_mark(statement=st, user=editor, checkability="not_checkable")
    st.refresh_from_db()
    assert st.checkability == "not_checkable"
    rev = AuditEvent.objects.get()
    assert rev.before["checkability"] == "candidate" and rev.after["checkability"] == "not_checkable"
    with pytest.raises(ValidationError, match="already marked not checkable"):
        curation.statement_mark(statement=st, user=editor, checkability="not_checkable")
    with pytest.raises(ValidationError, match="either checkable or not checkable"):
        curation.statement_mark(statement=st, user=editor, checkability="candidate")


def test_rated_statements_cannot_be_split_merged_or_edited(article, editor, reviewer):
    rows = statements(article)
    RatingFactory(statement=rows[1], reviewer=reviewer)
    with pytest.raises(ValidationError) as split:
        curation.statement_split(statement=rows[1], user=editor, at=9)
    assert split.value.messages == [curation_rules.RATED_MESSAGE]
    assert "already has ratings; split or merge would change what reviewers rated" in curation_rules.RATED_MESSAGE
    for neighbour in (rows[0], rows[1]):  # the rated one as first or as second part
        with pytest.raises(ValidationError, match="already has ratings; split or merge"):
            curation.statement_merge_with_next(statement=neighbour, user=editor)
    with pytest.raises(ValidationError, match="already has ratings"):
        curation.statement_edit_text(statement=rows[1], user=editor, text="Something else.")
    assert [(s.pk, s.text) for s in statements(article)] == [(s.pk, s.text) for s in rows]
    assert not AuditEvent.objects.exists()
    # Marking does not change what was rated, so it stays possible.
    curation.statement_mark(statement=rows[1], user=editor, checkability="not_checkable")


def test_settled_statements_cannot_be_curated(article, editor):
    st = statements(article)[0]
    settlement.statement_settle(statement=st, editor=editor, verdict="false")
    for change in (
        lambda: curation.statement_split(statement=st, user=editor, at=10),
        lambda: curation.statement_merge_with_next(statement=st, user=editor),
        lambda: curation.statement_edit_text(statement=st, user=editor, text="Something else."),
    ):
        with pytest.raises(ValidationError, match="This statement is settled"):
            change()


def test_assigned_statements_must_be_unassigned_before_split_or_merge(article, editor, reviewer):
    rows = statements(article)
    AssignmentFactory(statement=rows[2], reviewer=reviewer)
    with pytest.raises(ValidationError, match="unassign it first"):
        curation.statement_split(statement=rows[2], user=editor, at=9)
    with pytest.raises(ValidationError, match="unassign it first"):
        curation.statement_merge_with_next(statement=rows[1], user=editor)
    # Editing the text of an assigned (not yet rated) statement is fine: the reviewer sees the new text.
    curation.statement_edit_text(statement=rows[2], user=editor, text="The mayor put turnout at 61 percent.")


def test_reviewers_may_not_curate(article, reviewer):
    st = statements(article)[0]
    calls = [
        lambda: curation.statement_edit_text(statement=st, user=reviewer, text="x"),
        lambda: curation.statement_split(statement=st, user=reviewer, at=5),
        lambda: curation.statement_merge_with_next(statement=st, user=reviewer),
        lambda: curation.statement_mark(statement=st, user=reviewer, checkability="not_checkable"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditEvent.objects.exists()


def test_admins_may_curate(article, admin_user):
    curation.statement_mark(statement=statements(article)[0], user=admin_user, checkability="not_checkable")
    assert AuditEvent.objects.get().actor == admin_user


def test_split_and_merge_keep_the_article_statement_count(article, editor):
    assert article.statements.count() == type(article).objects.get(pk=article.pk).statement_count == 4
    first = statements(article)[0]
    curation.statement_split(statement=first, user=editor, at=first.text.index(" and"))
    article.refresh_from_db()
    assert article.statement_count == article.statements.count() == 5
    curation.statement_merge_with_next(statement=statements(article)[2], user=editor)
    article.refresh_from_db()
    assert article.statement_count == article.statements.count() == 4


def test_map_index_is_identity_for_equal_texts_and_follows_edits():
    assert curation.map_index("abc def", "abc def", 3) == 3
    assert curation.map_index("spent $48 million on it", "spent $48m on it", len("spent $48m")) == len(
        "spent $48 million"
    )
    assert curation.map_index("abc", "abcdef", 6) == 3


# --- HTTP ----------------------------------------------------------------------------------------------


def test_curate_page_shows_the_statement_in_context_and_the_history(article, editor, editor_client):
    st = statements(article)[1]
    curation.statement_mark(statement=st, user=editor, checkability="not_checkable")
    response = editor_client.get(reverse("articles:statement_curate", args=[st.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="statement-highlight">Residents were divided.</mark>' in html
    assert "Checkable → Not checkable" in html
    assert 'name="at" value="9"' in html  # the gap after "Residents"
    assert reverse("articles:statement_merge", args=[st.pk]) in html


def test_curate_page_escapes_imported_text(editor_client):
    body = "<script>alert(1)</script> is not a claim."
    st = StatementFactory(article=ArticleFactory(body=body), start=0, end=len(body), text=body)
    html = editor_client.get(reverse("articles:statement_curate", args=[st.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_curate_page_explains_why_split_is_unavailable_for_an_assigned_statement(article, editor_client, reviewer):
    st = statements(article)[1]
    AssignmentFactory(statement=st, reviewer=reviewer)
    html = editor_client.get(reverse("articles:statement_curate", args=[st.pk])).content.decode()
    assert "unassign it first, then split or merge it" in html
    assert "See its reviewers</a>" in html
    assert reverse("reviews:statement_review", args=[st.pk]) + "#assignments" in html
    assert reverse("articles:statement_split", args=[st.pk]) not in html


def test_editor_splits_over_http_and_lands_on_the_article(article, editor_client):
    st = statements(article)[0]
    response = editor_client.post(reverse("articles:statement_split", args=[st.pk]), {"at": st.text.index(" and")})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:article_detail", args=[article.pk]) + f"#statement-{st.pk}"
    assert article.statements.count() == 5
    assert unedited(article)


def test_refused_merge_over_http_goes_back_to_the_curate_page_with_the_reason(article, editor_client, reviewer):
    rows = statements(article)
    RatingFactory(statement=rows[0], reviewer=reviewer)
    response = editor_client.post(reverse("articles:statement_merge", args=[rows[0].pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("articles:statement_curate", args=[rows[0].pk])
    assert curation_rules.RATED_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert article.statements.count() == 4


def test_editor_edits_text_over_http(article, editor_client):
    st = statements(article)[1]
    response = editor_client.post(reverse("articles:statement_edit", args=[st.pk]), {"text": "Residents disagreed."})
    assert response.status_code == 302
    st.refresh_from_db()
    assert st.text == "Residents disagreed."


def test_invalid_split_form_says_what_to_do(article, editor_client):
    st = statements(article)[1]
    response = editor_client.post(reverse("articles:statement_split", args=[st.pk]), {}, follow=True)
    assert "Choose where to split the statement." in response.content.decode()
    assert article.statements.count() == 4


def test_article_page_toggles_checkability(article, editor_client):
    st = statements(article)[0]
    page = editor_client.get(reverse("reviews:article_detail", args=[article.pk])).content.decode()
    mark_url = reverse("articles:statement_mark", args=[st.pk])
    assert f'formaction="{mark_url}" name="checkability" value="not_checkable"' in page
    assert reverse("articles:statement_curate", args=[st.pk]) in page
    response = editor_client.post(mark_url, {"checkability": "not_checkable"})
    assert response.status_code == 302
    st.refresh_from_db()
    assert st.checkability == "not_checkable"


def test_reviewer_cannot_post_curation(article, reviewer_client):
    st = statements(article)[0]
    response = reviewer_client.post(reverse("articles:statement_mark", args=[st.pk]), {"checkability": "checkable"})
    assert response.status_code == 403
    response = reviewer_client.post(reverse("articles:statement_split", args=[st.pk]), {"at": 5})
    assert response.status_code == 403
    assert article.statements.count() == 4 and not AuditEvent.objects.exists()


def test_curation_endpoints_refuse_get(article, editor_client):
    st = statements(article)[0]
    assert editor_client.get(reverse("articles:statement_merge", args=[st.pk])).status_code == 405
