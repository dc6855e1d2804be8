"""Counts kept by the import instead of by the row: a bulk write with the triggers off, then one recount.

Row by row, each inserted commitment or citation fires its triggers' recounts; a batched import of thousands of rows
spends most of its time there. Inside the import's transaction the triggers are switched off (dropped on SQLite,
whose one writer is this transaction; disabled on PostgreSQL, which lets readers on), the import notes what each
written batch counts towards, all of it is recounted at the end, and the triggers are back before the transaction
commits. A failure rolls all of it back, the triggers' absence included."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from .counts import STORED_COUNTS, tally_rebuild


def _switch_off(connection, installed: dict[str, str]) -> list[str]:
    """Switch off the named triggers; return the SQL that switches them back on."""
    restore = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign key check of this transaction: run them now.
            connection.check_constraints()
            # The lock DISABLE TRIGGER takes, on every table at once and in the same order in every import, as
            # install() does: two imports wait for each other in turn instead of each holding what the other needs.
            tables = ", ".join(sorted(set(installed.values())))
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
            for name, owner in sorted(installed.items()):
                cursor.execute(f"ALTER TABLE {owner} DISABLE TRIGGER {name}")
                restore.append(f"ALTER TABLE {owner} ENABLE TRIGGER {name}")
            return restore
        for name in installed:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
            restore.append(cursor.fetchone()[0])
            cursor.execute(f"DROP TRIGGER {name}")
    return restore


class Recount:
    """Collects what written rows count towards, and recounts it when the import's rows are all written.

    Up to `LIMIT` owners of a count are recounted by id; past that, the whole count is rebuilt (one grouped count,
    a hash join: a fraction of a second for a table of 100,000 rows), and the owners are no longer kept.
    """

    LIMIT = 10_000

    def __init__(self, using: str):
        self.using = using
        self.owners: dict = {count: set() for count in STORED_COUNTS}
        self.summits: set = set()

    def __call__(self, model, rows: Iterable[dict]) -> None:
        """Note `rows` of `model`, given as {attribute name: value} (new values and, for updates, old)."""
        rows = list(rows)
        for count in STORED_COUNTS:
            owners = self.owners[count]
            if count.counted != model.__name__ or owners is None:
                continue
            owners.update(row[count.fk] for row in rows if row.get(count.fk) is not None)
            if len(owners) > self.LIMIT:
                self.owners[count] = None  # all of them, at the end
        if model.__name__ == "Commitment":
            self.summits.update(row["summit_id"] for row in rows if row.get("summit_id") is not None)

    def flush(self) -> None:
        """Recount everything noted."""
        with connections[self.using].cursor() as cursor:
            for count, owners in self.owners.items():
                if owners is None:
                    cursor.execute(count.rebuild())
                    continue
                chosen = sorted(owners)
                for start in range(0, len(chosen), 400):
                    some = chosen[start : start + 400]
                    cursor.execute(count.rebuild(", ".join(["%s"] * len(some))), some + some)
            if self.summits:
                summits = sorted(self.summits)
                for sql in tally_rebuild(", ".join(["%s"] * len(summits))):
                    cursor.execute(sql, summits)


@contextmanager
def deferred_counts(using: str = DEFAULT_DB_ALIAS) -> Iterator[Recount]:
    """Inside a transaction, switch the count and version triggers off and yield a `Recount` for the written
    rows; switch them back on and move the data version on when the block ends without an error."""
    from . import _installed, bump_version

    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_counts() needs a transaction: its triggers come back only on commit.")
    restore = _switch_off(connection, _installed(connection))
    recount = Recount(using)
    yield recount
    recount.flush()
    if connection.vendor == "postgresql":
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in restore:
            cursor.execute(sql)
    bump_version(using)
