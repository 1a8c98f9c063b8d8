"""Assignments of statements to reviewers, their ratings, and the verdict summaries computed from them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article, Statement

from .verdicts import VERDICT_LABELS, Verdict

VERDICT_CHOICES = [(v.value, VERDICT_LABELS[v]) for v in Verdict]


def default_due_at():
    """A new assignment's deadline unless the editor gives one: the desk's default hours from now."""
    return timezone.now() + timedelta(hours=settings.ASSIGNMENT_DEFAULT_DUE_HOURS)


OPEN_WITH_DUE_DATE = Q(status="assigned", due_at__isnull=False)
DUE_SOON_UNNOTICED = OPEN_WITH_DUE_DATE & (Q(due_soon_noticed_for__isnull=True) | ~Q(due_soon_noticed_for=F("due_at")))
OVERDUE_UNNOTICED = OPEN_WITH_DUE_DATE & (Q(overdue_noticed_for__isnull=True) | ~Q(overdue_noticed_for=F("due_at")))


class AssignmentBatch(models.Model):
    """One confirmed auto-assign: what the editor chose (`choices`) and what it made, recorded as one action.
    Its assignments point here, so the batch can be undone as a whole while none of it has been rated."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Assigned"
        UNDONE = "undone", "Undone"

    TRANSITIONS = {"status": {Status.CONFIRMED: {Status.UNDONE}, Status.UNDONE: set()}}

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    choices = models.JSONField(default=dict, blank=True, help_text="The preview's settings the editor confirmed.")
    assignment_count = models.PositiveIntegerField(default=0)
    per_reviewer = models.JSONField(default=dict, blank=True, help_text="reviewer name → assignments made")

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"auto-assign batch {self.pk} ({self.assignment_count})"


class Assignment(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "To do"
        DONE = "done", "Rated"
        CLOSED = "closed", "Reassigned"

    # A reviewer's first rating closes the assignment as done; an editor may reassign an open one (closed, kept
    # with its history, and a new one made for the colleague) or take it back (deleted, with its event).
    TRANSITIONS = {"status": {Status.ASSIGNED: {Status.DONE, Status.CLOSED}, Status.DONE: set(), Status.CLOSED: set()}}

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(default=default_due_at)
    # The due date whose "due within a day" / "overdue" was announced (reviews.services.deadline_notices):
    # compared with due_at, so a moved deadline is announced again and an announced one never twice.
    due_soon_noticed_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_noticed_for = models.DateTimeField(null=True, blank=True, editable=False)
    batch = models.ForeignKey(
        AssignmentBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    score = models.FloatField(
        default=0.0,
        help_text="The statement's check-worthiness when assigned (refreshed after re-scoring): the "
        "queue's order, read from this row's index rather than by sorting every assignment by a join.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A reassigned (closed) assignment stays as history; the statement may come back to that reviewer.
            models.UniqueConstraint(
                fields=["statement", "reviewer"], condition=~Q(status="closed"), name="assignment_unique_reviewer"
            ),
        ]
        indexes = [
            # The queue: earliest due first, then most check-worthy (reviews.selectors.assignments.TODO_ORDER).
            models.Index(fields=["reviewer", "status", "due_at", "-score", "id"], name="assignment_todo_due"),
            models.Index(fields=["reviewer", "status", "-id"], name="assignment_done"),
            # The editors' overdue list: open assignments by due date, however many are done.
            models.Index(fields=["due_at", "id"], condition=Q(status="assigned"), name="assignment_open_due"),
            # The deadline scan: open assignments whose due date was not announced yet, by due date. Announced
            # ones leave the index, so the scan reads only work still to announce however many are overdue.
            models.Index(fields=["due_at"], condition=DUE_SOON_UNNOTICED, name="assignment_due_soon_unnoticed"),
            models.Index(fields=["due_at"], condition=OVERDUE_UNNOTICED, name="assignment_overdue_unnoticed"),
        ]
        permissions = [("assign_statements", "Can assign statements to reviewers")]

    def __str__(self) -> str:
        return f"{self.reviewer} → statement {self.statement_id}"


class Rating(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="ratings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    verdict = models.CharField(max_length=20, choices=VERDICT_CHOICES, help_text="The current verdict")
    blind_verdict = models.CharField(
        max_length=20,
        choices=VERDICT_CHOICES,
        blank=True,
        default="",
        help_text="The last verdict given before seeing colleagues' ratings: agreement figures count this one.",
    )
    confidence = models.PositiveSmallIntegerField(help_text="1 = a guess, 5 = certain")
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    saw_others_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reviewer was first shown colleagues' ratings of the statement."
    )
    revised_after_seeing = models.BooleanField(
        default=False, help_text="Changed after the reviewer had seen colleagues' ratings: no longer blind."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "reviewer"], name="rating_unique_reviewer"),
            models.CheckConstraint(condition=Q(confidence__gte=1) & Q(confidence__lte=5), name="rating_confidence_1_5"),
            models.CheckConstraint(condition=Q(verdict__in=[v.value for v in Verdict]), name="rating_verdict_valid"),
        ]
        permissions = [("rate_statements", "Can rate statements assigned to them")]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_verdict_display()}"


