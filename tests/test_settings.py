import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_production(**extra):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x"})
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = _load_production()
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = _load_production(SECRET_KEY="a-long-random-production-secret-" + "x" * 40)
    assert result.returncode == 0, result.stderr


def test_production_settings_never_load_the_request_profiler():
    """The profiler of development (PROFILE_REQUESTS) is not a production middleware, whatever
    the environment says."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print('\\n'.join(settings.MIDDLEWARE))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**{k: v for k, v in os.environ.items() if k != "SECRET_KEY"},
             "DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x",
             "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
             "PROFILE_REQUESTS": "true"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "pyinstrument" not in result.stdout
    assert "audit.reads.AccessLogMiddleware" in result.stdout
