"""Runs the whole stack, or the test suite, from one command.

``python -m config.stack run``: start embedded PostgreSQL and Redis (unless ``DATABASE_URL`` /
``REDIS_URL`` are set), migrate, load the demo data, then run the web server, a Celery worker and
Celery beat together until Ctrl-C, which stops all of them and the embedded servers.

``python -m config.stack test [pytest arguments]``: the same servers, then lint, Django's checks
and the whole test suite.

``python -m config.stack bench``: a large fictional authority (``BENCH_PUPILS``, a million by
default) in a database of its own, then the reporting benchmark.
"""

import os
import signal
import subprocess
import sys
import time

from config.embedded import VAR_DIR, ensure_database, ensure_services

PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*args: str, env: dict | None = None) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run(args, check=True, env=env)


def _manage(*args: str, settings: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    _run(PYTHON, "manage.py", *args, env=env)


def run() -> int:
    ensure_services()
    ensure_database(os.environ["DATABASE_URL"])
    settings = "config.settings.dev"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    _manage("migrate", "--no-input", settings=settings)
    _manage("seed_demo", settings=settings)
    port = os.environ.get("PORT", "8000")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO"],
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--schedule={VAR_DIR / 'celerybeat-schedule'}",
        ],
    }
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    print(f"\nThe service is running at http://127.0.0.1:{port}/ (Ctrl-C stops everything)\n")
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping", flush=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


def test(pytest_args: list[str]) -> int:
    ensure_services()
    ensure_database(os.environ["DATABASE_URL"])
    _run(os.path.join(BIN, "ruff"), "format", "--check", ".")
    _run(os.path.join(BIN, "ruff"), "check", ".")
    _run(os.path.join(BIN, "lint-imports"), env={**os.environ,
         "DJANGO_SETTINGS_MODULE": "config.settings.test"})  # fmt: skip
    _manage("makemigrations", "--check", "--dry-run", settings="config.settings.test")
    _manage("check", settings="config.settings.test")
    lint_api_schema()
    deploy_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "check-deploy-" + "x" * 50),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "casework.example.gov.uk"),
    }
    _run(PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=deploy_env)
    _run(PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", env=deploy_env)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run([PYTHON, "-m", "pytest", *pytest_args], env=env).returncode


def lint_api_schema() -> None:
    """The API's schema as it is served: drf-spectacular's own check, then the OpenAPI
    specification's validator and Redocly's recommended rules, the tools an integrator's
    pipeline runs on it."""
    schema = os.path.join(VAR_DIR, "openapi.json")
    os.makedirs(VAR_DIR, exist_ok=True)
    _manage(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
        "--file", schema, settings="config.settings.test",
    )  # fmt: skip
    _run(os.path.join(BIN, "openapi-spec-validator"), schema)
    quiet = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    _run(os.path.join(ROOT, "node_modules", ".bin", "redocly"), "lint", schema,
         "--config", os.path.join(ROOT, "redocly.yaml"), env={**os.environ, **quiet})  # fmt: skip


def bench() -> int:
    """Load a large fictional authority into a database of its own; time the reminder and
    review sweeps at 100,000 pupils and at the full size, and the main pages at the full size."""
    import environ

    ensure_services()
    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    url = os.environ["DATABASE_URL"].replace(f"/{config['NAME']}", "/casework_bench", 1)
    ensure_database(url)
    # DEBUG off, as in production; the API's rate limit raised so that three timed runs of its
    # lists are not throttled (the limit's check still runs on every request).
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "AXES_VERBOSE": "false",
           "API_RATE": "1000000/hour"}  # fmt: skip
    settings = "config.settings.dev"
    pupils = os.environ.get("BENCH_PUPILS", "1000000")
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["collectstatic", "--no-input", "-v0"],  # what gunicorn serves, as in production
        ["generate_load", "--pupils", str(min(int(pupils), 100_000))],
        ["bench", "--sweeps-only"],  # the sweeps at 100,000 pupils, then at the full size
        ["generate_load", "--pupils", pupils],
        ["bench"],
    ):
        _run(PYTHON, "manage.py", *command, env={**env, "DJANGO_SETTINGS_MODULE": settings})
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    try:
        if argv[0] == "run":
            return run()
        if argv[0] == "bench":
            return bench()
        return test(argv[1:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
