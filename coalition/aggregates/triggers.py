"""The database triggers that keep the stored counts and the data version right, for SQLite and PostgreSQL.

The statements (coalition/aggregates/counts.py) are plain SQL that both databases run as written — NEW and OLD
mean the same in both — so only the wrapper around them differs: a trigger body on SQLite, a PL/pgSQL function
on PostgreSQL. Triggers, not Django signals, so that every way of writing — forms, imports, reverts, fixtures,
bulk inserts, `QuerySet.update()`, plain SQL — keeps the counts right, in the same transaction.
"""

import hashlib
from dataclasses import dataclass

from django.apps import apps

from .counts import ACTORS, STORED_COUNTS, TALLY_KEY, table, tally_refresh

PREFIX = "coalition_sum_"  # every trigger (and PostgreSQL function) here is named so, and only these


@dataclass(frozen=True)
class Trigger:
    """One AFTER … FOR EACH ROW trigger: on which table and event, and the statements it runs."""

    table: str
    event: str  # INSERT, DELETE, or UPDATE (then `columns` says of which columns)
    statements: tuple[str, ...]
    columns: tuple[str, ...] = ()
    per_statement: bool = False  # PostgreSQL only; SQLite knows row triggers only

    @property
    def name(self) -> str:
        # Named by their content: a changed definition is a new name, so installing notices it (see install()).
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:16]
        return f"{PREFIX}{digest}"

    @property
    def when(self) -> str:
        return f"AFTER UPDATE OF {', '.join(self.columns)}" if self.columns else f"AFTER {self.event}"

    def create_sql(self, vendor: str) -> list[str]:
        """Return the statements that create this trigger on a database of `vendor`."""
        body = "; ".join(self.statements)
        if vendor == "postgresql":
            level = "STATEMENT" if self.per_statement else "ROW"
            return [
                f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$body$ BEGIN {body}; RETURN NULL; END $body$",
                f"CREATE TRIGGER {self.name} {self.when} ON {self.table} "
                f"FOR EACH {level} EXECUTE FUNCTION {self.name}()",
            ]
        return [f"CREATE TRIGGER {self.name} {self.when} ON {self.table} FOR EACH ROW BEGIN {body}; END"]


def _group(found: dict, key: tuple, statements: list[str]) -> None:
    found.setdefault(key, []).extend(s for s in statements if s not in found.get(key, []))


def count_triggers() -> list[Trigger]:
    """Return the triggers that keep every stored count and the stance tally equal to a fresh count."""
    found: dict[tuple, list[str]] = {}
    for count in STORED_COUNTS:
        counted, owner = table(count.counted), table(count.owner)
        moved = tuple(dict.fromkeys(c for c in (count.fk, count.distinct, "relation" if count.relation else "") if c))
        _group(found, (counted, "INSERT", ()), [count.refresh(f"NEW.{count.fk}")])
        _group(found, (counted, "DELETE", ()), [count.refresh(f"OLD.{count.fk}")])
        _group(found, (counted, "UPDATE", moved), [count.refresh(f"OLD.{count.fk}"), count.refresh(f"NEW.{count.fk}")])
        # The owner's own row: a new row, or one saved with a count it read earlier, gets the fresh count.
        _group(found, (owner, "INSERT", ()), [count.refresh("NEW.id")])
        _group(found, (owner, "UPDATE", (count.column,)), [count.refresh("NEW.id")])
    commitments = table("Commitment")
    _group(found, (commitments, "INSERT", ()), tally_refresh("NEW"))
    _group(found, (commitments, "DELETE", ()), tally_refresh("OLD"))
    _group(found, (commitments, "UPDATE", (*TALLY_KEY, *ACTORS)), [*tally_refresh("OLD"), *tally_refresh("NEW")])
    return [Trigger(t, event, tuple(statements), columns) for (t, event, columns), statements in found.items()]


def versioned_tables() -> list[str]:
    """Return the tables whose writes change what the public pages show: every coalition table but the derived."""
    derived = {"StanceTally", "DataVersion"}
    return [
        model._meta.db_table
        for model in apps.get_app_config("coalition").get_models(include_auto_created=True)
        if model.__name__ not in derived and not model.__name__.startswith("Historical")
    ]


def version_triggers(vendor: str) -> list[Trigger]:
    """Return the triggers that move the data version on with every write to the public data."""
    now = "clock_timestamp()" if vendor == "postgresql" else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    versions = table("DataVersion")
    bump = (
        f"INSERT INTO {versions} (id, version, changed_at) VALUES (1, 1, {now}) ON CONFLICT (id) DO UPDATE "
        f"SET version = {versions}.version + 1, changed_at = excluded.changed_at",
    )
    # On PostgreSQL once per statement, so that a bulk insert of a million rows moves it once.
    per_statement = vendor == "postgresql"
    return [
        Trigger(name, event, bump, per_statement=per_statement)
        for name in versioned_tables()
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def all_triggers(vendor: str) -> list[Trigger]:
    """Return every trigger this module keeps, for a database of `vendor`."""
    return [*count_triggers(), *version_triggers(vendor)]
