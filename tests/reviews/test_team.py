"""Team summaries: desk and per-reviewer figures from a hand-computed set of ratings, the debounced task
and the editor overview."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from factcheck.accounts.roles import Role
from reviews.models import Assignment, Rating, TeamCell, TeamSummary
from reviews.services import ratings as rating_services
from reviews.services import settlement, summaries
from reviews.services import team_summaries as team
from reviews.tasks import team_summaries_task
from tests.conftest import _user_with_role
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db

# statement index -> {reviewer index: (verdict, hours from assignment to rating)}; reviewers A, B, C.
PLAN = {
    0: {0: ("true", 1), 1: ("true", 2)},  # consensus true
    1: {0: ("true", 2), 1: ("false", 6)},  # disputed, the editor settles half_true
    2: {0: ("mostly_false", 3), 1: ("false", 8), 2: ("false", 2)},  # consensus false
    3: {0: ("not_checkable", 4), 1: ("not_checkable", 1)},  # consensus not_checkable
    4: {0: ("half_true", 10)},  # pending
    5: {1: ("mostly_true", 4), 2: ("false", 5)},  # disputed, unsettled
}
FIGURES = [*team.FIGURE_FIELDS]


@pytest.fixture
def desk(django_capture_on_commit_callbacks, reviewer, other_reviewer, third_reviewer, editor):
    article = ArticleFactory()
    statements = [StatementFactory(article=article, position=i) for i in range(len(PLAN))]
    reviewers = [reviewer, other_reviewer, third_reviewer]
    with django_capture_on_commit_callbacks(execute=True):
        for index, ratings in PLAN.items():
            for who, (verdict, _) in ratings.items():
                assignment = AssignmentFactory(statement=statements[index], reviewer=reviewers[who])
                rating_services.rating_submit(
                    assignment=assignment, reviewer=reviewers[who], verdict=verdict, confidence=3, rationale="Checked."
                )
        settlement.statement_settle(statement=statements[1], editor=editor, verdict="half_true")
    start = timezone.now() - timedelta(days=2)
    Assignment.objects.update(created_at=start)
    for index, ratings in PLAN.items():
        for who, (_, hours) in ratings.items():
            Rating.objects.filter(statement=statements[index], reviewer=reviewers[who]).update(
                created_at=start + timedelta(hours=hours)
            )
    # The times were set behind the services' back: recompute every summary from the ratings.
    summaries.summaries_recompute_all()
    return reviewers, statements


def figures(row: TeamSummary) -> dict:
    return {field: getattr(row, field) for field in FIGURES}


def snapshot() -> list:
    return sorted((row.scope, row.reviewer_id, tuple(figures(row).items())) for row in TeamSummary.objects.all())


def test_desk_figures_match_hand_computed_numbers(desk):
    row = TeamSummary.objects.get(scope="desk")
    assert (row.rating_count, row.statements_rated, row.settled_count, row.disputed_count) == (12, 6, 4, 1)
    assert row.distribution == {"false": 1, "half_true": 1, "not_checkable": 1, "true": 1}
    # Ratings of settled statements: S0 2/2, S1 0/2, S2 2/3, S3 2/2 equal the final verdict.
    assert row.agreement_with_consensus == pytest.approx(6 / 9)
    # Pairs: S0 agree, S1 not, S2 one of three, S3 agree, S5 not (S4 has one rating): 3 of 7.
    assert row.percent_agreement == pytest.approx(3 / 7)
    # Nominal: n = 11 pairable values, 6 mismatching coincidences, sum of n_c n_k (c != k) = 121 - 31 = 90.
    assert row.alpha_nominal == pytest.approx(1 - 10 * 6 / 90)
    # Ordinal (Not checkable dropped): n_0 = 3, n_1 = 1, n_3 = 1, n_4 = 4; observed 97.5, expected 954.
    assert row.alpha_ordinal == pytest.approx(1 - 8 * 97.5 / 954)
    # Hours 1 1 2 2 2 3 | 4 4 5 6 8 10.
    assert row.median_hours_to_rate == pytest.approx(3.5)


def test_reviewer_figures_match_hand_computed_numbers(desk):
    (a, b, c), _ = desk
    rows = {row.reviewer_id: row for row in TeamSummary.objects.filter(scope="reviewer")}
    assert set(rows) == {a.pk, b.pk, c.pk}
    assert [rows[a.pk].rating_count, rows[b.pk].rating_count, rows[c.pk].rating_count] == [5, 5, 2]
    assert (rows[a.pk].settled_count, rows[a.pk].disputed_count) == (4, 0)
    assert (rows[c.pk].settled_count, rows[c.pk].disputed_count, rows[c.pk].distribution) == (1, 1, {"false": 1})
    # A matches S0 and S3, misses S1 (true vs half_true) and S2 (mostly_false vs false).
    assert rows[a.pk].agreement_with_consensus == pytest.approx(0.5)
    assert rows[b.pk].agreement_with_consensus == pytest.approx(0.75)
    assert rows[c.pk].agreement_with_consensus == pytest.approx(1.0)
    # C's statements S2 (mf, f, f) and S5 (mt, f): n = 5, 4 mismatches, expected 25 - 11 = 14.
    assert rows[c.pk].alpha_nominal == pytest.approx(1 - 4 * 4 / 14)
    # A's statements S0-S3 (S4 unpaired): n = 9, 4 mismatches, expected 81 - 23 = 58.
    assert rows[a.pk].alpha_nominal == pytest.approx(1 - 8 * 4 / 58)
    assert [rows[a.pk].median_hours_to_rate, rows[b.pk].median_hours_to_rate, rows[c.pk].median_hours_to_rate] == [
        3,
        4,
        3.5,
    ]
    assert all(row.percent_agreement is None for row in rows.values())


def test_recompute_is_idempotent_and_repairs_spoiled_rows(desk):
    before = snapshot()
    assert team.team_summaries_recompute() == 4
    assert snapshot() == before
    TeamSummary.objects.update(rating_count=0, alpha_ordinal=None, distribution={})
    team.team_summaries_recompute()
    assert snapshot() == before


def test_a_reviewer_without_ratings_loses_their_row(desk):
    (_, _, c), _ = desk
    Rating.objects.filter(reviewer=c).delete()
    summaries.summaries_recompute_all()
    assert not TeamSummary.objects.filter(reviewer=c).exists()
    assert TeamSummary.objects.get(scope="desk").rating_count == 10


def test_full_recompute_command_rebuilds_the_team_summaries(desk):
    before = snapshot()
    TeamSummary.objects.all().delete()
    call_command("recompute_summaries", stdout=io.StringIO())
    assert snapshot() == before


def test_ratings_reach_the_team_figures_through_the_task(django_capture_on_commit_callbacks, reviewer, other_reviewer):
    statement = StatementFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for user, verdict in ((reviewer, "false"), (other_reviewer, "false")):
            assignment = AssignmentFactory(statement=statement, reviewer=user)
            rating_services.rating_submit(
                assignment=assignment, reviewer=user, verdict=verdict, confidence=4, rationale="x"
            )
    row = TeamSummary.objects.get(scope="desk")
    assert (row.rating_count, row.settled_count, row.distribution) == (2, 1, {"false": 1})


def test_figures_kept_change_by_change_equal_a_rebuild_from_scratch(desk, editor, django_capture_on_commit_callbacks):
    """Two independent paths: each statement's share added and taken back as ratings, edits and settlements
    happen, and every share added up from nothing."""
    (_, _, c), statements = desk
    with django_capture_on_commit_callbacks(execute=True):
        # Changes the incremental path must follow: an edit that ends a dispute, a settlement.
        assignment = Assignment.objects.get(statement=statements[5], reviewer=c)
        rating_services.rating_submit(
            assignment=assignment, reviewer=c, verdict="mostly_true", confidence=3, rationale="Rechecked."
        )
        settlement.statement_settle(statement=statements[4], editor=editor, verdict="half_true")
    kept = snapshot()
    cells = sorted(TeamCell.objects.values_list("reviewer_id", "name", "value"))
    team.team_summaries_recompute()
    assert snapshot() == kept
    rebuilt = sorted(TeamCell.objects.values_list("reviewer_id", "name", "value"))
    assert [cell[:2] for cell in rebuilt] == [cell[:2] for cell in cells if abs(cell[2]) > 1e-9]
    assert [cell[2] for cell in rebuilt] == pytest.approx([cell[2] for cell in cells if abs(cell[2]) > 1e-9])
    desk_row = TeamSummary.objects.get(scope="desk")
    # S5 now agrees (mostly_true twice) and S4 is settled: 6 settled, no dispute left.
    assert (desk_row.settled_count, desk_row.disputed_count) == (6, 0)


def test_one_ratings_team_update_reads_a_few_rows_however_many_ratings_there_are(
    reviewer, other_reviewer, django_assert_max_num_queries
):
    for size in (3, 60):
        for _ in range(size):
            statement = StatementFactory()
            for user, verdict in ((reviewer, "true"), (other_reviewer, "mostly_true")):
                AssignmentFactory(statement=statement, reviewer=user)
                RatingFactory(statement=statement, reviewer=user, verdict=verdict)
        summaries.summaries_recompute_all()
        statement = StatementFactory()
        AssignmentFactory(statement=statement, reviewer=reviewer)
        RatingFactory(statement=statement, reviewer=reviewer, verdict="false")
        # The same queries at 3 and at 60 statements (the test's transaction adds savepoints, a new summary its insert).
        with django_assert_max_num_queries(17):
            summaries.statement_summary_recompute(statement_id=statement.pk)
    assert TeamSummary.objects.get(scope="desk").rating_count == 2 * 63 + 2


def test_the_task_runs_through_apply_and_twice_changes_nothing(desk):
    before = snapshot()
    team_summaries_task.apply().get()
    team_summaries_task.apply().get()
    assert snapshot() == before


def test_the_database_allows_one_desk_row_and_one_row_per_reviewer(reviewer):
    TeamSummary.objects.create(scope="desk")
    TeamSummary.objects.create(scope="reviewer", reviewer=reviewer)
    with pytest.raises(IntegrityError):
        TeamSummary.objects.create(scope="desk")


def test_the_database_refuses_a_desk_row_with_a_reviewer(reviewer):
    with pytest.raises(IntegrityError):
        TeamSummary.objects.create(scope="desk", reviewer=reviewer)


def test_the_overview_shows_desk_and_reviewer_figures(desk, editor_client, django_assert_max_num_queries):
    (a, _, _), _ = desk
    with django_assert_max_num_queries(12):
        html = editor_client.get(reverse("reviews:overview")).content.decode()
    # alpha ordinal = 1 - 780/954 = 0.18: weak.
    assert "0.18 — weak" in html
    assert "0.667–0.8 tentative" in html
    assert "43%" in html  # 3 of 7 reviewer pairs agree
    assert "3.5 h" in html
    table = html.split('id="reviewer-agreement"')[1].split("</table>")[0]
    assert a.username in table
    assert "50%" in table  # A's ratings equal the final verdict on 2 of 4 settled statements
    distribution = html.split('id="desk-distribution"')[1].split("</ul>")[0]
    assert distribution.index("True") < distribution.index("Half true") < distribution.index("Not checkable")


def test_the_overview_says_when_there_are_no_team_figures_yet(editor_client):
    html = editor_client.get(reverse("reviews:overview")).content.decode()
    assert 'id="team-agreement-empty"' in html


def test_a_summary_task_that_disputes_a_statement_pins_its_queries_listeners_included(
    reviewer, other_reviewer, editor, django_assert_num_queries
):
    """The second rating disputes the statement: its statement, article and team figures, and the listeners'
    notices and e-mails to the editors, all in the task's one transaction, in the same queries however many
    editors are told."""
    earlier = StatementFactory()  # both reviewers have team rows already
    for user in (reviewer, other_reviewer):
        RatingFactory(statement=earlier, reviewer=user, verdict="true")
    summaries.statement_summary_recompute(statement_id=earlier.pk)
    for size in (1, 5):
        for i in range(size):
            _user_with_role(f"editor{size}-{i}", Role.EDITOR)
        statement = StatementFactory()
        for user in (reviewer, other_reviewer):
            AssignmentFactory(statement=statement, reviewer=user)
        RatingFactory(statement=statement, reviewer=reviewer, verdict="true")
        summaries.statement_summary_recompute(statement_id=statement.pk)
        RatingFactory(statement=statement, reviewer=other_reviewer, verdict="false")
        # 13 of the summaries and team figures (no stale mark to clear: the factory made the rating) and the
        # savepoint and release of the test's transaction around them; 8 of the notices' listener: its savepoint
        # and release, the statement, the editors, the notices, the unread counts, who wants e-mail, the e-mails.
        with django_assert_num_queries(23):
            summary = summaries.statement_summary_recompute(statement_id=statement.pk)
        assert summary.consensus == "disputed"
