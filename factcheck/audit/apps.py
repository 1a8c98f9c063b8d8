from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.audit"
    label = "audit"
    verbose_name = "Audit trail"
