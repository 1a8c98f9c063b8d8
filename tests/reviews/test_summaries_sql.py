"""The set-based SQL of a full recompute agrees with the pure consensus rule on every combination."""

import random
from datetime import timedelta
from itertools import combinations_with_replacement

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Statement
from reviews import verdicts
from reviews.models import Assignment, Rating, StatementSummary
from reviews.services import summaries, summaries_sql
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = [v.value for v in verdicts.Verdict]
# Every multiset of one to four verdicts out of eight: 8 + 36 + 120 + 330 = 494 statements.
COMBINATIONS = [combo for size in range(1, 5) for combo in combinations_with_replacement(ALL, size)]


def test_the_sql_consensus_equals_the_rule_on_every_combination_of_up_to_four_verdicts():
    raters = [UserFactory(username=f"rater{i}") for i in range(4)]
    article = ArticleFactory()
    statements = [StatementFactory(article=article, position=i) for i in range(len(COMBINATIONS))]
    Rating.objects.bulk_create(
        [
            Rating(statement=statement, reviewer=raters[i], verdict=verdict, confidence=3, rationale="r")
            for statement, combo in zip(statements, COMBINATIONS, strict=True)
            for i, verdict in enumerate(combo)
        ]
    )
    summaries_sql.statement_summaries_recompute(now=timezone.now())
    got = dict(StatementSummary.objects.values_list("statement_id", "consensus"))
    expected = {s.pk: verdicts.consensus(list(combo)) for s, combo in zip(statements, COMBINATIONS, strict=True)}
    wrong = {
        COMBINATIONS[statements.index(s)]: (got.get(s.pk), expected[s.pk])
        for s in statements
        if got.get(s.pk) != expected[s.pk]
    }
    assert wrong == {}
    settled = dict(StatementSummary.objects.values_list("statement_id", "settled"))
    assert all(settled[s.pk] == verdicts.is_settled(expected[s.pk]) for s in statements)
    assert all(count == len(combo) for (_, count), combo in zip(
        sorted(StatementSummary.objects.values_list("statement_id", "rating_count")), COMBINATIONS, strict=True
    ))  # fmt: skip


def test_an_editors_verdict_survives_a_full_recompute_and_lost_ratings_reset_a_summary(editor):
    kept, emptied = StatementFactory(), StatementFactory()
    raters = [UserFactory(username=f"r{i}") for i in range(2)]
    for rater, verdict in zip(raters, ["true", "false"], strict=True):
        Rating.objects.create(statement=kept, reviewer=rater, verdict=verdict, confidence=3, rationale="r")
    StatementSummary.objects.create(statement=kept, editor_verdict="half_true", settled=True, consensus="disputed")
    StatementSummary.objects.create(statement=emptied, rating_count=2, consensus="true", settled=True)
    summaries.summaries_recompute_all()
    kept_summary = StatementSummary.objects.get(statement=kept)
    assert (kept_summary.consensus, kept_summary.editor_verdict, kept_summary.settled) == (
        "disputed",
        "half_true",
        True,
    )
    emptied_summary = StatementSummary.objects.get(statement=emptied)
    assert (emptied_summary.rating_count, emptied_summary.consensus, emptied_summary.settled) == (0, "pending", False)
    statuses = dict(Statement.objects.values_list("pk", "review_status"))
    assert (statuses[kept.pk], statuses[emptied.pk]) == ("settled", "new")


def test_team_snapshots_written_by_sql_equal_those_written_one_by_one(reviewer, other_reviewer):
    from reviews.services.summaries import statement_summary_recompute
    from tests.factories import AssignmentFactory

    statement = StatementFactory()
    for user, verdict in ((reviewer, "false"), (other_reviewer, "mostly_false")):
        AssignmentFactory(statement=statement, reviewer=user)
        Rating.objects.create(statement=statement, reviewer=user, verdict=verdict, confidence=3, rationale="r")
    one_by_one = statement_summary_recompute(statement_id=statement.pk).team_snapshot
    StatementSummary.objects.update(team_snapshot={})
    summaries_sql.statement_summaries_recompute(now=timezone.now())
    assert StatementSummary.objects.get(statement=statement).team_snapshot == one_by_one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grouped team sums are PostgreSQL's")
def test_team_sums_grouped_in_sql_equal_every_statements_share_added_up(editor):
    """The full rebuild's grouped sums (counts of statement and rating kinds from PostgreSQL, each kind's share
    from team_figures once) against the pure path: every snapshot's shares added up one by one."""
    from reviews.services import team_summaries

    rng = random.Random(14)
    reviewers = [UserFactory(username=f"grouped{i}") for i in range(5)]
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=3)
    for position in range(150):
        statement = StatementFactory(article=article, position=position)
        for reviewer in rng.sample(reviewers, rng.choice([0, 1, 2, 2, 3, 4])):
            if rng.random() < 0.8:  # some ratings without an assignment: no time to rate
                assignment = AssignmentFactory(statement=statement, reviewer=reviewer)
                Assignment.objects.filter(pk=assignment.pk).update(created_at=start)
            verdict = rng.choice(ALL)
            Rating.objects.create(
                statement=statement, reviewer=reviewer, verdict=verdict, blind_verdict=rng.choice(["", verdict]),
                confidence=3, rationale="r",
            )  # fmt: skip
        Rating.objects.filter(statement=statement).update(
            created_at=start + timedelta(minutes=rng.choice([3, 59.5, 61, 700, 1500, 4000]))
        )
    summaries.summaries_recompute_all()
    StatementSummary.objects.filter(consensus=verdicts.DISPUTED, statement__position__lt=60).update(
        editor_verdict="half_true", settled=True
    )
    summaries.summaries_recompute_all()  # the editors' verdicts reach the snapshots

    # Every snapshot the SQL wrote is the one the statement's own recompute would write (ratings in order too).
    from reviews.services.summaries import _outcome, _rating_shares
    from reviews.team_figures import snapshot

    for summary in StatementSummary.objects.filter(rating_count__gt=0):
        blind = [
            (who, blind_verdict, minutes) for who, _, blind_verdict, minutes in _rating_shares(summary.statement_id)
        ]
        assert summary.team_snapshot == snapshot(blind, _outcome(summary))

    grouped = team_summaries._grouped_sums()
    added_up = team_summaries._summed_shares()
    assert len(added_up) == 6  # the desk and the five reviewers
    assert sorted(grouped) == sorted(added_up)
    for scope, cells in added_up.items():
        expected = {name: value for name, value in cells.items() if abs(value) > 1e-12}
        got = {name: value for name, value in grouped[scope].items() if abs(value) > 1e-12}
        assert sorted(got) == sorted(expected), scope
        assert [got[name] for name in sorted(got)] == pytest.approx([expected[name] for name in sorted(expected)])


def test_open_assignments_take_their_statements_new_score_and_done_ones_keep_theirs(reviewer, other_reviewer):
    statement = StatementFactory(score=0.2)
    open_one = AssignmentFactory(statement=statement, reviewer=reviewer)
    done_one = AssignmentFactory(statement=statement, reviewer=other_reviewer)
    Assignment.objects.filter(pk=done_one.pk).update(status=Assignment.Status.DONE)
    Statement.objects.filter(pk=statement.pk).update(score=0.7)  # re-scored
    assert summaries.assignment_scores_refresh() == 1
    assert summaries.assignment_scores_refresh() == 0
    scores = dict(Assignment.objects.values_list("pk", "score"))
    assert (scores[open_one.pk], scores[done_one.pk]) == (0.7, 0.2)
