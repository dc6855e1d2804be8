"""Stored counts and the data version, kept by database triggers: install them, rebuild, check, bulk-load.

The counts (participants, commitments and statements per summit, sources per record, citations per source, and
the stance tally per summit and actor) are what the list pages show, so that no page counts a million rows.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from ..models import DataVersion, StanceTally
from .counts import STORED_COUNTS, tally_rebuild, tally_stale
from .triggers import PREFIX, all_triggers


def _installed(connection) -> dict[str, str]:
    """Return {trigger name: its table} of this module's triggers in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"]
            )
        return dict(cursor.fetchall())


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop every trigger (and PostgreSQL function) of this module."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for name, table in _installed(connection).items():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Make the database's triggers exactly this module's; rebuild the counts and return True if they differed."""
    connection = connections[using]
    wanted = all_triggers(connection.vendor)
    if set(_installed(connection)) == {trigger.name for trigger in wanted}:
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        uninstall(using)
        if connection.vendor == "postgresql":
            # The lock CREATE TRIGGER takes anyway, taken first: no write can slip between the recount and the
            # triggers (SQLite's writers already wait for this transaction).
            tables = ", ".join(sorted({trigger.table for trigger in wanted}))
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        # Recount before the triggers exist: with them, each corrected row would fire its own recount.
        rebuild(using)
        for trigger in wanted:
            for sql in trigger.create_sql(connection.vendor):
                cursor.execute(sql)
    return True


def rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Recount every stored count and the whole stance tally from the rows they count."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for count in STORED_COUNTS:
            cursor.execute(count.rebuild())
        for sql in tally_rebuild():
            cursor.execute(sql)


@dataclass(frozen=True)
class Mismatch:
    """A stored count that differs from a fresh count: which table and column, and how many rows."""

    table: str
    column: str
    rows: int

    def __str__(self):
        return f"{self.table}.{self.column}: {self.rows} row(s) differ from a fresh count"


def mismatches(using: str = DEFAULT_DB_ALIAS) -> list[Mismatch]:
    """Return every stored count that differs from a fresh count of the rows it counts (empty when all agree)."""
    found = []
    with connections[using].cursor() as cursor:
        for count in STORED_COUNTS:
            cursor.execute(f"SELECT COUNT(*) FROM ({count.stale()}) AS stale")
            if rows := cursor.fetchone()[0]:
                found.append(Mismatch(count.owner_table, count.column, rows))
        cursor.execute(f"SELECT COUNT(*) FROM ({tally_stale()}) AS stale")
        if rows := cursor.fetchone()[0]:
            found.append(Mismatch(StanceTally._meta.db_table, "commitment_count", rows))
    return found


@contextmanager
def bulk_load(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Suspend the triggers for a bulk insert; afterwards put them back, recount everything and move the version.

    Row by row, the triggers recount as each row arrives; for millions of rows one recount at the end is far
    faster. If the process dies inside, the next `migrate` or `verify_counts --fix` puts the triggers back.
    """
    uninstall(using)
    try:
        yield
    finally:
        install(using)
        bump_version(using)


def bump_version(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the data version on, as any write does, so that cached pages are made afresh."""
    with transaction.atomic(using=using):
        version, _ = DataVersion.objects.using(using).select_for_update().get_or_create(pk=1)
        DataVersion.objects.using(using).filter(pk=1).update(version=version.version + 1, changed_at=timezone.now())


@dataclass(frozen=True)
class DataState:
    """The data version and when the data last changed (None before the first write)."""

    version: int
    changed_at: datetime | None

    @property
    def token(self) -> str:
        """Return a string that differs after every write, even after a restore starts the version anew."""
        return f"{self.version}.{self.changed_at.timestamp():.6f}" if self.changed_at else str(self.version)


def data_state(using: str = DEFAULT_DB_ALIAS) -> DataState:
    """Return the data version and when the data last changed, in one query."""
    row = DataVersion.objects.using(using).values_list("version", "changed_at").first()
    return DataState(*row) if row else DataState(0, None)


def data_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """Return a token that changes with every write to the public data."""
    return data_state(using).token
