"""Bulk actions from the statement list, through the page itself: the bar and a box per row are rendered for
those who may assign, the form posts back to the same filtered list, and each action touches exactly the ticked
statements (real HTTP through the Django test client, no JavaScript needed)."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Statement
from reviews.models import Assignment
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db

FILTERED = reverse("reviews:statement_list") + "?state=new&checkable=on&sort=score"


@pytest.fixture
def new_statements(reviewer):
    """Three new checkable statements the filter lists, and one it leaves out (already in review)."""
    listed = [StatementFactory(text=f"New claim number {n} about rivers.", score=0.9 - n / 10) for n in range(3)]
    in_review = StatementFactory(text="A claim already in review.", score=0.95)
    AssignmentFactory(statement=in_review, reviewer=reviewer)
    return listed, in_review


def _bar(client, url=FILTERED) -> dict:
    """The bulk form as the page renders it: where it posts, its `next`, and the row boxes with their labels."""
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" id="bulk-form".*?</form>', text, re.S)
    assert form, "no bulk form on the statement list"
    body = form.group(0)
    boxes = re.findall(r'name="statement_ids" value="(\d+)" id="(pick-\d+)"', body)
    labels = dict(re.findall(r'<label class="visually-hidden" for="(pick-\d+)">([^<]+)</label>', body))
    return {
        "action": form.group(1),
        "next": html.unescape(re.search(r'name="next" value="([^"]+)"', body).group(1)),
        "ids": [int(value) for value, _ in boxes],
        "labels": {int(value): html.unescape(labels[box_id]) for value, box_id in boxes},
        "reviewers": re.findall(r'<option value="(\d+)">', body.split('id="bulk-reviewers"')[1].split("</select>")[0]),
        "html": body,
    }


def _post(client, bar, ids, **fields):
    return client.post(bar["action"], {"statement_ids": ids, "next": bar["next"]} | fields)


def test_the_bar_and_a_labelled_box_per_row_are_on_the_filtered_list(editor_client, new_statements, reviewer):
    listed, in_review = new_statements
    bar = _bar(editor_client)
    assert bar["action"] == reverse("reviews:statements_bulk")
    assert bar["next"] == FILTERED
    assert sorted(bar["ids"]) == sorted(s.pk for s in listed)  # the filtered rows only
    assert bar["labels"][listed[0].pk] == "Select “New claim number 0 about rivers.”"
    assert bar["reviewers"] == [str(reviewer.pk)]
    for value in ("assign", "auto_assign", "not_checkable", "deadline"):
        assert f'<option value="{value}">' in bar["html"]


def test_reviewers_see_no_bar(reviewer_client, new_statements):
    # Reviewers cannot open the desk's lists at all; the bar is for those who may assign.
    assert reviewer_client.get(FILTERED).status_code == 403


def test_assign_gives_exactly_the_ticked_statements_and_returns_to_the_filtered_list(
    editor_client, new_statements, reviewer, other_reviewer
):
    listed, in_review = new_statements
    bar = _bar(editor_client)
    ticked = bar["ids"][:2]
    due = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = _post(editor_client, bar, ticked, action="assign", reviewers=[other_reviewer.pk],
                     due_at=due.strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == FILTERED
    given = Assignment.objects.filter(reviewer=other_reviewer)
    assert sorted(given.values_list("statement_id", flat=True)) == sorted(ticked)
    assert set(given.values_list("due_at", flat=True)) == {due}
    assert not Assignment.objects.filter(statement=listed[2]).exists()
    back = editor_client.get(response["Location"])
    assert "2 new assignment(s)." in back.content.decode()
    # Assigned, they leave the "new" filter; the untouched one stays.
    assert _bar(editor_client)["ids"] == [listed[2].pk]


def test_mark_not_checkable_touches_only_the_ticked(editor_client, new_statements):
    listed, in_review = new_statements
    bar = _bar(editor_client)
    response = _post(editor_client, bar, [listed[1].pk], action="not_checkable")
    assert response["Location"] == FILTERED
    checkability = dict(Statement.objects.values_list("pk", "checkability"))
    assert checkability[listed[1].pk] == Statement.Checkability.NOT_CHECKABLE
    assert {checkability[s.pk] for s in (listed[0], listed[2], in_review)} == {Statement.Checkability.CHECKABLE}
    assert "Marked 1 statement(s) not checkable." in editor_client.get(FILTERED).content.decode()


def test_set_the_due_date_of_the_ticked_statements(editor_client, reviewer, other_reviewer):
    ticked = AssignmentFactory(reviewer=reviewer, statement=StatementFactory(score=0.8))
    untouched = AssignmentFactory(reviewer=other_reviewer, statement=StatementFactory(score=0.7))
    before = untouched.due_at
    url = reverse("reviews:statement_list") + "?state=in_review"
    bar = _bar(editor_client, url)
    assert sorted(bar["ids"]) == sorted([ticked.statement_id, untouched.statement_id])
    due = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    when = due.strftime("%Y-%m-%dT%H:%M")
    response = _post(editor_client, bar, [ticked.statement_id], action="deadline", due_at=when)
    assert response["Location"] == url
    ticked.refresh_from_db()
    untouched.refresh_from_db()
    assert ticked.due_at == due and untouched.due_at == before
    assert "Moved the due date of 1 open assignment(s)." in editor_client.get(url).content.decode()


def test_auto_assign_goes_to_the_preview_with_the_selection(editor_client, new_statements, reviewer, other_reviewer):
    listed, _ = new_statements
    bar = _bar(editor_client)
    ticked = [listed[0].pk, listed[2].pk]
    response = _post(editor_client, bar, ticked, action="auto_assign")
    location = response["Location"]
    assert response.status_code == 302 and location.startswith(reverse("reviews:auto_assign"))
    query = parse_qs(urlsplit(location).query)
    assert query["next"] == [FILTERED]
    preview = editor_client.get(location)
    assert sorted(s.pk for s in preview.context["plan"].statements) == sorted(ticked)
    assert not Assignment.objects.filter(statement_id__in=ticked).exists()  # nothing written before confirm


def test_an_empty_selection_says_so_and_returns_to_the_filtered_list(editor_client, new_statements):
    bar = _bar(editor_client)
    response = _post(editor_client, bar, [], action="not_checkable")
    assert response.status_code == 302 and response["Location"] == FILTERED
    assert "Select at least one statement." in editor_client.get(FILTERED).content.decode()
    assert not Statement.objects.filter(checkability=Statement.Checkability.NOT_CHECKABLE).exists()


def test_assign_without_a_reviewer_says_so(editor_client, new_statements):
    bar = _bar(editor_client)
    response = _post(editor_client, bar, bar["ids"][:1], action="assign")
    assert response["Location"] == FILTERED
    assert "Tick at least one reviewer to assign to." in editor_client.get(FILTERED).content.decode()
    assert not Assignment.objects.filter(statement_id=bar["ids"][0]).exists()
