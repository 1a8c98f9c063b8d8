"""Blind review for real: a reviewer sees colleagues' ratings only after rating, a change made after seeing them
is kept and marked, and the agreement figures count the blind verdict, on every path that writes them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from factcheck.audit.models import AuditEvent
from reviews.models import Rating, StatementSummary, TeamSummary
from reviews.services import summaries_sql
from reviews.services import team_summaries as team
from tests.api.conftest import token_client
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def rate_on_page(client, assignment, verdict):
    return client.post(
        reverse("reviews:assignment_detail", args=[assignment.pk]),
        {
            "verdict": verdict,
            "confidence": 3,
            "rationale": "Checked the minutes.",
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
        },
    )


@pytest.fixture
def split(django_capture_on_commit_callbacks, reviewer_client, other_reviewer_client, reviewer, other_reviewer):
    """Reviewer A says true, reviewer B says false: a dispute."""
    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    theirs = AssignmentFactory(statement=statement, reviewer=other_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert rate_on_page(reviewer_client, mine, "true").status_code == 302
        assert rate_on_page(other_reviewer_client, theirs, "false").status_code == 302
    return statement, mine


def test_a_change_after_seeing_colleagues_is_kept_marked_and_left_out_of_agreement(
    split, reviewer_client, editor_client, reviewer, django_capture_on_commit_callbacks
):
    statement, mine = split
    page = reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    assert "rev_b" in page.content.decode()  # now the colleague's rating is on screen
    with django_capture_on_commit_callbacks(execute=True):
        assert rate_on_page(reviewer_client, mine, "false").status_code == 302

    rating = Rating.objects.get(statement=statement, reviewer=reviewer)
    assert (rating.verdict, rating.blind_verdict, rating.revised_after_seeing) == ("false", "true", True)
    summary = StatementSummary.objects.get(statement=statement)
    # The statement's consensus follows the current verdicts...
    assert (summary.consensus, summary.settled) == ("false", True)
    # ...while the desk's agreement counts the blind ones: true against false is no agreement at all.
    desk = TeamSummary.objects.get(scope="desk")
    assert desk.percent_agreement == 0
    assert desk.distribution == {"false": 1}

    edit = AuditEvent.objects.filter(action="statement.rating_edited").get()
    assert edit.after == {"verdict": "false", "after_seeing_others": True}
    history = editor_client.get(reverse("reviews:article_history", args=[statement.article_id])).content.decode()
    assert "revised after seeing other ratings" in history
    review = editor_client.get(reverse("reviews:statement_review", args=[statement.pk])).content.decode()
    assert "revised after seeing other ratings" in review and "blind verdict: True" in review


def test_a_change_made_before_seeing_anyone_is_still_blind(
    reviewer_client, reviewer, django_capture_on_commit_callbacks
):
    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    AssignmentFactory(statement=statement)  # a colleague who has not rated yet
    with django_capture_on_commit_callbacks(execute=True):
        rate_on_page(reviewer_client, mine, "true")
        reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))  # nobody else's rating to see
        rate_on_page(reviewer_client, mine, "mostly_true")
    rating = Rating.objects.get(reviewer=reviewer)
    assert (rating.verdict, rating.blind_verdict, rating.revised_after_seeing, rating.saw_others_at) == (
        "mostly_true",
        "mostly_true",
        False,
        None,
    )
    assert AuditEvent.objects.filter(action="statement.rating_edited").get().after["after_seeing_others"] is False


def test_going_back_to_the_blind_verdict_is_not_a_revision(
    split, reviewer_client, reviewer, django_capture_on_commit_callbacks
):
    statement, mine = split
    reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        rate_on_page(reviewer_client, mine, "true")  # the same verdict, a better rationale
    rating = Rating.objects.get(statement=statement, reviewer=reviewer)
    assert (rating.blind_verdict, rating.revised_after_seeing) == ("true", False)
    assert rating.saw_others_at is not None


def test_the_api_marks_the_moment_a_reviewer_sees_colleagues_too(split, reviewer):
    _, mine = split
    Rating.objects.update(saw_others_at=None)
    api = token_client(reviewer)
    seen = api.get(reverse("api:queue-item", args=[mine.pk])).json()
    assert [r["verdict"] for r in seen["other_ratings"]] == ["false"]
    assert Rating.objects.get(reviewer=reviewer).saw_others_at is not None


def test_a_full_recompute_counts_the_blind_verdicts_as_the_change_by_change_path_did(
    split, reviewer_client, django_capture_on_commit_callbacks
):
    statement, mine = split
    reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        rate_on_page(reviewer_client, mine, "false")
    kept = StatementSummary.objects.get(statement=statement).team_snapshot
    desk = TeamSummary.objects.get(scope="desk").percent_agreement
    StatementSummary.objects.update(team_snapshot={})
    summaries_sql.statement_summaries_recompute(now=timezone.now())
    team.team_summaries_recompute()
    assert StatementSummary.objects.get(statement=statement).team_snapshot == kept
    assert TeamSummary.objects.get(scope="desk").percent_agreement == desk == 0
