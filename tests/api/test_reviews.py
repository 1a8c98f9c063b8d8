"""Assignments, the reviewer's queue and ratings through the API, with blind review holding as on the pages."""

import pytest
from django.urls import reverse

from reviews.models import Assignment, Rating
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(reviewer, other_reviewer, third_reviewer):
    article = ArticleFactory()
    for position, score in enumerate([0.9, 0.6, 0.2]):
        StatementFactory(article=article, position=position, score=score)
    return article


def test_an_editor_assigns_by_hand_and_existing_pairs_are_left_alone(editor_api, article, reviewer, other_reviewer):
    statements = list(article.statements.values_list("pk", flat=True))
    body = {"statements": statements[:2], "reviewers": [reviewer.pk, other_reviewer.pk]}
    first = editor_api.post(reverse("api:assignment-list"), body)
    assert first.status_code == 201 and first.json()["created"] == 4
    assert editor_api.post(reverse("api:assignment-list"), body).json()["created"] == 0
    listed = editor_api.get(reverse("api:assignment-list"), {"article": article.pk, "reviewer": reviewer.pk}).json()
    assert sorted(a["statement"] for a in listed["results"]) == sorted(statements[:2])


def test_assigning_to_someone_who_is_not_a_reviewer_is_refused(editor_api, article, editor):
    statement = article.statements.first()
    response = editor_api.post(reverse("api:assignment-list"), {"statements": [statement.pk], "reviewers": [editor.pk]})
    assert response.status_code == 400 and "reviewers" in response.json()["errors"]
    unknown = editor_api.post(reverse("api:assignment-list"), {"statements": [10**9], "reviewers": [editor.pk]})
    assert unknown.status_code == 400 and "statements" in unknown.json()["errors"]
    assert not Assignment.objects.exists()


def test_auto_assign_previews_then_makes_exactly_what_it_previewed(editor_api, article):
    body = {"article": article.pk, "per_statement": 2, "only_checkable": True}
    preview = editor_api.post(reverse("api:assignment-auto"), {**body, "dry_run": True})
    assert preview.status_code == 200
    pairs = {(p["statement"], p["reviewer"]) for p in preview.json()["pairs"]}
    assert preview.json()["created"] == 0 and len(pairs) == 6
    assert not Assignment.objects.exists()
    made = editor_api.post(reverse("api:assignment-auto"), body)
    assert made.status_code == 201 and made.json()["created"] == 6
    assert set(Assignment.objects.values_list("statement_id", "reviewer_id")) == pairs
    again = editor_api.post(reverse("api:assignment-auto"), {**body, "dry_run": True})
    assert again.json()["pairs"] == []  # everyone has their reviewers


def test_auto_assign_needs_enough_reviewers(editor_api, article):
    response = editor_api.post(reverse("api:assignment-auto"), {"article": article.pk, "per_statement": 5})
    assert response.status_code == 400 and "reviewers" in response.json()["detail"]


def test_an_editor_takes_back_an_unrated_assignment_but_never_a_rated_one(editor_api, reviewer):
    open_one = AssignmentFactory(reviewer=reviewer)
    rated = AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)
    RatingFactory(statement=rated.statement, reviewer=reviewer)
    assert editor_api.delete(reverse("api:assignment-detail", args=[open_one.pk])).status_code == 204
    refused = editor_api.delete(reverse("api:assignment-detail", args=[rated.pk]))
    assert refused.status_code == 400 and "already rated" in refused.json()["detail"]
    assert list(Assignment.objects.values_list("pk", flat=True)) == [rated.pk]


def test_a_reviewer_lists_only_their_own_queue(reviewer_api, reviewer, other_reviewer):
    mine = AssignmentFactory(reviewer=reviewer)
    AssignmentFactory(reviewer=other_reviewer)
    done = AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)
    queue = reviewer_api.get(reverse("api:queue")).json()["results"]
    assert {a["id"] for a in queue} == {mine.pk, done.pk}
    todo = reviewer_api.get(reverse("api:queue"), {"status": "assigned"}).json()["results"]
    assert [a["id"] for a in todo] == [mine.pk]
    assert "summary" not in todo[0]["statement"]  # no consensus before rating: review stays blind


def rate(client, assignment, verdict="false", **extra):
    body = {"assignment": assignment.pk, "verdict": verdict, "confidence": 4, "rationale": "Minutes say so.", **extra}
    return client.post(reverse("api:rating-list"), body)


def test_a_reviewer_rates_their_assignment_and_updates_it(reviewer_api, reviewer):
    assignment = AssignmentFactory(reviewer=reviewer)
    created = rate(reviewer_api, assignment, evidence=[{"url": "https://example.org/minutes", "note": "p. 4"}])
    assert created.status_code == 201
    rating = created.json()
    assert rating["verdict"] == "false" and rating["evidence"] == [
        {"url": "https://example.org/minutes", "note": "p. 4"}
    ]
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE
    second = rate(reviewer_api, assignment)
    assert second.status_code == 409 and second.json()["code"] == "already_rated"
    url = reverse("api:rating-detail", args=[rating["id"]])
    patched = reviewer_api.patch(url, {"verdict": "mostly_false"})
    assert patched.status_code == 200
    assert patched.json()["verdict"] == "mostly_false" and patched.json()["evidence"][0]["note"] == "p. 4"
    replaced = reviewer_api.put(url, {"verdict": "false", "confidence": 2, "rationale": "On reflection."})
    assert replaced.json()["evidence"] == [] and replaced.json()["confidence"] == 2
    assert Rating.objects.count() == 1


