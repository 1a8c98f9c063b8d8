"""Deadlines, capacity and controlled auto-assign: every assignment has a due date, the queue reads earliest due
first, a preview writes nothing, a confirm never goes past a reviewer's capacity and is one undoable batch until
someone rates, and reassigning keeps the old assignment with its history."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Statement
from factcheck.audit.models import AuditEvent
from factcheck.notifications.models import Notice
from reviews.models import Assignment, AssignmentBatch, Rating, ReviewerCapacity, ReviewerLoad
from reviews.services import assignments as assignment_services
from reviews.services import auto_assign, deadlines
from reviews.services.ratings import rating_submit
from reviews.tasks import assignment_deadlines_announce_task
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def article_with(n: int, *, scores=None):
    article = ArticleFactory()
    for i in range(n):
        StatementFactory(article=article, position=i, score=(scores[i] if scores else 0.5 + i / 100))
    return article


def set_capacity(user, limit):
    ReviewerCapacity.objects.update_or_create(reviewer=user, defaults={"max_open": limit})


def open_count(user) -> int:
    return ReviewerLoad.objects.filter(reviewer=user).values_list("open_count", flat=True).first() or 0


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Assignment, AssignmentBatch, AuditEvent, Notice, ReviewerCapacity, ReviewerLoad)
    } | {"assigned statements": Statement.objects.filter(review_status="assigned").count()}


def test_a_new_assignment_is_due_after_the_desk_default_unless_the_editor_says(settings, editor, reviewer):
    settings.ASSIGNMENT_DEFAULT_DUE_HOURS = 48
    first, second = StatementFactory(), StatementFactory()
    before = timezone.now()
    assignment_services.assignments_create(statements=[first], reviewers=[reviewer], assigned_by=editor)
    due = Assignment.objects.get(statement=first).due_at
    assert before + timedelta(hours=48) <= due <= timezone.now() + timedelta(hours=48)
    chosen = timezone.now() + timedelta(hours=5)
    assignment_services.assignments_create(statements=[second], reviewers=[reviewer], assigned_by=editor, due_at=chosen)
    assert Assignment.objects.get(statement=second).due_at == chosen
    with pytest.raises(ValidationError, match="has passed"):
        assignment_services.assignments_create(
            statements=[StatementFactory()], reviewers=[reviewer], assigned_by=editor, due_at=timezone.now()
        )


def test_the_preview_writes_nothing(editor, reviewer, other_reviewer, editor_client):
    article = article_with(6)
    counts = row_counts()
    plan = auto_assign.auto_assign_preview(
        choices=auto_assign.AutoAssignChoices(article_id=article.pk, per_statement=2), previewed_by=editor
    )
    assert len(plan.pairs) == 12
    response = editor_client.get(reverse("reviews:auto_assign"), {"article": article.pk, "preview": 1, "top": 50,
                                 "min_score": 0, "per_statement": 2, "only_checkable": "on"})  # fmt: skip
    assert response.status_code == 200 and b"Confirm: make 12 assignments" in response.content
    assert row_counts() == counts


def test_the_preview_takes_the_top_n_checkable_statements_above_the_minimum_score(editor, reviewer, other_reviewer):
    article = article_with(5, scores=[0.9, 0.2, 0.7, 0.95, 0.6])
    Statement.objects.filter(article=article, score=0.95).update(checkability="not_checkable")
    choices = auto_assign.AutoAssignChoices(article_id=article.pk, top=2, min_score=0.5, per_statement=1)
    plan = auto_assign.auto_assign_preview(choices=choices, previewed_by=editor)
    assert [s.score for s in plan.statements] == [0.9, 0.7]
    everything = auto_assign.AutoAssignChoices(article_id=article.pk, top=10, only_checkable=False, per_statement=1)
    assert len(auto_assign.auto_assign_preview(choices=everything, previewed_by=editor).statements) == 5


def test_a_confirm_never_exceeds_capacity_and_says_who_was_skipped(editor, reviewer, other_reviewer, third_reviewer):
    set_capacity(reviewer, 3)
    set_capacity(other_reviewer, 2)
    set_capacity(third_reviewer, 0)
    AssignmentFactory(reviewer=other_reviewer)  # one open already
    article = article_with(10)
    choices = auto_assign.AutoAssignChoices(article_id=article.pk, per_statement=1)
    plan = auto_assign.auto_assign_preview(choices=choices, previewed_by=editor)
    lines = {line.name: line for line in plan.reviewers}
    assert (lines["rev_a"].gets, lines["rev_a"].open_after) == (3, 3)
    assert (lines["rev_b"].gets, lines["rev_b"].open_after) == (1, 2)
    assert lines["rev_c"].gets == 0 and lines["rev_c"].skipped == "at capacity: 0 open of 0"
    assert lines["rev_a"].skipped == "reached capacity (3) in this batch"
    assert len(plan.short) == 6
    batch = auto_assign.auto_assign_confirm(choices=choices, confirmed_by=editor, expected=plan.digest)
    assert batch.assignment_count == 4 and batch.per_reviewer == {"rev_a": 3, "rev_b": 1}
    assert (open_count(reviewer), open_count(other_reviewer), open_count(third_reviewer)) == (3, 2, 0)
    assert Assignment.objects.filter(batch=batch).count() == 4
    # One recorded action for the batch (and each statement's own "assigned" line in its history).
    assert AuditEvent.objects.filter(action="assignment_batch.confirmed", target_id=batch.pk).count() == 1
    # The desk is full now: a second auto-assign has nothing to give.
    with pytest.raises(ValidationError, match="every reviewer is at capacity"):
        auto_assign.auto_assign_confirm(choices=choices, confirmed_by=editor)


def test_a_confirm_whose_plan_changed_since_the_preview_writes_nothing(editor, reviewer, other_reviewer):
    article = article_with(3)
    choices = auto_assign.AutoAssignChoices(article_id=article.pk, per_statement=1)
    plan = auto_assign.auto_assign_preview(choices=choices, previewed_by=editor)
    AssignmentFactory(reviewer=reviewer)  # the loads move: rev_a now has one open
    counts = row_counts()
    with pytest.raises(auto_assign.PlanChanged):
        auto_assign.auto_assign_confirm(choices=choices, confirmed_by=editor, expected=plan.digest)
    assert row_counts() == counts


def test_the_confirm_page_shows_the_new_plan_when_the_desk_changed(editor_client, editor, reviewer, other_reviewer):
    article = article_with(2)
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"article": article.pk, "top": 50, "min_score": 0, "per_statement": 1, "only_checkable": "on",
            "due_at": due, "plan": "stale"}  # fmt: skip
    response = editor_client.post(reverse("reviews:auto_assign"), form, follow=True)
    assert b"The desk changed since your preview" in response.content and b"Confirm: make 2" in response.content
    assert not Assignment.objects.exists()
    digest = response.context["plan"].digest
    response = editor_client.post(reverse("reviews:auto_assign"), form | {"plan": digest})
    batch = AssignmentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reviews:auto_assign_batch", args=[batch.pk])
    back = editor_client.post(reverse("reviews:auto_assign"), {**form, "plan": "", "next": "/articles/1/"})
    assert back.status_code == 200  # all covered now: nothing to assign, said on the page
    assert Assignment.objects.filter(batch=batch).count() == 2


def test_undo_takes_the_batch_back_as_one_action(editor, reviewer, other_reviewer):
    article = article_with(4)
    batch = auto_assign.auto_assign_confirm(
        choices=auto_assign.AutoAssignChoices(article_id=article.pk, per_statement=2), confirmed_by=editor
    )
    assert open_count(reviewer) == 4
    assert auto_assign.auto_assign_undo(batch=batch, undone_by=editor) == 8
    assert not Assignment.objects.exists()
    assert open_count(reviewer) == open_count(other_reviewer) == 0
    assert set(Statement.objects.filter(article=article).values_list("review_status", flat=True)) == {"new"}
    batch.refresh_from_db()
    assert batch.status == AssignmentBatch.Status.UNDONE
    assert AuditEvent.objects.filter(action="assignment_batch.undone", target_id=batch.pk).count() == 1
    with pytest.raises(ValidationError, match="undone already"):
        auto_assign.auto_assign_undo(batch=batch, undone_by=editor)


def test_undo_is_refused_once_someone_started_rating(editor, reviewer, other_reviewer, editor_client):
    article = article_with(3)
    batch = auto_assign.auto_assign_confirm(
        choices=auto_assign.AutoAssignChoices(article_id=article.pk, per_statement=2), confirmed_by=editor
    )
    one = Assignment.objects.filter(batch=batch, reviewer=other_reviewer).first()
    rating_submit(assignment=one, reviewer=other_reviewer, verdict="false", confidence=3, rationale="The minutes.")
    counts = row_counts()
    response = editor_client.post(reverse("reviews:auto_assign_undo", args=[batch.pk]), follow=True)
    assert b"can no longer be undone: rev_b started rating" in response.content
    assert row_counts() == counts
    batch.refresh_from_db()
    assert batch.status == AssignmentBatch.Status.CONFIRMED
    assert Rating.objects.count() == 1


def test_reassigning_closes_the_old_assignment_and_keeps_its_history(editor, reviewer, other_reviewer, reviewer_client):
    statement = StatementFactory()
    assignment_services.assignments_create(statements=[statement], reviewers=[reviewer], assigned_by=editor)
    old = Assignment.objects.get(statement=statement)
    new = deadlines.assignment_reassign(assignment=old, to_reviewer=other_reviewer, reassigned_by=editor)
    old.refresh_from_db()
    assert old.status == Assignment.Status.CLOSED  # kept, never deleted
    assert new.reviewer == other_reviewer and new.status == Assignment.Status.ASSIGNED
    assert (open_count(reviewer), open_count(other_reviewer)) == (0, 1)
    [event] = AuditEvent.objects.filter(action="statement.reassigned", target_id=statement.pk)
    assert (event.before["reviewer"], event.after["reviewer"]) == ("rev_a", "rev_b")
    assert event.before["status"] == "assigned" and event.after["status"] == "closed"
    # The old reviewer no longer has it (and cannot rate it); the new one was told.
    assert reviewer_client.get(reverse("reviews:assignment_detail", args=[old.pk])).status_code == 404
    with pytest.raises(ValidationError, match="no longer yours"):
        rating_submit(assignment=old, reviewer=reviewer, verdict="false", confidence=3, rationale="x")
    assert Notice.objects.filter(recipient=other_reviewer, kind="assigned").count() == 1
    # It may come back to the first reviewer later: the closed one is history, not a holder.
    back = deadlines.assignment_reassign(assignment=new, to_reviewer=reviewer, reassigned_by=editor)
    assert Assignment.objects.filter(statement=statement).count() == 3 and back.reviewer == reviewer


def test_reassigning_is_refused_to_a_full_reviewer_and_once_rated(editor, reviewer, other_reviewer):
    set_capacity(other_reviewer, 0)
    assignment = AssignmentFactory(reviewer=reviewer)
    with pytest.raises(ValidationError, match="at capacity"):
        deadlines.assignment_reassign(assignment=assignment, to_reviewer=other_reviewer, reassigned_by=editor)
    set_capacity(other_reviewer, 5)
    rating_submit(assignment=assignment, reviewer=reviewer, verdict="false", confidence=3, rationale="r")
    with pytest.raises(ValidationError, match="has rated"):
        deadlines.assignment_reassign(assignment=assignment, to_reviewer=other_reviewer, reassigned_by=editor)
    assert Assignment.objects.count() == 1


def test_overdue_page_reassigns_in_one_step(editor_client, reviewer, other_reviewer):
    late = AssignmentFactory(reviewer=reviewer, due_at=timezone.now() - timedelta(hours=3))
    AssignmentFactory(reviewer=reviewer)  # not late
    page = editor_client.get(reverse("reviews:overdue"))
    assert [row["username"] for row in page.context["summary"]] == ["rev_a"]
    assert [a.pk for a in page.context["page"]] == [late.pk]
    url = reverse("reviews:overdue") + f"?reviewer={reviewer.pk}"
    response = editor_client.post(
        reverse("reviews:assignment_reassign", args=[late.pk]), {"reviewer": other_reviewer.pk, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Assignment.objects.get(pk=late.pk).status == "closed"
    assert editor_client.get(reverse("reviews:overdue")).context["summary"] == []


def test_each_overdue_row_offers_everyone_but_its_own_reviewer(editor_client, reviewer, other_reviewer, third_reviewer):
    """The options are rendered once per page and shared by the rows: each row still leaves out its own reviewer,
    and a reviewer at capacity is offered but cannot be chosen."""
    now = timezone.now()
    late_a = AssignmentFactory(reviewer=reviewer, due_at=now - timedelta(hours=5))
    late_b = AssignmentFactory(reviewer=other_reviewer, due_at=now - timedelta(hours=4))
    AssignmentFactory(reviewer=other_reviewer)  # not late: rev_b has 2 open
    set_capacity(third_reviewer, 0)
    body = editor_client.get(reverse("reviews:overdue")).content.decode()
    limit = settings.REVIEWER_DEFAULT_CAPACITY

    def options(assignment):
        select = body.split(f'id="reassign-{assignment.pk}"')[1].split("</select>")[0]
        return re.findall(r'<option value="(\d+)"( disabled)?>([^<]*)</option>', select)

    assert options(late_a) == [
        (str(third_reviewer.pk), " disabled", "rev_c (0 of 0 open)"),
        (str(other_reviewer.pk), "", f"rev_b (2 of {limit} open)"),
    ]
    assert options(late_b) == [
        (str(third_reviewer.pk), " disabled", "rev_c (0 of 0 open)"),
        (str(reviewer.pk), "", f"rev_a (1 of {limit} open)"),
    ]


def test_moving_due_dates_changes_open_assignments_only(editor, reviewer, other_reviewer):
    statement = StatementFactory()
    open_one = AssignmentFactory(statement=statement, reviewer=reviewer)
    done = AssignmentFactory(statement=statement, reviewer=other_reviewer, status="done")
    new_due = timezone.now() + timedelta(days=5)
    assert deadlines.statements_set_due(statement_ids=[statement.pk], due_at=new_due, changed_by=editor) == 1
    open_one.refresh_from_db()
    done_due = done.due_at
    done.refresh_from_db()
    assert open_one.due_at == new_due and done.due_at == done_due
    assert AuditEvent.objects.filter(action="statement.due_changed", target_id=statement.pk).count() == 1


def test_the_queue_is_sorted_by_due_date_then_score_with_marks(reviewer_client, reviewer):
    now = timezone.now()
    later = AssignmentFactory(reviewer=reviewer, due_at=now + timedelta(days=3), statement=StatementFactory(score=0.9))
    today_low = AssignmentFactory(
        reviewer=reviewer, due_at=now + timedelta(minutes=5), statement=StatementFactory(score=0.1)
    )
    today_high = AssignmentFactory(reviewer=reviewer, due_at=today_low.due_at, statement=StatementFactory(score=0.8))
    late = AssignmentFactory(reviewer=reviewer, due_at=now - timedelta(hours=1), statement=StatementFactory(score=0.2))
    response = reviewer_client.get(reverse("reviews:queue"))
    todo = list(response.context["todo"])
    assert [a.pk for a in todo] == [late.pk, today_high.pk, today_low.pk, later.pk]
    marks = [a.due_mark for a in todo]
    assert marks[0] == "overdue" and marks[3] == ""
    # "today" depends on the desk's day; five minutes from now is today unless it is just before midnight.
    if timezone.localdate(today_low.due_at) == timezone.localdate(now):
        assert marks[1:3] == ["today", "today"]
    assert b"Overdue" in response.content


def test_the_deadline_task_run_twice_tells_each_reviewer_once(reviewer):
    AssignmentFactory(reviewer=reviewer, due_at=timezone.now() + timedelta(hours=2))
    AssignmentFactory(reviewer=reviewer, due_at=timezone.now() - timedelta(hours=2))
    assert assignment_deadlines_announce_task.apply().get() == (1, 1)
    assert assignment_deadlines_announce_task.apply().get() == (0, 0)
    assert sorted(Notice.objects.filter(recipient=reviewer).values_list("kind", flat=True)) == ["due_soon", "overdue"]


def test_capacity_is_set_on_the_team_page(admin_client_role, reviewer):
    url = reverse("reviews:member_detail", args=[reviewer.pk])
    response = admin_client_role.post(url, {"action": "capacity", "max_open": 7})
    assert response.status_code == 302
    assert ReviewerCapacity.objects.get(reviewer=reviewer).max_open == 7
    assert AuditEvent.objects.filter(action="member.capacity_set", target_id=reviewer.pk).count() == 1
    assert b"0 of 7 (capacity)" in admin_client_role.get(url).content


class TestBulkActions:
    """The contract the desk's lists post: statement_ids + action (+ reviewers / due_at), back to `next`."""

    def post(self, client, ids, **fields):
        return client.post(
            reverse("reviews:statements_bulk"), {"statement_ids": ids, "next": "/articles/?state=new"} | fields
        )

    def test_assign_with_a_due_date(self, editor_client, reviewer):
        statements = [StatementFactory(), StatementFactory()]
        due = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
        response = self.post(editor_client, [s.pk for s in statements], action="assign", reviewers=[reviewer.pk],
                             due_at=due.strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
        assert response.status_code == 302 and response["Location"] == "/articles/?state=new"
        assert list(Assignment.objects.values_list("due_at", flat=True)) == [due, due]

    def test_mark_not_checkable(self, editor_client):
        statements = [StatementFactory(), StatementFactory()]
        self.post(editor_client, [s.pk for s in statements], action="not_checkable")
        assert set(Statement.objects.values_list("checkability", flat=True)) == {"not_checkable"}
        assert AuditEvent.objects.filter(action="statement.marked").count() == 2

    def test_set_a_deadline(self, editor_client, reviewer):
        assignment = AssignmentFactory(reviewer=reviewer)
        due = (timezone.localtime() + timedelta(days=4)).replace(second=0, microsecond=0)
        self.post(editor_client, [assignment.statement_id], action="deadline", due_at=due.strftime("%Y-%m-%dT%H:%M"))
        assignment.refresh_from_db()
        assert assignment.due_at == due

    def test_auto_assign_goes_to_the_preview_and_writes_nothing(self, editor_client, reviewer):
        statements = [StatementFactory(), StatementFactory()]
        response = self.post(editor_client, [s.pk for s in statements], action="auto_assign")
        assert response.status_code == 302 and response["Location"].startswith(reverse("reviews:auto_assign"))
        page = editor_client.get(response["Location"])  # straight to the plan for the selection
        assert sorted(s.pk for s in page.context["plan"].statements) == sorted(s.pk for s in statements)
        assert len(page.context["plan"].pairs) == 2  # one reviewer on the desk, two statements
        assert not Assignment.objects.exists()

    def test_an_empty_selection_says_so_and_goes_back(self, editor_client):
        response = self.post(editor_client, [], action="not_checkable")
        assert response.status_code == 302 and response["Location"] == "/articles/?state=new"
        assert "Select at least one statement." in [str(m) for m in response.wsgi_request._messages]

    def test_a_foreign_next_is_not_followed(self, editor_client):
        response = editor_client.post(
            reverse("reviews:statements_bulk"),
            {"statement_ids": [StatementFactory().pk], "action": "not_checkable", "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("reviews:article_list")


def test_a_confirmed_batch_page_leads_back_where_the_editor_started(editor_client, reviewer):
    article = article_with(1)
    due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    back = reverse("reviews:article_detail", args=[article.pk])
    form = {"article": article.pk, "top": 5, "min_score": 0, "per_statement": 1, "due_at": due, "next": back}
    response = editor_client.post(reverse("reviews:auto_assign"), form)
    assert response.status_code == 302 and response["Location"].endswith(f"?next=%2Farticles%2F{article.pk}%2F")
    page = editor_client.get(response["Location"])
    assert f'href="{back}">Back to where you started' in page.content.decode()
