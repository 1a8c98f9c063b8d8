"""The claim memory on the desk: settled statements are remembered, new ones get "already checked" suggestions,
editors confirm, reject or settle by reference. Real PostgreSQL (or SQLite locally), the real matching engine."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.importing import ParsedArticle
from articles.models import ClaimMatch, MatcherModel, RememberedClaim, Statement
from articles.services import claim_memory
from articles.services.curation import statement_edit_text, statement_merge_with_next
from articles.services.storage import store_articles
from articles.tasks import claim_memory_sync_task, statements_match_pending_task
from factcheck.audit.models import AuditEvent
from reviews.models import StatementSummary
from reviews.publishing import services as publishing
from reviews.publishing.selectors import report_claims
from reviews.services.settlement import statement_settle, statement_settle_by_reference
from tests.factories import ArticleFactory, StatementFactory
from tests.publishing import prefilled_claims

pytestmark = pytest.mark.django_db

BRIDGE = "The council spent $48 million on the new bridge over the river in 2023."
BRIDGE_AGAIN = "The council spent 48 million dollars on the new bridge over the river in 2023!"
GIRAFFES = "Giraffes sleep less than two hours a day in the wild."


def settled(editor, text: str, verdict: str = "false") -> Statement:
    statement = StatementFactory(text=text, matched_at=None)
    statement_settle(statement=statement, editor=editor, verdict=verdict)
    return statement


def new_statement(text: str) -> Statement:
    return StatementFactory(text=text, article=ArticleFactory(), matched_at=None)


def test_a_statement_that_settles_joins_the_memory_and_the_index_catches_up(editor):
    assert claim_memory.memory_size() == 0
    first = settled(editor, BRIDGE)
    assert RememberedClaim.objects.filter(statement=first).exists()
    assert claim_memory.memory_size() == 1
    settled(editor, GIRAFFES)  # after the index was built: read incrementally, by memory id
    assert claim_memory.memory_size() == 2


def test_a_settled_statements_near_duplicate_gets_a_suggestion(editor):
    earlier = settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    assert claim_memory.statements_match([later.pk]) == 1
    match = ClaimMatch.objects.get(statement=later)
    assert match.earlier_id == earlier.pk
    assert match.status == ClaimMatch.Status.SUGGESTED
    assert match.score >= 0.55
    assert match.method == "default"
    later.refresh_from_db()
    assert later.matched_at is not None


def test_an_unrelated_statement_gets_no_suggestion_but_is_marked_looked_up(editor):
    settled(editor, BRIDGE)
    unrelated = new_statement(GIRAFFES)
    assert claim_memory.statements_match([unrelated.pk]) == 0
    assert not ClaimMatch.objects.exists()
    unrelated.refresh_from_db()
    assert unrelated.matched_at is not None


def test_an_unsettled_statement_is_not_suggested(editor):
    settled(editor, BRIDGE)
    pending_only = new_statement(BRIDGE)  # the same words, never settled: not in the memory
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    assert not ClaimMatch.objects.filter(earlier=pending_only).exists()


def test_an_imports_near_duplicate_of_a_settled_claim_gets_a_suggestion(editor, django_capture_on_commit_callbacks):
    earlier = settled(editor, BRIDGE)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = store_articles([ParsedArticle(title="Bridge", body=f"{BRIDGE_AGAIN}\n\n{GIRAFFES}")])
    stored = Statement.objects.filter(article_id=outcome[0].article_id).order_by("position")
    assert [s.matched_at is not None for s in stored] == [True, True]
    matches = ClaimMatch.objects.filter(statement__article_id=outcome[0].article_id)
    assert [(m.statement.text, m.earlier_id) for m in matches] == [(BRIDGE_AGAIN, earlier.pk)]


def test_running_the_match_task_again_creates_nothing_twice(editor):
    settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    assert statements_match_pending_task.apply(args=[[later.pk]]).get() == 1
    assert statements_match_pending_task.apply(args=[[later.pk]]).get() == 0
    # Even looked up afresh (as after an edit), the pair already there stays the one row.
    Statement.objects.filter(pk=later.pk).update(matched_at=None)
    assert statements_match_pending_task.apply().get() == 0
    assert ClaimMatch.objects.filter(statement=later).count() == 1


def test_beats_drain_looks_up_statements_whose_message_was_lost(editor):
    settled(editor, BRIDGE)
    lost = [new_statement(BRIDGE_AGAIN), new_statement(GIRAFFES)]
    assert statements_match_pending_task.apply().get() == 1
    assert Statement.objects.filter(pk__in=[s.pk for s in lost], matched_at__isnull=True).count() == 0


def test_a_rejected_pair_is_not_suggested_again_after_an_edit(editor, django_capture_on_commit_callbacks):
    settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    match = ClaimMatch.objects.get(statement=later)
    claim_memory.claim_match_decide(match=match, user=editor, decision="reject")
    with django_capture_on_commit_callbacks(execute=True):
        statement_edit_text(statement=later, user=editor, text=BRIDGE_AGAIN + " Really.")
    later.refresh_from_db()
    assert later.matched_at is not None  # looked up again after the edit
    assert list(ClaimMatch.objects.filter(statement=later).values_list("status", flat=True)) == ["rejected"]


def test_an_edit_drops_the_open_suggestions_keeps_the_decided_and_looks_the_new_text_up(
    editor, django_capture_on_commit_callbacks
):
    bridge, giraffes = settled(editor, BRIDGE), settled(editor, GIRAFFES)
    decided = settled(editor, "Bananas are berries, botanists say.")
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    assert list(ClaimMatch.objects.filter(statement=later).values_list("earlier_id", "status")) == [
        (bridge.pk, "suggested")
    ]
    ClaimMatch.objects.create(statement=later, earlier=decided, score=0.6, method="default", status="confirmed")

    with django_capture_on_commit_callbacks() as callbacks:
        statement_edit_text(statement=later, user=editor, text="Giraffes sleep less than 2 hours a day in the wild!")
    # Inside the edit's transaction: the suggestion for the old text is gone, the decision stays, and the lookup
    # waits for the commit.
    assert list(ClaimMatch.objects.filter(statement=later).values_list("earlier_id", "status")) == [
        (decided.pk, "confirmed")
    ]
    later.refresh_from_db()
    assert later.matched_at is None
    assert len(callbacks) == 1
    callbacks[0]()  # the commit sends the lookup (eager here)

    later.refresh_from_db()
    assert later.matched_at is not None
    assert set(ClaimMatch.objects.filter(statement=later).values_list("earlier_id", "status")) == {
        (decided.pk, "confirmed"),
        (giraffes.pk, "suggested"),
    }


def test_a_merge_drops_the_open_suggestions_of_the_statement_it_changes(editor, django_capture_on_commit_callbacks):
    settled(editor, BRIDGE)
    article = ArticleFactory(body=f"{BRIDGE_AGAIN} {GIRAFFES}")
    first = StatementFactory(article=article, position=0, start=0, end=len(BRIDGE_AGAIN), text=BRIDGE_AGAIN)
    claim_memory.statements_match([first.pk])
    assert ClaimMatch.objects.filter(statement=first, status="suggested").exists()
    second = StatementFactory(
        article=article, position=1, start=len(BRIDGE_AGAIN) + 1, end=len(article.body), text=GIRAFFES
    )
    with django_capture_on_commit_callbacks() as callbacks:
        statement_merge_with_next(statement=first, user=editor)
        assert not ClaimMatch.objects.filter(statement=first).exists()
    assert len(callbacks) == 1
    assert not Statement.objects.filter(pk=second.pk).exists()


def test_a_lookup_of_a_statement_edited_meanwhile_stores_nothing_for_the_old_text(editor, monkeypatch):
    settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    match_all = claim_memory._match_all

    def edited_while_matching(memory, matcher, pending):
        found = match_all(memory, matcher, pending)
        Statement.objects.filter(pk=later.pk).update(text=GIRAFFES)  # an editor's edit commits meanwhile
        return found

    monkeypatch.setattr(claim_memory, "_match_all", edited_while_matching)
    assert claim_memory.statements_match([later.pk]) == 0
    later.refresh_from_db()
    assert not ClaimMatch.objects.filter(statement=later).exists()
    assert later.matched_at is None  # still waiting: the edit's own lookup (or beat's drain) matches the new text


def test_an_editor_confirms_and_then_rejects_a_match_with_audit_events(editor):
    earlier = settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    match = ClaimMatch.objects.get(statement=later)

    claim_memory.claim_match_decide(match=match, user=editor, decision="confirm")
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (ClaimMatch.Status.CONFIRMED, editor)
    assert match.decided_at is not None
    confirmed = AuditEvent.objects.get(action="claim_match.confirmed")
    assert (confirmed.actor, confirmed.target_id, confirmed.parent_id) == (editor, match.pk, later.article_id)
    assert confirmed.after["earlier"] == earlier.pk

    claim_memory.claim_match_decide(match=match, user=editor, decision="reject")
    match.refresh_from_db()
    assert match.status == ClaimMatch.Status.REJECTED
    assert AuditEvent.objects.filter(action="claim_match.rejected", target_id=match.pk).count() == 1


def test_only_editors_decide_matches_and_only_confirm_or_reject(editor, reviewer):
    settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    match = ClaimMatch.objects.get(statement=later)
    with pytest.raises(PermissionDenied):
        claim_memory.claim_match_decide(match=match, user=reviewer, decision="confirm")
    with pytest.raises(ValidationError):
        claim_memory.claim_match_decide(match=match, user=editor, decision="maybe")
    match.refresh_from_db()
    assert match.status == ClaimMatch.Status.SUGGESTED
    assert not AuditEvent.objects.filter(action__startswith="claim_match.").exists()


def test_settling_by_reference_carries_the_earlier_verdict_over(editor):
    earlier = settled(editor, BRIDGE, verdict="mostly_false")
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])

    statement_settle_by_reference(statement=later, earlier=earlier, user=editor)

    summary = StatementSummary.objects.get(statement=later)
    assert (summary.final_verdict, summary.settled, summary.settled_by_reference_id) == (
        "mostly_false",
        True,
        earlier.pk,
    )
    later.refresh_from_db()
    assert later.review_status == Statement.ReviewStatus.SETTLED
    assert ClaimMatch.objects.get(statement=later).status == ClaimMatch.Status.CONFIRMED
    event = AuditEvent.objects.get(action="statement.settled_by_reference")
    assert (event.actor, event.target_id, event.after) == (
        editor,
        later.pk,
        {"earlier": earlier.pk, "verdict": "mostly_false"},
    )
    # Readers see it on the report; the statement itself is now remembered too.
    report = publishing.report_publish(
        article=later.article, editor=editor, headline="Checked before", claims=prefilled_claims(later.article)
    )
    [public] = report_claims(report_id=report.pk)
    assert (public.verdict, public.settled_by_reference) == ("mostly_false", True)
    assert RememberedClaim.objects.filter(statement=later).exists()


def test_settling_again_by_hand_clears_the_reference(editor):
    earlier = settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    statement_settle_by_reference(statement=later, earlier=earlier, user=editor)
    statement_settle(statement=later, editor=editor, verdict="true")
    assert StatementSummary.objects.get(statement=later).settled_by_reference_id is None


def test_a_rejected_match_cannot_settle_by_reference(editor):
    earlier = settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    claim_memory.claim_match_decide(match=ClaimMatch.objects.get(statement=later), user=editor, decision="reject")
    with pytest.raises(ValidationError):
        statement_settle_by_reference(statement=later, earlier=earlier, user=editor)
    assert not StatementSummary.objects.filter(statement=later, settled=True).exists()


def test_sync_adds_what_events_missed_and_drops_the_unsettled(editor):
    kept = settled(editor, BRIDGE)
    missed = StatementFactory(text=GIRAFFES, review_status=Statement.ReviewStatus.SETTLED)
    unsettled = settled(editor, "Bananas are berries, botanists say.")
    Statement.objects.filter(pk=unsettled.pk).update(review_status=Statement.ReviewStatus.RATED)

    assert tuple(claim_memory_sync_task.apply().get()) == (1, 1)
    assert set(RememberedClaim.objects.values_list("statement_id", flat=True)) == {kept.pk, missed.pk}
    assert tuple(claim_memory_sync_task.apply().get()) == (0, 0)


def test_a_statement_that_left_the_memory_is_no_longer_suggested(editor):
    earlier = settled(editor, BRIDGE)
    assert claim_memory.memory_size() == 1  # indexed in this process
    Statement.objects.filter(pk=earlier.pk).update(review_status=Statement.ReviewStatus.DISPUTED)
    later = new_statement(BRIDGE_AGAIN)
    assert claim_memory.statements_match([later.pk]) == 0
    assert claim_memory.memory_size() == 0


def test_the_statement_page_shows_earlier_checks_and_the_editor_acts_on_them(editor, editor_client):
    earlier = settled(editor, BRIDGE)
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    match = ClaimMatch.objects.get(statement=later)

    page = editor_client.get(reverse("reviews:statement_review", args=[later.pk])).content.decode()
    assert "Earlier checks" in page
    assert reverse("reviews:statement_review", args=[earlier.pk]) in page
    assert reverse("reviews:statement_settle_by_reference", args=[match.pk]) in page
    article_page = editor_client.get(reverse("reviews:article_detail", args=[later.article_id])).content.decode()
    assert "Already checked" in article_page

    response = editor_client.post(reverse("reviews:claim_match_decide", args=[match.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == ClaimMatch.Status.CONFIRMED

    response = editor_client.post(reverse("reviews:statement_settle_by_reference", args=[match.pk]))
    assert response.status_code == 302
    assert StatementSummary.objects.get(statement=later).settled_by_reference_id == earlier.pk
    page = editor_client.get(reverse("reviews:statement_review", args=[later.pk])).content.decode()
    assert "by reference to" in page


def test_training_the_matcher_needs_enough_decisions(editor):
    with pytest.raises(ValidationError):
        claim_memory.matcher_train(trained_by=editor)
    assert not MatcherModel.objects.exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_earlier_checks_cost_the_same_queries_however_many_there_are(editor, editor_client):
    article = ArticleFactory()
    statements = [StatementFactory(article=article, position=i, text=f"Claim {i} about the bridge.") for i in range(8)]
    earlier = [settled(editor, f"Earlier claim {i} about the bridge.") for i in range(8)]
    ClaimMatch.objects.create(statement=statements[0], earlier=earlier[0], score=0.8, method="default")
    statement_url = reverse("reviews:statement_review", args=[statements[0].pk])
    article_url = reverse("reviews:article_detail", args=[article.pk])
    few = (_queries(editor_client, statement_url), _queries(editor_client, article_url))

    ClaimMatch.objects.bulk_create(
        [ClaimMatch(statement=s, earlier=e, score=0.7, method="default") for s in statements for e in earlier[1:]]
    )
    many = (_queries(editor_client, statement_url), _queries(editor_client, article_url))
    assert many == few
    assert max(many) <= 12
    assert editor_client.get(article_url).content.decode().count("Already checked") == len(statements)


def test_readers_see_a_verdict_settled_by_reference_on_the_report_and_in_its_claimreview(editor, client):
    earlier = settled(editor, BRIDGE, verdict="false")
    later = new_statement(BRIDGE_AGAIN)
    claim_memory.statements_match([later.pk])
    statement_settle_by_reference(statement=later, earlier=earlier, user=editor)
    report = publishing.report_publish(
        article=later.article, editor=editor, headline="Bridge", claims=prefilled_claims(later.article)
    )

    page = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert "Settled by reference" in page
    document = client.get(reverse("reviews:report_json", args=[report.pk])).json()
    reviews = [item for item in _walk(document) if isinstance(item, dict) and item.get("@type") == "ClaimReview"]
    assert [r["reviewRating"]["ratingExplanation"].startswith("Settled by reference") for r in reviews] == [True]


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
