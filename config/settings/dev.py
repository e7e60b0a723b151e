"""Local development: embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set."""

from config.embedded import ensure_services

ensure_services()

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import env, mailer_from_url  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
# The demo logins work without an authenticator app; set TWO_FACTOR_REQUIRED=true to try it.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
if not env("NOTIFY_API_KEY", default=""):
    MAILERS = {"default": mailer_from_url(env("EMAIL_URL", default="consolemail://"))}
# Reminders are swept every minute in development so the demo shows them quickly.
CELERY_BEAT_SCHEDULE["sweep-reminders"]["schedule"] = env.int(  # noqa: F405
    "REMINDER_SWEEP_SECONDS", default=60
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": STORAGES["private"],  # noqa: F405
}

# PROFILE_REQUESTS=true: every request's profile written to var/profiles (pyinstrument), and
# ?profile on an address shows that page's. Development only: production settings never load it.
if env.bool("PROFILE_REQUESTS", default=False):
    MIDDLEWARE = ["pyinstrument.middleware.ProfilerMiddleware", *MIDDLEWARE]  # noqa: F405
    PYINSTRUMENT_PROFILE_DIR = str(BASE_DIR / "var" / "profiles")  # noqa: F405
