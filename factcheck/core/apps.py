from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Holds the project-wide template tags (links); no models."""

    name = "factcheck.core"
    label = "core"
