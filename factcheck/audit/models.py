"""One event model for the whole desk (after Wagtail's BaseLogEntry). Targets are referenced by label and id,
not by foreign key, so history outlives what it describes (a merged-away statement, a deleted article)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it; empty for the system (a worker, a scheduled task).",
    )
    action = models.CharField(max_length=64, help_text="What happened, e.g. 'statement.split', 'report.published'.")
    target_type = models.CharField(max_length=64, help_text="The record's model label, e.g. 'articles.statement'.")
    target_id = models.BigIntegerField()
    parent_type = models.CharField(
        max_length=64, blank=True, help_text="What the target belongs to (a statement's article), for its history."
    )
    parent_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="audit_target"),
            models.Index(fields=["parent_type", "parent_id", "created_at"], name="audit_parent"),
            models.Index(fields=["action", "created_at"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"
