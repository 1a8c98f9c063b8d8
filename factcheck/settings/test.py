"""Tests: fast hashing; the database and broker still come from the environment (PostgreSQL + Redis in CI)."""

from .base import *  # noqa: F401,F403

DEBUG = False
# Every test client builds its own middleware: WhiteNoise looks static files up per request instead of indexing
# them all each time (which also warns that the uncollected STATIC_ROOT is missing).
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the real-worker tests start their own worker against CELERY_BROKER_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True  # a task error fails the test that caused it
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No persistent connections: a thread's idle connection would keep PostgreSQL from dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
