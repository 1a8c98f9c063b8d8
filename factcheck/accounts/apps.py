from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.accounts"
    label = "accounts"
    verbose_name = "Desk members"

    def ready(self):
        from .audit_actions import register_actions

        register_actions()
