"""The whole desk loop through real HTTP requests: import → auto-assign → rate → summaries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ImportJob, Statement
from reviews.models import Assignment, Rating, StatementSummary

pytestmark = pytest.mark.django_db

STORY = (
    b"Bridge Repair Approved\n\n"
    b"The council voted 7 to 2 on Tuesday to spend $48 million on the Harbour Bridge. "
    b"About 65,000 vehicles cross it every day.\n\n"
    b"Engineers said corrosion had doubled since 2019."
)


def upload_and_assign(admin_client, editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("articles:import_list"), {"files": [SimpleUploadedFile("bridge.txt", STORY)], "urls": ""}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    page = admin_client.get(reverse("articles:import_detail", args=[job.pk]))
    assert b"Bridge Repair Approved" in page.content
    article = Article.objects.get()
    Statement.objects.filter(article=article).update(checkability=Statement.Checkability.CHECKABLE)
    choices = {"article": article.pk, "top": 50, "min_score": 0, "per_statement": 2, "only_checkable": "on"}
    preview = editor_client.get(reverse("reviews:auto_assign"), choices | {"preview": 1})
    assert preview.status_code == 200 and not Assignment.objects.exists()  # a preview writes nothing
    plan = preview.context["plan"]
    due = timezone.localtime(plan.choices.due_at).strftime("%Y-%m-%dT%H:%M")
    response = editor_client.post(reverse("reviews:auto_assign"), choices | {"due_at": due, "plan": plan.digest})
    assert response.status_code == 302
    return article


def rate(client, assignment, verdict, rationale="Checked the minutes.", callbacks=None):
    with callbacks(execute=True):
        return client.post(
            reverse("reviews:assignment_detail", args=[assignment.pk]),
            {
                "verdict": verdict,
                "confidence": 4,
                "rationale": rationale,
                "evidence-TOTAL_FORMS": 1,
                "evidence-INITIAL_FORMS": 0,
                "evidence-0-url": "https://council.example.org/minutes",
                "evidence-0-note": "Vote record",
            },
        )


def test_full_loop_reaches_consensus(
    admin_client_role,
    editor_client,
    reviewer_client,
    other_reviewer_client,
    reviewer,
    other_reviewer,
    django_capture_on_commit_callbacks,
):
    article = upload_and_assign(admin_client_role, editor_client, django_capture_on_commit_callbacks)
    statement = article.statements.order_by("position").first()
    assignments = {a.reviewer_id: a for a in Assignment.objects.filter(statement=statement)}
    assert set(assignments) == {reviewer.pk, other_reviewer.pk}

    queue = reviewer_client.get(reverse("reviews:queue"))
    assert statement.text.encode() in queue.content

    assert (
        rate(
            reviewer_client, assignments[reviewer.pk], "true", callbacks=django_capture_on_commit_callbacks
        ).status_code
        == 302
    )
    assert StatementSummary.objects.get(statement=statement).consensus == "pending"
    assert (
        rate(
            other_reviewer_client,
            assignments[other_reviewer.pk],
            "mostly_true",
            callbacks=django_capture_on_commit_callbacks,
        ).status_code
        == 302
    )

    summary = StatementSummary.objects.get(statement=statement)
    assert (summary.rating_count, summary.consensus, summary.settled) == (2, "mostly_true", True)
    article_page = editor_client.get(reverse("reviews:article_detail", args=[article.pk]))
    assert b"Mostly true" in article_page.content
    assert article.summary.settled_count == 1
    assert article.summary.distribution == {"mostly_true": 1}
    assert Rating.objects.get(reviewer=reviewer, statement=statement).evidence.get().url == (
        "https://council.example.org/minutes"
    )
    done = reviewer_client.get(reverse("reviews:queue"))
    assert b"You have not rated anything yet" not in done.content
    assert b"you: True" in done.content  # their own verdict, beside the desk's


def test_disagreeing_ratings_are_disputed_and_an_editor_settles_them(
    admin_client_role,
    editor_client,
    reviewer_client,
    other_reviewer_client,
    reviewer,
    other_reviewer,
    django_capture_on_commit_callbacks,
):
    article = upload_and_assign(admin_client_role, editor_client, django_capture_on_commit_callbacks)
    statement = article.statements.order_by("position").first()
    assignments = {a.reviewer_id: a for a in Assignment.objects.filter(statement=statement)}
    rate(reviewer_client, assignments[reviewer.pk], "true", callbacks=django_capture_on_commit_callbacks)
    rate(other_reviewer_client, assignments[other_reviewer.pk], "false", callbacks=django_capture_on_commit_callbacks)

    summary = StatementSummary.objects.get(statement=statement)
    assert (summary.consensus, summary.settled) == ("disputed", False)
    overview = editor_client.get(reverse("reviews:overview"))
    assert statement.text[:40].encode() in overview.content
    assert b"Disputed" in editor_client.get(reverse("reviews:article_detail", args=[article.pk])).content

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("reviews:statement_settle", args=[statement.pk]),
            {"verdict": "half_true", "note": "Both partly right."},
        )
    summary.refresh_from_db()
    assert (summary.final_verdict, summary.settled) == ("half_true", True)
    # Settled: the reviewer can no longer change their rating.
    rate(reviewer_client, assignments[reviewer.pk], "pants_on_fire", callbacks=django_capture_on_commit_callbacks)
    assert Rating.objects.get(reviewer=reviewer, statement=statement).verdict == "true"


def test_reviewer_does_not_see_other_ratings_before_submitting(
    reviewer_client, other_reviewer_client, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    from tests.factories import AssignmentFactory, StatementFactory

    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    theirs = AssignmentFactory(statement=statement, reviewer=other_reviewer)
    rate(
        other_reviewer_client,
        theirs,
        "pants_on_fire",
        rationale="SECRET-RATIONALE",
        callbacks=django_capture_on_commit_callbacks,
    )

    before = reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    assert b"SECRET-RATIONALE" not in before.content
    assert b"Pants on fire" not in before.content.split(b'id="rating-form"')[0]
    rate(reviewer_client, mine, "false", callbacks=django_capture_on_commit_callbacks)
    after = reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    assert b"SECRET-RATIONALE" in after.content


def test_rationale_is_required_unless_not_checkable(reviewer_client, reviewer, django_capture_on_commit_callbacks):
    from tests.factories import AssignmentFactory

    assignment = AssignmentFactory(reviewer=reviewer)
    response = rate(reviewer_client, assignment, "false", rationale="", callbacks=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and b"Explain your verdict" in response.content
    assert not Rating.objects.exists()
    response = rate(
        reviewer_client, assignment, "not_checkable", rationale="", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert Rating.objects.get().verdict == "not_checkable"


def test_reviewer_can_edit_their_rating_until_settled(reviewer_client, reviewer, django_capture_on_commit_callbacks):
    from tests.factories import AssignmentFactory

    assignment = AssignmentFactory(reviewer=reviewer)
    rate(reviewer_client, assignment, "false", callbacks=django_capture_on_commit_callbacks)
    rate(reviewer_client, assignment, "mostly_false", callbacks=django_capture_on_commit_callbacks)
    rating = Rating.objects.get()
    assert rating.verdict == "mostly_false"
    assert rating.evidence.count() == 1
