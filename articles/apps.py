from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from factcheck.core.events import desk_event

        from .audit_actions import register_actions
        from .services.claim_memory import remember_settled

        register_actions()
        # A statement that settles joins the claim memory, in the transaction that settled it.
        desk_event.connect(remember_settled, dispatch_uid="articles.claim_memory.remember_settled")
