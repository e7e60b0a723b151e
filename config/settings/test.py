"""Tests: real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are set)."""

import os
import secrets

from config.embedded import ensure_services

ensure_services()

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "test-private-media")},  # noqa: F405
    },
}
# One key prefix a test run, shared with the servers and workers its tests start (they inherit
# the environment): a run never reads what an earlier run left in Redis, such as a signed-in
# person cached under a user number the new database gives to someone else.
if "CASEWORK_TEST_CACHE_PREFIX" not in os.environ:
    os.environ["CASEWORK_TEST_CACHE_PREFIX"] = f"casework-test-{secrets.token_hex(4)}"
CACHES = {
    "default": {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": os.environ["CASEWORK_TEST_CACHE_PREFIX"],
    }
}
# Tests enqueue on their own queue, so a development worker on the same Redis never takes them.
CELERY_TASK_DEFAULT_QUEUE = "casework-test"

# A Celery worker started by a test can be given another e-mail backend.
if env("CASEWORK_TEST_MAILER", default=""):  # noqa: F405
    MAILERS = {"default": {"BACKEND": env("CASEWORK_TEST_MAILER")}}  # noqa: F405
