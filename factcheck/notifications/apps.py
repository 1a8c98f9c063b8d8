from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notices in the app and by e-mail. A top layer beside the API: the services below only announce what
    happened (factcheck.core.events); this app listens, decides who is told, and never is imported by them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from factcheck.core.events import desk_event

        from .events import on_desk_event

        desk_event.connect(on_desk_event, dispatch_uid="notifications.notices")
