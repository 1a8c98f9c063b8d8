"""Deadlines: open assignments due within a day and overdue ones are announced once per due date by a
bounded scan (reviews.services.deadline_notices), and told to the reviewer, and overdue ones to the editors."""

import pytest
from django.db import connection
from django.utils import timezone

from factcheck.notifications.models import Notice
from reviews.models import Assignment
from reviews.services.deadline_notices import assignment_deadlines_announce
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def notices(user):
    return list(Notice.objects.filter(recipient=user).order_by("pk"))


def test_deadlines_are_told_once_each_and_overdue_also_to_editors(reviewer, other_reviewer, editor, admin_user):
    now = timezone.now()
    soon = [AssignmentFactory(reviewer=reviewer, due_at=now + timezone.timedelta(hours=h)) for h in (2, 5)]
    late = AssignmentFactory(reviewer=other_reviewer, due_at=now - timezone.timedelta(hours=1))
    AssignmentFactory(reviewer=reviewer, due_at=now + timezone.timedelta(days=3))  # not yet
    AssignmentFactory(reviewer=reviewer, due_at=now - timezone.timedelta(hours=1), status="done")  # rated: never
    assert assignment_deadlines_announce(now=now) == (1, 2)
    assert assignment_deadlines_announce(now=now) == (0, 0)
    [due] = notices(reviewer)
    assert (due.kind, due.title) == (Notice.Kind.DUE_SOON, "2 statements you have to rate are due within a day")
    [overdue] = notices(other_reviewer)
    assert overdue.kind == Notice.Kind.OVERDUE and overdue.target_id == late.pk
    for person in (editor, admin_user):
        [desk] = notices(person)
        assert desk.title == "1 assignment is overdue (rev_b 1)"
    # An hour later the first one is overdue: told once more (now overdue), the second is not told again.
    later = soon[0].due_at + timezone.timedelta(minutes=1)
    assert assignment_deadlines_announce(now=later) == (1, 0)
    assert [n.kind for n in notices(reviewer)] == [Notice.Kind.DUE_SOON, Notice.Kind.OVERDUE]


def test_a_moved_deadline_is_told_again(reviewer):
    now = timezone.now()
    assignment = AssignmentFactory(reviewer=reviewer, due_at=now + timezone.timedelta(hours=3))
    assignment_deadlines_announce(now=now)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=now + timezone.timedelta(hours=20))
    assert assignment_deadlines_announce(now=now) == (0, 1)
    assert assignment_deadlines_announce(now=now) == (0, 0)
    assert len(notices(reviewer)) == 2


def test_an_overdue_assignment_never_gets_a_late_due_soon(reviewer):
    now = timezone.now()
    AssignmentFactory(reviewer=reviewer, due_at=now - timezone.timedelta(days=2))
    assert assignment_deadlines_announce(now=now) == (1, 0)
    assert assignment_deadlines_announce(now=now + timezone.timedelta(hours=1)) == (0, 0)


@pytest.mark.postgres
def test_the_deadline_scan_reads_the_partial_indexes(reviewer):
    """Among many announced overdue assignments (the editors' overdue list has its own index over all open
    ones), the scan reads the small index of those still to announce."""
    from reviews.models import DUE_SOON_UNNOTICED, OVERDUE_UNNOTICED

    now = timezone.now()
    announced = [StatementFactory() for _ in range(300)]
    past = now - timezone.timedelta(days=1)
    Assignment.objects.bulk_create(
        [
            Assignment(statement=s, reviewer=reviewer, due_at=past, overdue_noticed_for=past, due_soon_noticed_for=past)
            for s in announced
        ]
    )
    AssignmentFactory(reviewer=reviewer, due_at=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_assignment")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for condition, index in [
        (OVERDUE_UNNOTICED, "assignment_overdue_unnoticed"),
        (DUE_SOON_UNNOTICED, "assignment_due_soon_unnoticed"),
    ]:
        plan = Assignment.objects.filter(condition, due_at__lte=now).order_by("due_at", "pk")[:500].explain()
        assert index in plan, plan
