"""Summaries, rating by rating and recomputed in full, against numbers worked out by hand from PLAN (never
against each other, so one bug in shared code cannot make both agree)."""

import io

import pytest
from django.core.management import call_command

from reviews.models import ArticleSummary, StatementSummary
from reviews.services import assignments, ratings, settlement
from reviews.tasks import statement_summary_task
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db

PLAN = {  # statement index -> verdicts of three reviewers (None: did not rate)
    0: ["true", "true", None],
    1: ["true", "false", None],
    2: ["mostly_false", "false", "false"],
    3: ["not_checkable", "not_checkable", None],
    4: ["half_true", None, None],
}


@pytest.fixture
def rated_desk(django_capture_on_commit_callbacks, reviewer, other_reviewer, third_reviewer, editor):
    article = ArticleFactory()
    statements = [StatementFactory(article=article, position=i) for i in range(6)]
    reviewers = [reviewer, other_reviewer, third_reviewer]
    with django_capture_on_commit_callbacks(execute=True):
        for index, verdicts in PLAN.items():
            for user, verdict in zip(reviewers, verdicts, strict=True):
                if verdict:
                    assignment = AssignmentFactory(statement=statements[index], reviewer=user)
                    ratings.rating_submit(
                        assignment=assignment, reviewer=user, verdict=verdict, confidence=3, rationale="Checked."
                    )
        settlement.statement_settle(statement=statements[1], editor=editor, verdict="half_true", note="Both half right")
    return article, statements


# Worked out by hand from PLAN and the consensus rule in the README (statement index -> rating count,
# consensus, settled, editor's verdict, review status); statement 5 has no ratings and no summary.
EXPECTED_STATEMENTS = {
    0: (2, "true", True, "", "settled"),  # two agree
    1: (2, "disputed", True, "half_true", "settled"),  # four steps apart; the editor settles it
    2: (3, "false", True, "", "settled"),  # within one step: the median of mostly false, false, false
    3: (2, "not_checkable", True, "", "settled"),  # the same non-ordinal verdict twice
    4: (1, "pending", False, "", "rated"),  # one rating is not enough
}
EXPECTED_ARTICLE = (5, 4, 0, {"false": 1, "half_true": 1, "not_checkable": 1, "true": 1})  # rated, settled, disputed


def snapshot(statements):
    by_id = {
        row[0]: row[1:]
        for row in StatementSummary.objects.values_list(
            "statement_id", "rating_count", "consensus", "settled", "editor_verdict", "statement__review_status"
        )
    }
    article = ArticleSummary.objects.values_list("rated_count", "settled_count", "disputed_count", "distribution").get()
    return {i: by_id.get(s.pk) for i, s in enumerate(statements)}, article


def assert_as_worked_out_by_hand(statements):
    per_statement, article = snapshot(statements)
    assert per_statement == {**EXPECTED_STATEMENTS, 5: None}
    assert article == EXPECTED_ARTICLE


def test_summaries_kept_rating_by_rating_are_the_hand_worked_numbers(rated_desk):
    _, statements = rated_desk
    assert_as_worked_out_by_hand(statements)
    assert statements[0].article.__class__.objects.get(pk=statements[0].article_id).statement_count == 6


def test_a_full_recompute_from_spoiled_rows_gives_the_hand_worked_numbers(rated_desk):
    _, statements = rated_desk
    # Spoil every derived number, then rebuild them from the ratings alone.
    StatementSummary.objects.update(rating_count=0, consensus="pending", settled=False)
    ArticleSummary.objects.all().delete()
    type(statements[0]).objects.update(review_status="new")
    out = io.StringIO()
    call_command("recompute_summaries", stdout=out)
    assert "Recomputed 5 statement summaries" in out.getvalue()
    assert_as_worked_out_by_hand(statements)


def test_the_summary_task_is_idempotent(rated_desk):
    _, statements = rated_desk
    statement_summary_task.apply(args=[statements[2].pk])
    statement_summary_task.apply(args=[statements[2].pk])
    assert_as_worked_out_by_hand(statements)


def test_summary_task_for_a_deleted_statement_does_nothing():
    statement = StatementFactory()
    statement_id = statement.pk
    statement.delete()
    statement_summary_task.apply(args=[statement_id])
    assert not StatementSummary.objects.exists()


def test_auto_assign_never_gives_a_statement_the_same_reviewer_twice(editor, reviewer, other_reviewer, third_reviewer):
    statements = [StatementFactory() for _ in range(4)]
    AssignmentFactory(statement=statements[0], reviewer=reviewer)
    created = assignments.assignments_auto_create(statements=statements, assigned_by=editor, per_statement=2)
    assert created == 7
    created_again = assignments.assignments_auto_create(statements=statements, assigned_by=editor, per_statement=2)
    assert created_again == 0
    for statement in statements:
        reviewers = list(statement.assignments.values_list("reviewer_id", flat=True))
        assert len(reviewers) == len(set(reviewers)) == 2


def test_the_database_refuses_a_second_assignment_of_the_same_pair(reviewer):
    from django.db import IntegrityError

    statement = StatementFactory()
    AssignmentFactory(statement=statement, reviewer=reviewer)
    with pytest.raises(IntegrityError):
        AssignmentFactory(statement=statement, reviewer=reviewer)


def test_auto_assign_needs_enough_reviewers(editor, reviewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="needs 2 reviewers"):
        assignments.assignments_auto_create(statements=[StatementFactory()], assigned_by=editor, per_statement=2)


def test_an_editor_unassigns_a_statement_not_yet_rated_and_then_can_split_it(
    editor, editor_client, reviewer, other_reviewer
):
    from django.urls import reverse

    from articles.services.curation import statement_split
    from factcheck.audit.models import AuditEvent
    from reviews.models import Assignment

    statement = StatementFactory(text="The council met. It voted 7 to 2.", end=33)
    open_one = AssignmentFactory(statement=statement, reviewer=reviewer)
    response = editor_client.post(reverse("reviews:assignment_remove", args=[open_one.pk]))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=open_one.pk).exists()
    event = AuditEvent.objects.get(target_id=statement.pk, action="statement.unassigned")
    assert (event.actor, event.before) == (editor, {"reviewer": reviewer.username})
    first, second = statement_split(statement=statement, user=editor, at=17)
    assert (first.text, second.text) == ("The council met.", "It voted 7 to 2.")


def test_a_rated_assignment_cannot_be_removed(editor, editor_client, reviewer, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from reviews.models import Assignment

    assignment = AssignmentFactory(reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_submit(assignment=assignment, reviewer=reviewer, verdict="true", confidence=3, rationale="x")
    response = editor_client.post(reverse("reviews:assignment_remove", args=[assignment.pk]), follow=True)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert b"already rated this statement" in response.content
    page = editor_client.get(reverse("reviews:statement_review", args=[assignment.statement_id])).content
    assert b"Unassign" not in page.split(b'id="assignments"')[1].split(b"</ul>")[0]
