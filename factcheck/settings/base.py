"""Settings shared by every environment. Everything deployment-specific comes from the environment."""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "factcheck.core",
    "factcheck.accounts",
    "factcheck.audit",
    "articles",
    "reviews",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc files, served as local static files (no CDN)
    "factcheck.api",
    "factcheck.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "factcheck.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.accounts.context_processors.roles",
                "factcheck.notifications.context_processors.inbox",
            ],
        },
    },
]

# SQLite file when DATABASE_URL is unset: the zero-setup way to try the app.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins (the app's and the Django admin's alike) per account and per address:
# five in a row lock that account, or that address, for 15 minutes; admins can lift a lock on the Team page.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap comes from the bootstrap-wrapper wheel, htmx from django-htmx: both served locally.
_bootstrap_spec = importlib.util.find_spec("bootstrap_wrapper")
STATICFILES_DIRS: list = [BASE_DIR / "factcheck" / "static"]
if _bootstrap_spec and _bootstrap_spec.origin:
    STATICFILES_DIRS.append(("bootstrap", Path(_bootstrap_spec.origin).parent.parent / "bootstrap"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves /static/ in every environment. Outside production it serves straight from the finders (no
# collectstatic), so `runserver` with DEBUG off still has its CSS and JS; production serves only STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: several files per import; the readers enforce per-file and per-zip limits themselves.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 200
# The report editor posts ten fields a claim: room for an article of 500 settled statements.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The readers refuse files over 20 MB (articles.importing.DEFAULT_LIMITS); the form says so before uploading.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# All the files of one request together: they are spooled to disk, then stored one at a time. A bigger
# request is refused with a message, its files skipped as they stream in (factcheck.core.uploads).
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("UPLOAD_MAX_REQUEST_BYTES", str(250 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "factcheck.core.uploads.SkipFilesOfOversizedRequests",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Hosts exempt from the private-address block when fetching URLs; only tests should set this.
IMPORT_FETCH_ALLOW_HOSTS = frozenset(env_list("IMPORT_FETCH_ALLOW_HOSTS"))
# A job still pending after this long probably has no worker consuming the queue.
IMPORT_PENDING_WARNING_AFTER = timedelta(seconds=int(os.environ.get("IMPORT_PENDING_WARNING_SECONDS", "30")))
# A worker beats on its job after every batch (seconds apart); a running job silent this long lost its worker
# and the sweep sends it again. A pending job this old may have lost its message. A re-sent job is not sent
# again before IMPORT_REQUEUE_INTERVAL unless it made progress meanwhile.
IMPORT_HEARTBEAT_TIMEOUT = timedelta(seconds=int(os.environ.get("IMPORT_HEARTBEAT_TIMEOUT_SECONDS", "60")))
IMPORT_PENDING_REQUEUE_AFTER = timedelta(seconds=int(os.environ.get("IMPORT_PENDING_REQUEUE_SECONDS", "120")))
IMPORT_REQUEUE_INTERVAL = timedelta(seconds=int(os.environ.get("IMPORT_REQUEUE_INTERVAL_SECONDS", "600")))
# How often beat looks for stale jobs and for statements whose summaries a lost message left stale.
SWEEP_SECONDS = float(os.environ.get("SWEEP_SECONDS", "30"))
SUMMARY_DRAIN_SECONDS = float(os.environ.get("SUMMARY_DRAIN_SECONDS", "60"))

# Statements scoring below this start as "not checkable" candidates an editor can overrule.
CHECKWORTHINESS_THRESHOLD = float(os.environ.get("CHECKWORTHINESS_THRESHOLD", "0.3"))
# Who publishes the fact-checks: the author/publisher in ClaimReview JSON-LD and on report pages.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Factcheck desk")
PUBLISHER_URL = os.environ.get("PUBLISHER_URL", "")

# Claim memory: a suggestion ("already checked") needs the default matcher's similarity at least CLAIM_MATCH_MIN_SCORE,
# or a trained matcher's probability of "same claim" at least CLAIM_MATCH_MIN_PROBABILITY. Measured on CLEF CheckThat!
# 2020 by bench/claim_memory_thresholds.py (claims indexed without titles, as the memory holds statements): 0.55 keeps
# 66% of the default blend's right best matches and 16% of its wrong ones on the training queries (54% of queries get a
# right suggestion, 5% of suggestions are wrong); 0.6 keeps 84% and 21% of a re-ranker trained on the training pairs
# on the development queries (66% right, 6.5% of suggestions wrong). README, "Claim memory".
CLAIM_MATCH_MIN_SCORE = float(os.environ.get("CLAIM_MATCH_MIN_SCORE", "0.55"))
CLAIM_MATCH_MIN_PROBABILITY = float(os.environ.get("CLAIM_MATCH_MIN_PROBABILITY", "0.6"))

REVIEWS_PER_STATEMENT = int(os.environ.get("REVIEWS_PER_STATEMENT", "2"))

# Celery: eager (in-process) when no broker is configured, so the app works with zero setup.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Tasks are routed to "<default>.imports", "<default>.summaries", "<default>.maintenance", "<default>.matching" and
# "<default>.notifications" by kind (factcheck.celery_app.route_task); `make worker` consumes them all.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "factcheck")
CELERY_TASK_ROUTES = ("factcheck.celery_app.route_task",)
# A worker started without -Q consumes every queue; docker-compose starts one worker per queue instead.
CELERY_TASK_QUEUES = [
    Queue(name)
    for name in [CELERY_TASK_DEFAULT_QUEUE]
    + [
        f"{CELERY_TASK_DEFAULT_QUEUE}.{part}"
        for part in ("imports", "summaries", "maintenance", "matching", "notifications")
    ]
]
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still pass through a producer; without this kombu would guess amqp://localhost and warn.
    CELERY_BROKER_URL = "memory://localhost/"
# In-process tasks record their failures on the job rows, as a worker would, instead of failing the request.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers an unacknowledged task after this long: just over the longest task's hard time limit (31
# minutes, factcheck.celery_app.TASK_PRESETS), so a running task is never handed out twice. A web request that
# sends a task must not hang on a broker that is down: fail fast, log, carry on.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 35 * 60, "socket_connect_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Each feed has its own interval; this only looks for feeds that are due.
    "poll-due-feeds": {"task": "articles.tasks.feeds_poll_due_task", "schedule": 60.0},
    # Running jobs whose worker stopped beating, and pending jobs whose message may be lost, are sent again.
    "requeue-stale-imports": {"task": "articles.tasks.import_jobs_requeue_stale_task", "schedule": SWEEP_SECONDS},
    # Statements a lost message left with stale summaries are recomputed (and the team figures after them).
    "drain-stale-summaries": {"task": "reviews.tasks.stale_summaries_drain_task", "schedule": SUMMARY_DRAIN_SECONDS},
    # Safety net for lost debounced runs; the recompute is set-based and cheap.
    "team-summaries-recompute": {"task": "reviews.tasks.team_summaries_task", "schedule": 15 * 60.0},
    # Statements whose lookup message was lost are looked up in the claim memory (the queue is a partial index).
    "match-pending-statements": {"task": "articles.tasks.statements_match_pending_task", "schedule": 5 * 60.0},
    # The claim memory holds exactly the settled statements: add what events missed, drop the unsettled.
    "claim-memory-sync-daily": {"task": "articles.tasks.claim_memory_sync_task", "schedule": crontab(hour=3, minute=0)},
    # Learn from the desk's decisions overnight; it does nothing until there are enough of them.
    "checkworthiness-train-nightly": {
        "task": "reviews.tasks.checkworthiness_train_task",
        "schedule": crontab(hour=3, minute=30),
    },
}

# The REST API (factcheck.api): session or token auth, the permission policy per method, JSON only, one error
# shape, throttling per token with a rate per scope (requests per second/minute/hour/day).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "factcheck.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.api.permissions.FollowsPolicy"],
    "DEFAULT_THROTTLE_CLASSES": ["factcheck.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": os.environ.get("API_RATE_READ", "600/minute"),
        "write": os.environ.get("API_RATE_WRITE", "120/minute"),
        "score": os.environ.get("API_RATE_SCORE", "60/minute"),
        "import": os.environ.get("API_RATE_IMPORT", "30/minute"),
        "export": os.environ.get("API_RATE_EXPORT", "10/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.schema.DeskAutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS answers 405: the schema at /api/schema/ describes every endpoint
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck API",
    "DESCRIPTION": (
        "The fact-checking desk's REST API: imports, articles and statements, check-worthiness scoring, "
        "assignments, blind ratings, settlement, reports with schema.org ClaimReview, exports and webhooks. "
        "Authenticate with the browser session or `Authorization: Bearer <token>` (tokens: My settings). "
        'Every error is `{"detail": ..., "code": ...}`; invalid input (400) adds `errors`, each field\'s '
        "problems by dotted path. Lists are cursor-paginated: follow `next`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "reviews.models.VERDICT_CHOICES",
        "ConsensusEnum": "factcheck.api.serializers.articles.CONSENSUS_CHOICES",
        "ImportJobStatusEnum": "articles.models.ImportJob.Status",
        "ImportItemStatusEnum": "articles.models.ImportItem.Status",
        "AssignmentStatusEnum": "reviews.models.Assignment.Status",
        "ReportStatusEnum": "reviews.models.Report.Status",
        "WebhookDeliveryStatusEnum": "factcheck.api.models.WebhookDelivery.Status",
    },
}
# Throttle counts: in this Redis (e.g. redis://127.0.0.1:6379/1) so every web process shares them; unset, in
# Django's default cache (per process).
API_THROTTLE_CACHE_URL = os.environ.get("API_THROTTLE_CACHE_URL", "")
API_MAX_TOKENS_PER_USER = int(os.environ.get("API_MAX_TOKENS_PER_USER", "20"))
# Webhook deliveries: a request times out after this long; a failed one is retried after base, 2×base, 4×base …
# seconds (at most the max) until API_WEBHOOK_MAX_ATTEMPTS; beat sends again those overdue this long.
API_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("API_WEBHOOK_TIMEOUT_SECONDS", "10"))
API_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("API_WEBHOOK_MAX_ATTEMPTS", "6"))
API_WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("API_WEBHOOK_RETRY_BASE_SECONDS", "30"))
API_WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("API_WEBHOOK_RETRY_MAX_SECONDS", "3600"))
API_WEBHOOK_REQUEUE_AFTER_SECONDS = int(os.environ.get("API_WEBHOOK_REQUEUE_AFTER_SECONDS", "120"))
CELERY_BEAT_SCHEDULE["webhook-deliveries-requeue"] = {
    "task": "factcheck.api.tasks.webhook_deliveries_requeue_task",
    "schedule": 60.0,
}

# E-mail (notifications): printed to the console unless configured. EMAIL_URL says it all in one variable,
# e.g. smtp+tls://user:password@mail.example.org:587 (smtp:// plain, smtp+ssl:// implicit TLS, console://,
# file:///path/to/dir, locmem://, dummy://); or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS, EMAIL_USE_SSL one by one. Tests use the locmem backend (pytest-django sets it).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_from_env(environ) -> dict:
    """Django's EMAIL_* settings from EMAIL_URL, or from EMAIL_HOST and friends, or the console backend."""
    from urllib.parse import unquote, urlsplit

    url = environ.get("EMAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        scheme, _, security = parts.scheme.partition("+")
        if scheme not in _EMAIL_BACKENDS or security not in ("", "tls", "ssl"):
            raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp, smtp+tls, smtp+ssl or console.")
        if scheme == "file":
            return {"EMAIL_BACKEND": _EMAIL_BACKENDS["file"], "EMAIL_FILE_PATH": unquote(parts.path)}
        if scheme != "smtp":
            return {"EMAIL_BACKEND": _EMAIL_BACKENDS[scheme]}
        return {
            "EMAIL_BACKEND": _EMAIL_BACKENDS["smtp"],
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"tls": 587, "ssl": 465}.get(security, 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": security == "tls",
            "EMAIL_USE_SSL": security == "ssl",
        }
    if environ.get("EMAIL_HOST"):
        return {
            "EMAIL_BACKEND": _EMAIL_BACKENDS["smtp"],
            "EMAIL_HOST": environ["EMAIL_HOST"],
            "EMAIL_PORT": int(environ.get("EMAIL_PORT") or 25),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": (environ.get("EMAIL_USE_TLS") or "").lower() in {"1", "true", "yes", "on"},
            "EMAIL_USE_SSL": (environ.get("EMAIL_USE_SSL") or "").lower() in {"1", "true", "yes", "on"},
        }
    return {"EMAIL_BACKEND": _EMAIL_BACKENDS["console"]}


globals().update(email_from_env(os.environ))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))  # seconds; well inside the send task's time limit
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Factcheck desk <factcheck@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for the links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Notifications: an e-mail's worker holds it this long (longer than the send task's hard limit, 90 s), tries
# it this often with backoff from the base; the daily digest goes out at this hour (TIME_ZONE) with at most
# this many notices; reviewers hear of assignments due within this many hours.
NOTIFICATIONS_EMAIL_LEASE_SECONDS = int(os.environ.get("NOTIFICATIONS_EMAIL_LEASE_SECONDS", "300"))
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", "5"))
NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS", "60"))
NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "7"))
NOTIFICATIONS_DIGEST_MAX_ITEMS = int(os.environ.get("NOTIFICATIONS_DIGEST_MAX_ITEMS", "50"))
NOTIFICATIONS_DUE_SOON_HOURS = int(os.environ.get("NOTIFICATIONS_DUE_SOON_HOURS", "24"))
# Deadlines and capacity: a new assignment is due this many hours after it is made (editors change it per
# assignment or per batch); auto-assign gives a reviewer no more open assignments than their capacity (set on
# the Team page; this when none is set) and previews at most this many statements at once.
ASSIGNMENT_DEFAULT_DUE_HOURS = int(os.environ.get("ASSIGNMENT_DEFAULT_DUE_HOURS", "48"))
REVIEWER_DEFAULT_CAPACITY = int(os.environ.get("REVIEWER_DEFAULT_CAPACITY", "20"))
AUTO_ASSIGN_MAX_STATEMENTS = int(os.environ.get("AUTO_ASSIGN_MAX_STATEMENTS", "200"))
CELERY_BEAT_SCHEDULE |= {
    # Assignments due within a day, and overdue ones, announced once each (then notices and e-mails).
    "assignment-deadlines": {"task": "reviews.tasks.assignment_deadlines_announce_task", "schedule": 300.0},
    "notification-digests": {
        "task": "factcheck.notifications.tasks.digests_send_task",
        "schedule": crontab(hour=NOTIFICATIONS_DIGEST_HOUR, minute=0),
    },
    # E-mails whose message was lost or whose worker died are sent again.
    "notification-emails-requeue": {
        "task": "factcheck.notifications.tasks.email_deliveries_requeue_task",
        "schedule": 60.0,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
