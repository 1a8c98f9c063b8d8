"""Articles, their statements, and the import jobs that bring them in."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        DONE_WITH_ERRORS = "done_with_errors", "Done with errors"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload"
        COMMAND = "command", "Command line"
        URLS = "urls", "URLs"
        FEED = "feed", "Feed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)
    label = models.CharField(max_length=300, blank=True, help_text="What was imported, in a few words.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker last stored a batch of this job: a running job whose "
        "heartbeat stops has lost its worker.",
    )
    requeued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the stale-job sweep last sent this job to the workers again."
    )
    sources_total = models.PositiveIntegerField(default=0)
    sources_done = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    succeeded = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    retry_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        help_text="The job whose failed items this job tries again.",
    )

    # Which status may follow which (factcheck.audit.transitions); a finished job never runs again: retrying
    # its failed items makes a new job.
    TRANSITIONS = {
        "status": {
            Status.PENDING: {Status.RUNNING},
            Status.RUNNING: {Status.DONE, Status.DONE_WITH_ERRORS, Status.FAILED},
            Status.DONE: set(),
            Status.DONE_WITH_ERRORS: set(),
            Status.FAILED: set(),
        }
    }

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("import_articles", "Can import articles")]
        indexes = [
            # The triage board's "failed imports", newest first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status__in=["failed", "done_with_errors"]),
                name="importjob_failed",
            )
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.DONE_WITH_ERRORS, self.Status.FAILED}

    @property
    def nothing_imported(self) -> bool:
        """Finished with failed items and not one imported or found again: for a reader, a failure."""
        return self.status == self.Status.DONE_WITH_ERRORS and not (self.succeeded or self.duplicates)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.sources_total:
            return 0
        return min(99, round(100 * self.sources_done / self.sources_total))


class ImportSource(models.Model):
    """What an admin handed in: an uploaded file (kept as bytes) or a URL. Expands into import items."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        URL = "url", "URL"
        RECORD = "record", "Record"  # one CSV/JSON row retried on its own, kept as JSON

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True)
    raw = models.BinaryField(blank=True)
    done = models.BooleanField(default=False)
    resumes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A source of a failed job read again by a retry: the positions it already stored are skipped.",
    )

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="importsource_unique_position")]

    def __str__(self) -> str:
        return self.name


class ImportItem(models.Model):
    """One thing handed to an import (a file, a zip member, a CSV row, a URL), kept with its raw input."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(help_text="Order within its source.")
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    raw = models.BinaryField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_items"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "source", "position"]
        constraints = [models.UniqueConstraint(fields=["source", "position"], name="importitem_unique_position")]
        indexes = [models.Index(fields=["job", "status"], name="importitem_job_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class Article(models.Model):
    title = models.CharField(max_length=500)
    body = models.TextField(help_text="Cleaned text; statements point into it by character offsets.")
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    statement_count = models.PositiveIntegerField(
        default=0, help_text="Kept up to date by storage and curation, so lists never count statements."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_unique_url"),
        ]
        indexes = [
            # The desk's article list, newest first: read from this index, not by sorting every article (a year's
            # 20,000 articles took 100-200 ms to sort for every page).
            models.Index(fields=["-created_at", "-id"], name="article_newest_first"),
            # The article list filtered by source, newest first.
            models.Index(fields=["site_name", "-created_at", "-id"], name="article_site_newest"),
            # The overview's statement total, SUM(statement_count), read from this small index alone (an
            # index-only scan) instead of every article row with its text.
            models.Index(fields=["statement_count"], name="article_statement_count"),
        ]

    def __str__(self) -> str:
        return self.title


class Statement(models.Model):
    class Checkability(models.TextChoices):
        CHECKABLE = "checkable", "Checkable"
        CANDIDATE_NOT_CHECKABLE = "candidate", "Probably not checkable"
        NOT_CHECKABLE = "not_checkable", "Not checkable"

    class ReviewStatus(models.TextChoices):
        """Where the statement is in review. The reviews app moves it; curation reads it to know what it may
        still change (nothing once rated or settled; no split or merge once assigned)."""

        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        RATED = "rated", "Rated"
        DISPUTED = "disputed", "Disputed"
        SETTLED = "settled", "Settled"

    # No index of its own: the unique (article, position) index serves every lookup by article, and each index
    # more is work on every statement an import inserts.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements", db_index=False)
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    score = models.FloatField(default=0.0, db_index=True)
    score_reasons = models.JSONField(default=list, blank=True)
    scored_by = models.CharField(max_length=100, blank=True)
    # Indexed in Meta: db_index would add a second, LIKE-only index on PostgreSQL that no query uses.
    checkability = models.CharField(max_length=16, choices=Checkability.choices, default=Checkability.CHECKABLE)
    # Filtered through the (review_status, ...) indexes in Meta, which lead with it.
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NEW)
    matched_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the claim memory was searched for earlier checks of this statement; empty while it waits.",
    )

    # Settlement as data: an editor may settle a statement in any state and revise a settled verdict;
    # ratings move it forward; only taking back its last assignment sends it back to new.
    TRANSITIONS = {
        "review_status": {
            ReviewStatus.NEW: {ReviewStatus.ASSIGNED, ReviewStatus.SETTLED},
            ReviewStatus.ASSIGNED: {ReviewStatus.NEW, ReviewStatus.RATED, ReviewStatus.SETTLED},
            ReviewStatus.RATED: {ReviewStatus.DISPUTED, ReviewStatus.SETTLED},
            ReviewStatus.DISPUTED: {ReviewStatus.SETTLED},
            ReviewStatus.SETTLED: {ReviewStatus.SETTLED},
        }
    }

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="statement_unique_position"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="statement_span_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="statement_score_0_1"),
        ]
        permissions = [("curate_statements", "Can edit, split, merge and mark statements")]
        indexes = [
            # The claim memory's lookup queue: only statements still waiting, oldest first, however many exist.
            models.Index(fields=["id"], condition=Q(matched_at__isnull=True), name="statement_unmatched"),
            # The triage board's "new checkable statements nobody is assigned to", best score first.
            models.Index(
                fields=["-score", "-id"],
                condition=Q(review_status="new", checkability="checkable"),
                name="statement_new_checkable",
            ),
            # The statement list filtered by state, by score or newest first.
            models.Index(fields=["review_status", "-score", "-id"], name="statement_state_score"),
            models.Index(fields=["review_status", "-id"], name="statement_state_newest"),
            models.Index(fields=["checkability"], name="statement_checkability"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class TrainedModel(models.Model):
    """A stored trained model: a version, who trained it on what, its measured figures and its pickled payload;
    at most one of a kind is active (each concrete model names its constraint). Stored and activated by
    articles.services.trained_models."""

    version = models.CharField(max_length=100, unique=True)
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metrics = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField()
    is_active = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["-trained_at", "-pk"]

    def __str__(self) -> str:
        return self.version


class ScorerModel(TrainedModel):
    """A check-worthiness classifier trained on the desk's own decisions (or an uploaded CSV)."""

    source = models.CharField(max_length=200, help_text="What it learned from, e.g. 'desk decisions' or a file.")

    class Meta(TrainedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_scorer")
        ]


