"""Notices (one per event and recipient), each member's unread count and delivery preference, and the
e-mails owed: one per immediate notice, one digest per member per day."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notice(models.Model):
    """Something a member is told about, written once per (event, recipient): the unique key makes a repeated
    announcement or a retried task a no-op. The title is written when the event happens, so the list reads
    one table."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        DUE_SOON = "due_soon", "Due within a day"
        OVERDUE = "overdue", "Overdue"
        DISPUTED = "disputed", "Statement disputed"
        SETTLED = "settled", "Statement settled"
        REPORT_PUBLISHED = "report_published", "Report published"
        IMPORT_FAILURES = "import_failures", "Import with failures"

    class Target(models.TextChoices):
        """What the notice links to (factcheck.notifications.links turns it into a URL)."""

        QUEUE = "queue", "Review queue"
        ASSIGNMENT = "assignment", "Assignment"
        STATEMENT = "statement", "Statement"
        ARTICLE = "article", "Article"
        REPORT = "report", "Report"
        IMPORT = "import", "Import job"
        OVERVIEW = "overview", "Desk overview"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120, help_text="The event's identity: one notice per key and recipient.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    target_kind = models.CharField(max_length=12, choices=Target.choices)
    target_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_recipient")]
        indexes = [
            # The list, newest first, a keyset page at a time.
            models.Index(fields=["recipient", "-id"], name="notice_inbox"),
            # The digest: a member's unread notices of the last day.
            models.Index(fields=["recipient", "created_at"], condition=Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class UnreadCount(models.Model):
    """How many notices a member has not read: changed in the transaction that adds or reads them, so the
    navbar on every page reads one row instead of counting."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notices_unread"
    )
    unread = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.unread} unread"


class Delivery(models.TextChoices):
    IN_APP = "in_app", "In the app only"
    IMMEDIATE = "immediate", "By e-mail, as it happens"
    DIGEST = "digest", "By e-mail, one daily digest"


DEFAULT_DELIVERY = Delivery.IMMEDIATE


class NotificationPreference(models.Model):
    """How a member wants to be told; no row means the default (an e-mail as it happens)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"


class EmailDelivery(models.Model):
    """An e-mail owed to a member: for one notice (at most one, the notice being unique per event and
    recipient) or a day's digest (at most one per member and day). A worker claims the row for a lease before
    sending and marks it sent after, so two workers never send it at once; see README "Notifications"."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Nothing to send"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notice = models.OneToOneField(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="email")
    digest_day = models.DateField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True, help_text="A digest covers notices from here …")
    window_end = models.DateTimeField(null=True, blank=True, help_text="… to here.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    not_before = models.DateTimeField(
        help_text="Pending: when it may be sent (next try). Sending: when the worker's lease ends."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_day"], condition=Q(digest_day__isnull=False), name="digest_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(notice__isnull=False, digest_day__isnull=True)
                | Q(notice__isnull=True, digest_day__isnull=False),
                name="email_for_a_notice_or_a_digest",
            ),
        ]
        indexes = [
            # The sweep that re-sends e-mails whose message was lost or whose worker died.
            models.Index(
                fields=["not_before"], condition=Q(status__in=["pending", "sending"]), name="email_unfinished"
            ),
        ]

    def __str__(self) -> str:
        what = f"notice {self.notice_id}" if self.notice_id else f"digest {self.digest_day}"
        return f"{what} to {self.recipient_id}: {self.status}"
