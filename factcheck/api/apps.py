from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/), its tokens and webhooks. The top layer: it calls the same services, selectors
    and policy as the pages; nothing below imports it (it listens to factcheck.core.events instead)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.api"
    label = "api"
    verbose_name = "API and webhooks"

    def ready(self):
        from factcheck.core.events import desk_event

        from . import schema  # noqa: F401 - registers the token scheme with drf-spectacular
        from .audit_actions import register_actions
        from .events import on_desk_event

        register_actions()
        desk_event.connect(on_desk_event, dispatch_uid="api.webhooks")
