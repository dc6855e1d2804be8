"""Engines that cannot write, on the site's database (found without Django), a database URL or a SQLite file."""

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url  # parses URLs as the site does; it imports nothing of Django
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from ..database import database_url

POSTGRESQL_BACKENDS = ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2")


def _sqlite_engine(name: Any) -> Engine:
    """Return an engine that opens the SQLite file `name` read-only."""
    if not name or str(name) == ":memory:" or "mode=memory" in str(name) or str(name).startswith("file::memory:"):
        raise ValueError("An in-memory SQLite database cannot be opened from another connection; give a file.")
    path = Path(name).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"No SQLite database at {path}.")
    # mode=ro makes SQLite itself refuse writes; the path is quoted as SQLite URIs require.
    url = URL.create("sqlite", database=f"file:{quote(str(path))}", query={"mode": "ro", "uri": "true"})
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection, _record):
        # Belt and braces: refuses writes even to TEMP tables, which mode=ro allows.
        dbapi_connection.execute("PRAGMA query_only = ON")
        # The driver would not begin a transaction before a SELECT: SQLAlchemy begins it (below) instead.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _snapshot(connection):
        # One transaction per connection's work: every query in it reads the database as of the same moment.
        connection.exec_driver_sql("BEGIN")

    return engine


def _postgresql_engine(database: dict[str, Any]) -> Engine:
    """Return an engine on the PostgreSQL database `database` whose every transaction is read-only."""
    url = URL.create(
        "postgresql+psycopg",
        username=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=int(database["PORT"]) if database.get("PORT") else None,
        database=database.get("NAME") or None,
    )
    options = database.get("OPTIONS") or {}
    connect_args = {key: options[key] for key in ("sslmode", "sslrootcert", "service") if key in options}
    connect_args["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
    return create_engine(url, connect_args=connect_args)


def _settings(database: str | os.PathLike | dict[str, Any] | None) -> dict[str, Any]:
    """Return Django-style settings (ENGINE, NAME, …) for a URL, a SQLite file's path, or settings as they are."""
    if isinstance(database, dict):
        return database
    if database is None:
        database = database_url()
    if isinstance(database, str) and "://" in database:
        return dj_database_url.parse(database)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": os.fspath(database)}


def read_only_engine(database: str | os.PathLike | dict[str, Any] | None = None) -> Engine:
    """Return an engine that cannot write, on `database`: a URL (postgres://…, sqlite:///path), a SQLite file's
    path, or Django-style settings; by default the site's database (DATABASE_URL, else its db.sqlite3)."""
    settings = _settings(database)
    backend = settings.get("ENGINE", "")
    if backend == "django.db.backends.sqlite3":
        return _sqlite_engine(settings.get("NAME"))
    if backend in POSTGRESQL_BACKENDS:
        return _postgresql_engine(settings)
    raise ValueError(f"The research layer reads SQLite or PostgreSQL databases, not {backend or 'an unset ENGINE'}.")