class EvidenceLink(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    note = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rating", "position", "pk"]

    def __str__(self) -> str:
        return self.url


class StatementSummary(models.Model):
    """Counts and consensus are derived from the ratings (statement_summary_recompute); the editor_* fields
    hold an editor's settlement, the one decision stored here."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="summary")
    rating_count = models.PositiveIntegerField(default=0)
    consensus = models.CharField(max_length=20, default="pending", db_index=True)
    settled = models.BooleanField(default=False, db_index=True)
    editor_verdict = models.CharField(max_length=20, choices=VERDICT_CHOICES, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settle_note = models.TextField(blank=True)
    settled_by_reference = models.ForeignKey(
        Statement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The earlier statement making the same claim whose verdict an editor carried over.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    team_snapshot = models.JSONField(
        default=list,
        blank=True,
        help_text="The ratings the team figures last counted for this statement: [reviewer id, verdict, minutes].",
    )

    class Meta:
        permissions = [("settle_statements", "Can settle disputed statements")]
        indexes = [
            # The overview's "disputed, waiting for an editor", newest first.
            models.Index(
                fields=["-updated_at"], condition=Q(consensus="disputed", settled=False), name="summary_disputed"
            )
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id}: {self.consensus}"

    @property
    def final_verdict(self) -> str:
        return self.editor_verdict or self.consensus


class ReviewerLoad(models.Model):
    """How many statements a reviewer has still to rate and has rated: counted as assignments are made,
    rated and taken back (in the same transaction), so pages never count assignments."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="review_load"
    )
    open_count = models.IntegerField(default=0)
    done_count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.open_count} open, {self.done_count} done"


class ReviewerCapacity(models.Model):
    """The most open assignments auto-assign gives a reviewer (None: the desk's REVIEWER_DEFAULT_CAPACITY).
    Set on the Team page. Its row is also the lock two confirming editors take turns on (ReviewerLoad is
    rebuilt by recomputes, so it cannot hold a setting)."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="review_capacity"
    )
    max_open = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.reviewer_id}: at most {self.max_open if self.max_open is not None else 'default'} open"

    @property
    def limit(self) -> int:
        return self.max_open if self.max_open is not None else settings.REVIEWER_DEFAULT_CAPACITY


class StaleSummary(models.Model):
    """A statement whose summaries must be recomputed. Written in the same transaction as the rating or
    settlement that made them stale, so a lost task message delays a figure but never loses it: the
    recompute removes the mark only if nothing marked it again meanwhile (the version), and beat drains
    what is left."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveIntegerField(default=0)
    marked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"statement {self.statement_id} stale since {self.marked_at}"


class ArticleSummary(models.Model):
    class State(models.TextChoices):
        """Where the article is in review (rule: reviews.verdicts.article_state); an article without a summary
        is new."""

        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        DISPUTED = "disputed", "Disputed"
        SETTLED = "settled", "Settled, ready to publish"
        PUBLISHED = "published", "Published"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="summary")
    rated_count = models.PositiveIntegerField(default=0)
    settled_count = models.PositiveIntegerField(default=0)
    disputed_count = models.PositiveIntegerField(default=0)
    distribution = models.JSONField(default=dict, blank=True, help_text="final verdict → statement count")
    state = models.CharField(
        max_length=10,
        choices=State.choices,
        default=State.NEW,
        help_text="Derived with the counts (and from the report's status), so the triage board finds the "
        "articles ready to publish through an index instead of comparing counts across every article.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state", "-updated_at"], name="articlesummary_state")]

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.settled_count} settled"


