"""A read-only SQLAlchemy view of the coalition tables, for researchers working in pandas or SQL.

The tables below are written by hand to match what Django's migrations create, so this module
never imports the Django models and can be used from a notebook::

    import pandas as pd
    from coalition.research import commitments_per_country, read_only_engine

    commitments = pd.read_sql(commitments_per_country(summit="paris-2026"), read_only_engine())

Every engine it builds refuses to write. tests/test_research.py compares `metadata` with the
migrated database through Alembic, so a model change that is not mirrored here fails the tests.
Each table's `info["description"]` says what a row is; docs/research.md is the researchers' guide.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, Select, case, create_engine, distinct, event, func, select
from sqlalchemy.engine import URL

from .tables import (
    STANCES,
    SUBJECTS,
    citations,
    commitments,
    countries,
    discrepancies,
    documents,
    metadata,
    organisations,
    participant_representatives,
    participants,
    people,
    signatories,
    sources,
    statements,
    summits,
)

__all__ = [
    "STANCES", "SUBJECTS", "citations", "citations_with_sources", "commitments", "commitments_per_country",
    "countries", "discrepancies", "documents", "metadata", "organisations", "participant_representatives",
    "participants", "people", "read_only_engine", "signatories", "sources", "stance_counts_per_country",
    "statements", "summits",
]  # fmt: skip


def _default_database() -> dict[str, Any]:
    """Return the project's default database settings, as the site reads them from the environment."""
    from django.conf import settings  # only to learn where the database is; never the models

    if not settings.configured:
        # A notebook has not set this up, as manage.py does.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    return settings.DATABASES["default"]


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


def read_only_engine(database: dict[str, Any] | None = None) -> Engine:
    """Return an engine on `database` (a Django DATABASES entry; default: the project's) that cannot write."""
    database = _default_database() if database is None else database
    backend = database.get("ENGINE", "")
    if backend == "django.db.backends.sqlite3":
        return _sqlite_engine(database.get("NAME"))
    if backend in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        return _postgresql_engine(database)
    raise ValueError(f"The research layer reads SQLite or PostgreSQL databases, not {backend or 'an unset ENGINE'}.")


def _supporting_sources():
    """Return a scalar subquery: how many distinct sources support the outer query's commitment."""
    return (
        select(func.count(distinct(citations.c.source_id)))
        .where(citations.c.commitment_id == commitments.c.id, citations.c.relation == "supports")
        .scalar_subquery()
    )


def commitments_per_country(*, summit: str | None = None, country: str | None = None) -> Select:
    """Return one row per commitment: its actor, summit, category, stance, status and supporting sources."""
    query = (
        select(
            commitments.c.id.label("commitment_id"),
            commitments.c.slug.label("commitment_slug"),
            summits.c.slug.label("summit_slug"),
            commitments.c.country_id.label("country_code"),
            countries.c.name.label("country_name"),
            organisations.c.slug.label("organisation_slug"),
            func.coalesce(countries.c.name, organisations.c.name).label("actor_name"),
            commitments.c.category,
            commitments.c.stance,
            commitments.c.condition,
            commitments.c.status,
            commitments.c.description,
            _supporting_sources().label("supporting_sources"),
        )
        .join(summits, summits.c.id == commitments.c.summit_id)
        .outerjoin(countries, countries.c.code == commitments.c.country_id)
        .outerjoin(organisations, organisations.c.id == commitments.c.organisation_id)
        .order_by(summits.c.start_date, summits.c.slug, "actor_name", commitments.c.category, commitments.c.slug)
    )
    if summit is not None:
        query = query.where(summits.c.slug == summit)
    if country is not None:
        query = query.where(commitments.c.country_id == country)
    return query


def stance_counts_per_country(*, summit: str | None = None) -> Select:
    """Return one row per country that took a position: how many commitments of each stance, and in all."""
    query = (
        select(
            countries.c.code.label("country_code"),
            countries.c.name.label("country_name"),
            # COUNT ignores the NULL that CASE gives for other stances; portable, unlike FILTER (…).
            *(func.count(case((commitments.c.stance == stance, 1))).label(stance) for stance in STANCES),
            func.count(commitments.c.id).label("total"),
        )
        .join(countries, countries.c.code == commitments.c.country_id)
        .group_by(countries.c.code, countries.c.name)
        .order_by(countries.c.name)
    )
    if summit is not None:
        query = query.join(summits, summits.c.id == commitments.c.summit_id).where(summits.c.slug == summit)
    return query


def citations_with_sources(*, summit: str | None = None, subject_type: str | None = None) -> Select:
    """Return one row per citation: what it cites, the quote and its offsets, and the source's details."""
    if subject_type is not None and subject_type not in SUBJECTS:
        raise ValueError(f"subject_type is one of {', '.join(SUBJECTS)}, not {subject_type!r}.")
    kind = case(
        (citations.c.commitment_id.is_not(None), "commitment"),
        (citations.c.statement_id.is_not(None), "statement"),
        else_="discrepancy",
    )
    summit_id = func.coalesce(commitments.c.summit_id, statements.c.summit_id, discrepancies.c.summit_id)
    query = (
        select(
            citations.c.id.label("citation_id"),
            kind.label("subject_type"),
            func.coalesce(citations.c.commitment_id, citations.c.statement_id, citations.c.discrepancy_id).label(
                "subject_id"
            ),
            summits.c.slug.label("summit_slug"),
            citations.c.quote,
            citations.c.start,
            citations.c.end,
            citations.c.relation,
            sources.c.file_name.label("source_file_name"),
            sources.c.outlet,
            sources.c.url,
        )
        .join(sources, sources.c.id == citations.c.source_id)
        .outerjoin(commitments, commitments.c.id == citations.c.commitment_id)
        .outerjoin(statements, statements.c.id == citations.c.statement_id)
        .outerjoin(discrepancies, discrepancies.c.id == citations.c.discrepancy_id)
        .join(summits, summits.c.id == summit_id)
        .order_by(sources.c.file_name, citations.c.start, citations.c.id)
    )
    if summit is not None:
        query = query.where(summits.c.slug == summit)
    if subject_type is not None:
        query = query.where(kind == subject_type)
    return query