def test_a_rating_needs_a_rationale_unless_not_checkable(reviewer_api, reviewer):
    assignment = AssignmentFactory(reviewer=reviewer)
    refused = rate(reviewer_api, assignment, rationale="", confidence=9)
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"confidence"}  # field errors first
    refused = rate(reviewer_api, assignment, rationale="  ")
    assert set(refused.json()["errors"]) == {"rationale"}
    assert rate(reviewer_api, assignment, verdict="not_checkable", rationale="").status_code == 201


def test_a_reviewer_cannot_rate_someone_elses_assignment(other_reviewer_api, reviewer):
    assignment = AssignmentFactory(reviewer=reviewer)
    response = rate(other_reviewer_api, assignment)
    assert response.status_code == 400 and "assignment" in response.json()["errors"]
    assert not Rating.objects.exists()


def test_a_settled_statements_rating_can_no_longer_change(reviewer_api, reviewer, editor):
    from reviews.services.settlement import statement_settle

    assignment = AssignmentFactory(reviewer=reviewer)
    rating = rate(reviewer_api, assignment).json()
    statement_settle(statement=assignment.statement, editor=editor, verdict="true")
    response = reviewer_api.patch(reverse("api:rating-detail", args=[rating["id"]]), {"verdict": "true"})
    assert response.status_code == 400 and "settled" in response.json()["detail"]


def test_reviewer_cannot_see_other_reviewers_ratings_before_submitting_their_own(
    reviewer_api, other_reviewer_api, reviewer, other_reviewer
):
    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    theirs = AssignmentFactory(statement=statement, reviewer=other_reviewer)
    rate(other_reviewer_api, theirs, verdict="pants_on_fire")
    before = reviewer_api.get(reverse("api:queue-item", args=[mine.pk])).json()
    assert before["my_rating"] is None and before["other_ratings"] == []
    assert "pants_on_fire" not in str(before)
    assert reviewer_api.get(reverse("api:rating-list")).json()["results"] == []
    theirs_id = Rating.objects.get(reviewer=other_reviewer).pk
    assert reviewer_api.get(reverse("api:rating-detail", args=[theirs_id])).status_code == 404
    mine_rating = rate(reviewer_api, mine, verdict="true").json()
    assert [r["verdict"] for r in mine_rating["other_ratings"]] == ["pants_on_fire"]
    after = reviewer_api.get(reverse("api:queue-item", args=[mine.pk])).json()
    assert after["my_rating"]["verdict"] == "true"
    assert [r["reviewer"]["username"] for r in after["other_ratings"]] == ["rev_b"]


def test_the_queue_item_shows_the_statement_in_its_article(reviewer_api, reviewer):
    article = ArticleFactory(body="Intro. The council spent $48 million on the bridge. Outro.")
    statement = StatementFactory(article=article, start=7, end=51, text="The council spent $48 million on the bridge.")
    assignment = AssignmentFactory(statement=statement, reviewer=reviewer)
    body = reviewer_api.get(reverse("api:queue-item", args=[assignment.pk])).json()
    assert body["context_before"] == "Intro. " and body["context_after"] == " Outro."
    assert body["statement"]["text"] == statement.text and body["locked"] is False


def test_a_change_after_seeing_others_through_the_api_is_kept_as_a_marked_revision(
    reviewer_api, other_reviewer_api, reviewer, other_reviewer
):
    statement = StatementFactory()
    mine = AssignmentFactory(statement=statement, reviewer=reviewer)
    theirs = AssignmentFactory(statement=statement, reviewer=other_reviewer)
    rate(other_reviewer_api, theirs, verdict="pants_on_fire")
    # A change before anyone else's rating is on screen stays blind: the blind verdict follows it.
    alone = AssignmentFactory(reviewer=reviewer)
    solo = rate(reviewer_api, alone, verdict="true").json()
    reviewer_api.patch(reverse("api:rating-detail", args=[solo["id"]]), {"verdict": "half_true"})
    solo_rating = Rating.objects.get(pk=solo["id"])
    assert (solo_rating.blind_verdict, solo_rating.revised_after_seeing) == ("half_true", False)
    # The create response shows the colleague's rating, so a later change is no longer blind.
    created = rate(reviewer_api, mine, verdict="true").json()
    assert [r["verdict"] for r in created["other_ratings"]] == ["pants_on_fire"]
    reviewer_api.patch(reverse("api:rating-detail", args=[created["id"]]), {"verdict": "false"})
    rating = Rating.objects.get(pk=created["id"])
    assert (rating.verdict, rating.blind_verdict, rating.revised_after_seeing) == ("false", "true", True)