class RememberedClaim(models.Model):
    """A settled statement the claim memory holds, for new statements to be matched against. Ids only grow, so
    each process's in-memory index catches up by reading the rows after the last id it has seen."""

    id = models.BigAutoField(primary_key=True)
    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="+")
    remembered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"remembered statement {self.statement_id}"


class ClaimMatch(models.Model):
    """A new statement that may make the same claim as an earlier, settled one: suggested by the matcher, then
    confirmed or rejected by an editor. One row per pair, so a rejected pair is never suggested again."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="claim_matches")
    earlier = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="later_matches")
    score = models.FloatField(help_text="The matcher's similarity (0..1); a trained matcher's P(same claim).")
    method = models.CharField(max_length=100, help_text="The matcher version that suggested it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    # An editor may change their mind; nothing goes back to "suggested".
    TRANSITIONS = {
        "status": {
            Status.SUGGESTED: {Status.CONFIRMED, Status.REJECTED},
            Status.CONFIRMED: {Status.REJECTED},
            Status.REJECTED: {Status.CONFIRMED},
        }
    }

    class Meta:
        ordering = ["statement", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "earlier"], name="claimmatch_unique_pair"),
            models.CheckConstraint(condition=~Q(statement=models.F("earlier")), name="claimmatch_not_itself"),
        ]
        indexes = [
            # Training reads the decided pairs; the desk pages read a statement's own rows through its FK.
            models.Index(fields=["status"], condition=~Q(status="suggested"), name="claimmatch_decided"),
            # The triage board's "already checked?" section: open suggestions, best similarity first.
            models.Index(fields=["-score", "-id"], condition=Q(status="suggested"), name="claimmatch_open_best"),
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id} ~ {self.earlier_id} ({self.status})"


class MatcherModel(TrainedModel):
    """A claim re-ranker trained on the desk's confirmed and rejected matches; at most one is active."""

    source = models.CharField(max_length=200, help_text="What it learned from, e.g. 'desk decisions (40 pairs)'.")

    class Meta(TrainedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_matcher")
        ]

    @property
    def figures(self) -> dict[str, float | None]:
        """The cross-validated ranking figures under names a template can read ("map@5" cannot be)."""
        return {
            "map5": self.metrics.get("map@5"),
            "p1": self.metrics.get("p@1"),
            "recall5": self.metrics.get("recall@5"),
        }


class Feed(models.Model):
    """An RSS/Atom feed the desk subscribes to; polled by Celery beat every `interval_minutes`."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    interval_minutes = models.PositiveIntegerField(default=60)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_minutes__gte=5), name="feed_interval_at_least_5_min")
        ]

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """One entry seen in a feed; the unique (feed, guid) pair is what stops an entry importing twice."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=1000)
    link = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feedentry_unique_guid")]

    def __str__(self) -> str:
        return self.title or self.link