class Report(models.Model):
    """An article's public fact-check report: the editor's headline and introduction, and one ReportClaim per
    settled statement the editor has seen, of which readers get only the included ones."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Publishing a published report again publishes an update; a withdrawn one may be published again.
    TRANSITIONS = {
        "status": {
            Status.DRAFT: {Status.DRAFT, Status.PUBLISHED},
            Status.PUBLISHED: {Status.PUBLISHED, Status.WITHDRAWN},
            Status.WITHDRAWN: {Status.DRAFT, Status.PUBLISHED},
        }
    }

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="The editor's introduction to the report.")
    first_published_at = models.DateTimeField(
        null=True, blank=True, help_text="Kept when the report is published again: the public datePublished."
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="The latest publication.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credit_reviewers = models.BooleanField(
        default=True,
        help_text="Name in the byline, beside the publishing editor, the reviewers whose verdicts the report "
        "carries and who agreed to be named.",
    )
    tally = models.JSONField(
        default=dict, blank=True, help_text="verdict → number of included claims, written with the claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="report_public_list")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, first_published_at__isnull=False),
                name="report_published_has_date",
            ),
        ]
        permissions = [("publish_reports", "Can publish fact-check reports")]

    def __str__(self) -> str:
        return self.headline

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReportClaim(models.Model):
    """One settled statement as its report tells it: the wording, the claimant, where and when it was said and
    the explanation the editor approved, with the verdict they approved them for. A row is written only by
    saving or publishing the report, so readers never see a word the editor did not; `included` False keeps
    an editor's choice to leave a claim out."""

    class ClaimantType(models.TextChoices):
        PERSON = "Person", "Person"
        ORGANIZATION = "Organization", "Organization"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="claims")
    # One report per article, so a statement is in at most one report.
    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="report_claim")
    included = models.BooleanField(default=True)
    verdict = models.CharField(
        max_length=20, choices=VERDICT_CHOICES, help_text="The final verdict when the editor last saved the claim"
    )
    claim_text = models.TextField(help_text="The claim as readers read it (schema.org claimReviewed).")
    claimant = models.CharField(max_length=300, blank=True, help_text="Who made the claim.")
    claimant_type = models.CharField(max_length=12, choices=ClaimantType.choices, default=ClaimantType.PERSON)
    appearance_url = models.URLField(max_length=2000, blank=True, help_text="Where the claim was made.")
    appearance_date = models.DateField(null=True, blank=True, help_text="When the claim was made.")
    explanation = models.TextField(blank=True, help_text="Why the verdict, in the editor's approved words.")
    sources = models.JSONField(default=list, blank=True, help_text='[{"url": ..., "note": ...}] shown to readers')
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=[v.value for v in Verdict if v != Verdict.NOT_CHECKABLE]),
                name="reportclaim_verdict_publishable",
            ),
            models.CheckConstraint(
                condition=Q(included=False) | ~Q(claim_text=""), name="reportclaim_included_has_text"
            ),
        ]
        indexes = [models.Index(fields=["report", "included"], name="reportclaim_public")]

    def __str__(self) -> str:
        return self.claim_text[:80]


class TeamCell(models.Model):
    """One of the sums the team figures are computed from (reviews.team_figures), for the desk (reviewer 0)
    or one reviewer. A statement's change adds its new share and subtracts its old one, so the figures stay
    current without re-reading every rating."""

    reviewer_id = models.BigIntegerField(help_text="0 for the whole desk")
    name = models.CharField(max_length=60)
    value = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reviewer_id", "name"], name="teamcell_one_per_scope_name")]

    def __str__(self) -> str:
        return f"{self.reviewer_id}:{self.name}={self.value}"


class TeamSummary(models.Model):
    """Verdict figures and inter-reviewer agreement for the whole desk (one row) and for each reviewer,
    all derived from the ratings and statement summaries by reviews.team.team_summaries_recompute."""

    class Scope(models.TextChoices):
        DESK = "desk", "Whole desk"
        REVIEWER = "reviewer", "One reviewer"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rating_count = models.PositiveIntegerField(default=0)
    statements_rated = models.PositiveIntegerField(default=0)
    settled_count = models.PositiveIntegerField(default=0, help_text="rated statements that are settled")
    disputed_count = models.PositiveIntegerField(default=0, help_text="rated statements disputed and not settled")
    distribution = models.JSONField(default=dict, blank=True, help_text="final verdict → settled statement count")
    agreement_with_consensus = models.FloatField(
        null=True, blank=True, help_text="share of ratings of settled statements equal to the final verdict"
    )
    alpha_ordinal = models.FloatField(null=True, blank=True, help_text="Krippendorff's alpha on the truth scale")
    alpha_nominal = models.FloatField(null=True, blank=True, help_text="Krippendorff's alpha over all verdicts")
    percent_agreement = models.FloatField(null=True, blank=True, help_text="desk only: agreeing reviewer pairs")
    median_hours_to_rate = models.FloatField(null=True, blank=True, help_text="assignment created → rating created")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope"], condition=Q(scope="desk"), name="teamsummary_one_desk_row"),
            models.UniqueConstraint(
                fields=["reviewer"], condition=Q(scope="reviewer"), name="teamsummary_one_row_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(scope="desk", reviewer__isnull=True) | Q(scope="reviewer", reviewer__isnull=False),
                name="teamsummary_scope_matches_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"team summary: {self.reviewer or 'desk'}"
