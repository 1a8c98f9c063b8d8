"""The rating page: "Submit and next" walks the reviewer's own queue in the queue's order, skipping what can no
longer be rated; "Save" stays; the page is built for the keyboard (one h1, the verdict focused, shortcut keys in
the scale's order)."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Statement
from reviews.models import Assignment, Rating, StatementSummary
from reviews.selectors import assignments as assignment_selectors
from reviews.verdicts import Verdict
from tests.factories import AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db


def rate(client, assignment, *, then="next", verdict="false"):
    return client.post(
        reverse("reviews:assignment_detail", args=[assignment.pk]),
        {
            "verdict": verdict,
            "confidence": 3,
            "rationale": "Checked the minutes.",
            "then": then,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
        },
    )


DUE = timezone.now() + timedelta(days=2)


def queue_of(reviewer, scores):
    """Assignments of statements with these check-worthiness scores, created in this order and due together
    (as one batch is), so the queue orders them by score."""
    items = [
        AssignmentFactory(reviewer=reviewer, statement=StatementFactory(score=score), due_at=DUE) for score in scores
    ]
    for item in items:
        item.refresh_from_db()  # the factory copies the score onto the row after saving it
    return items


def url_of(assignment):
    return reverse("reviews:assignment_detail", args=[assignment.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_submit_and_next_follows_the_queue_order_to_its_end(reviewer_client, reviewer):
    low, high, middle = queue_of(reviewer, [0.2, 0.9, 0.5])
    ordered = [a.pk for a in assignment_selectors.todo_page(user=reviewer)]
    assert ordered == [high.pk, middle.pk, low.pk]  # the queue's own order: due together, most check-worthy first

    assert rate(reviewer_client, high)["Location"] == url_of(middle)
    assert rate(reviewer_client, middle)["Location"] == url_of(low)
    response = rate(reviewer_client, low)
    assert response["Location"] == reverse("reviews:queue")
    assert "Nothing is left to rate in your queue." in " ".join(messages_of(response))
    assert Rating.objects.filter(reviewer=reviewer).count() == 3


def test_submit_and_next_from_the_last_item_goes_back_to_ones_skipped(reviewer_client, reviewer):
    first, second, third = queue_of(reviewer, [0.9, 0.5, 0.2])
    assert rate(reviewer_client, third)["Location"] == url_of(first)
    assert rate(reviewer_client, second)["Location"] == url_of(first)


def test_equal_scores_keep_the_order_they_were_assigned_in(reviewer_client, reviewer):
    first, second, third = queue_of(reviewer, [0.5, 0.5, 0.5])
    assert rate(reviewer_client, first)["Location"] == url_of(second)
    assert rate(reviewer_client, second)["Location"] == url_of(third)


def test_another_reviewers_items_never_come_next(reviewer_client, reviewer, other_reviewer):
    mine_first, theirs_between, mine_last = (
        AssignmentFactory(reviewer=reviewer, statement=StatementFactory(score=0.9), due_at=DUE),
        AssignmentFactory(reviewer=other_reviewer, statement=StatementFactory(score=0.5), due_at=DUE),
        AssignmentFactory(reviewer=reviewer, statement=StatementFactory(score=0.2), due_at=DUE),
    )
    # The same statement assigned to both: only one's own assignment of it can come next.
    shared = StatementFactory(score=0.7)
    AssignmentFactory(reviewer=other_reviewer, statement=shared, due_at=DUE)
    mine_shared = AssignmentFactory(reviewer=reviewer, statement=shared, due_at=DUE)

    assert rate(reviewer_client, mine_first)["Location"] == url_of(mine_shared)
    assert rate(reviewer_client, mine_shared)["Location"] == url_of(mine_last)
    response = reviewer_client.get(url_of(mine_last))
    assert response.context["previous_pk"] is None  # the rated ones left the to-do queue; theirs never was in it
    assert response.context["next_pk"] is None
    assert str(theirs_between.pk) not in re.findall(r"/reviews/assignments/(\d+)/", response.content.decode())


def test_a_settled_item_is_skipped(reviewer_client, reviewer):
    first, settled, last = queue_of(reviewer, [0.9, 0.5, 0.2])
    Statement.objects.filter(pk=settled.statement_id).update(review_status=Statement.ReviewStatus.SETTLED)

    page = reviewer_client.get(url_of(first))
    assert page.context["next_pk"] == last.pk
    assert rate(reviewer_client, first)["Location"] == url_of(last)
    response = rate(reviewer_client, last)
    assert response["Location"] == reverse("reviews:queue")  # only the settled one is left, and it cannot be rated


def test_previous_and_next_links_follow_the_queue(reviewer_client, reviewer):
    low, high, middle = queue_of(reviewer, [0.2, 0.9, 0.5])
    page = reviewer_client.get(url_of(middle))
    assert (page.context["previous_pk"], page.context["next_pk"]) == (high.pk, low.pk)
    html = page.content.decode()
    assert f'rel="prev" href="{url_of(high)}" data-shortcut="K"' in html
    assert f'rel="next" href="{url_of(low)}" data-shortcut="J"' in html

    ends = reviewer_client.get(url_of(high))
    assert (ends.context["previous_pk"], ends.context["next_pk"]) == (None, middle.pk)
    assert 'rel="prev"' not in ends.content.decode()


def test_a_rated_item_reopened_still_knows_its_place_in_the_queue(reviewer_client, reviewer):
    high, middle, low = queue_of(reviewer, [0.9, 0.5, 0.2])
    rate(reviewer_client, middle, then="stay")
    assert Assignment.objects.get(pk=middle.pk).status == Assignment.Status.DONE
    page = reviewer_client.get(url_of(middle))
    assert (page.context["previous_pk"], page.context["next_pk"]) == (high.pk, low.pk)


def test_save_stays_on_the_statement_and_shows_colleagues_ratings(reviewer_client, reviewer, other_reviewer):
    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    queue_of(reviewer, [0.1])  # something left in the queue: Save still stays
    RatingFactory(statement=statement, reviewer=other_reviewer, rationale="Minutes say otherwise.")

    response = rate(reviewer_client, mine, then="stay")
    assert response["Location"] == url_of(mine)
    assert messages_of(response) == ["Rating saved."]
    page = reviewer_client.get(url_of(mine))
    assert "Minutes say otherwise." in page.content.decode()


def test_a_settled_statement_cannot_be_submitted_and_does_not_move_on(reviewer_client, reviewer):
    mine, _ = queue_of(reviewer, [0.9, 0.5])
    StatementSummary.objects.update_or_create(
        statement=mine.statement, defaults={"settled": True, "editor_verdict": "false"}
    )
    response = rate(reviewer_client, mine)
    assert response["Location"] == url_of(mine)
    assert not Rating.objects.filter(reviewer=reviewer).exists()


def test_an_invalid_rating_stays_with_the_focus_on_what_to_fix(reviewer_client, reviewer):
    (mine,) = queue_of(reviewer, [0.5])
    response = reviewer_client.post(
        url_of(mine),
        {"verdict": "false", "confidence": 3, "rationale": "", "then": "next", "evidence-TOTAL_FORMS": 0,
         "evidence-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<textarea[^>]*autofocus", html)
    assert not re.search(r'name="verdict"[^>]*autofocus', html)
    assert not Rating.objects.exists()


def test_the_rating_page_is_built_for_the_keyboard(reviewer_client, reviewer):
    (mine,) = queue_of(reviewer, [0.5])
    html = reviewer_client.get(url_of(mine)).content.decode()
    assert html.count("<h1") == 1
    verdicts = re.findall(r'name="verdict" value="(\w+)" id="[^"]+" data-shortcut="(\d)"', html)
    assert verdicts == [(v.value, str(i)) for i, v in enumerate(Verdict, start=1)]
    confidences = re.findall(r'name="confidence" value="(\d)" id="[^"]+" data-shortcut="Shift\+(\d)"', html)
    assert confidences == [(str(i), str(i)) for i in range(1, 6)]
    # The focus starts on the first verdict; a new rating's confidence starts in the middle.
    assert re.findall(r"<input[^>]*autofocus[^>]*>", html) == [
        m for m in re.findall(r"<input[^>]*>", html) if 'value="true"' in m and 'name="verdict"' in m
    ]
    assert re.search(r'name="confidence" value="3"[^>]*checked', html)
    assert 'id="submit-next" data-shortcut="Control+Enter"' in html
    assert html.index('value="next"') < html.index('value="stay"')  # Enter in a field submits-and-nexts
    assert 'src="/static/rating.js"' in html


def test_an_existing_ratings_verdict_has_the_focus(reviewer_client, reviewer):
    (mine,) = queue_of(reviewer, [0.5])
    RatingFactory(statement=mine.statement, reviewer=reviewer, verdict="half_true", confidence=5)
    html = reviewer_client.get(url_of(mine)).content.decode()
    focused = re.findall(r"<input[^>]*autofocus[^>]*>", html)
    assert len(focused) == 1 and 'value="half_true"' in focused[0]
    assert re.search(r'name="confidence" value="5"[^>]*checked', html)


def test_the_queue_puts_the_focus_on_its_first_statement(reviewer_client, reviewer):
    high, low = queue_of(reviewer, [0.9, 0.2])
    html = reviewer_client.get(reverse("reviews:queue")).content.decode()
    focused = re.findall(r"<a [^>]*autofocus[^>]*>", html)
    assert len(focused) == 1 and f'href="{url_of(high)}"' in focused[0]
