"""Counts kept by the batch instead of by the row: a bulk write with the triggers off, then one recount per batch.

Row by row, each inserted commitment or citation fires its triggers' recounts; a batched import of thousands of rows
spends most of its time there. Inside the import's transaction the triggers are switched off (dropped on SQLite,
whose one writer is this transaction; disabled on PostgreSQL, which lets readers on), every written batch recounts
exactly the rows it counts towards, and the triggers are back before the transaction commits. A failure rolls all
of it back, the triggers' absence included.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from .counts import ACTORS, STORED_COUNTS, TALLY_COLUMNS, table


def _switch_off(connection, installed: dict[str, str]) -> list[str]:
    """Switch off the named triggers; return the SQL that switches them back on."""
    restore = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign key check of this transaction: run them now.
            connection.check_constraints()
            for name, owner in installed.items():
                cursor.execute(f"ALTER TABLE {owner} DISABLE TRIGGER {name}")
                restore.append(f"ALTER TABLE {owner} ENABLE TRIGGER {name}")
            return restore
        for name in installed:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
            restore.append(cursor.fetchone()[0])
            cursor.execute(f"DROP TRIGGER {name}")
    return restore


class Recount:
    """Recounts the stored counts and stance tallies that written rows count towards."""

    def __init__(self, using: str):
        self.using = using

    def __call__(self, model, rows: Iterable[dict]) -> None:
        """Recount for `rows` of `model`, given as {attribute name: value} (new values and, for updates, old)."""
        rows = list(rows)
        label = model.__name__
        with connections[self.using].cursor() as cursor:
            for count in STORED_COUNTS:
                if count.counted != label:
                    continue
                owners = sorted({row[count.fk] for row in rows if row.get(count.fk) is not None})
                for start in range(0, len(owners), 400):
                    chosen = owners[start : start + 400]
                    cursor.execute(count.rebuild(", ".join(["%s"] * len(chosen))), chosen + chosen)
            if label == "Commitment":
                summits = sorted({row["summit_id"] for row in rows if row.get("summit_id") is not None})
                if summits:
                    self._tally(cursor, summits)

    @staticmethod
    def _tally(cursor, summits: list) -> None:
        tally, commitments = table("StanceTally"), table("Commitment")
        places = ", ".join(["%s"] * len(summits))
        cursor.execute(f"DELETE FROM {tally} WHERE summit_id IN ({places})", summits)
        actors = " OR ".join(f"{actor} IS NOT NULL" for actor in ACTORS)
        cursor.execute(
            f"INSERT INTO {tally} ({TALLY_COLUMNS}, commitment_count) SELECT {TALLY_COLUMNS}, COUNT(*) "
            f"FROM {commitments} WHERE summit_id IN ({places}) AND ({actors}) GROUP BY {TALLY_COLUMNS}",
            summits,
        )


@contextmanager
def deferred_counts(using: str = DEFAULT_DB_ALIAS) -> Iterator[Recount]:
    """Inside a transaction, switch the count and version triggers off and yield a `Recount` for the written
    rows; switch them back on and move the data version on when the block ends without an error."""
    from . import _installed, bump_version

    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_counts() needs a transaction: its triggers come back only on commit.")
    restore = _switch_off(connection, _installed(connection))
    yield Recount(using)
    if connection.vendor == "postgresql":
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in restore:
            cursor.execute(sql)
    bump_version(using)
