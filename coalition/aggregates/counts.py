"""The stored counts, each defined once as SQL that triggers, the rebuild and the consistency check all use."""

from dataclasses import dataclass

from django.apps import apps


def table(label: str) -> str:
    """Return the database table of the coalition model named `label`, e.g. "Commitment"."""
    return apps.get_model("coalition", label)._meta.db_table


@dataclass(frozen=True)
class StoredCount:
    """A count column on `owner` that must equal the number of `counted` rows pointing at it by `fk`."""

    owner: str
    column: str
    counted: str
    fk: str
    distinct: str = ""  # count distinct values of this column instead of rows
    relation: str = ""  # only citations of this relation

    @property
    def owner_table(self) -> str:
        return table(self.owner)

    def fresh(self, key: str) -> str:
        """Return SQL of a fresh count for the owner row whose id is the SQL expression `key`."""
        what = f"COUNT(DISTINCT {self.distinct})" if self.distinct else "COUNT(*)"
        where = f"{self.fk} = {key}" + (f" AND relation = '{self.relation}'" if self.relation else "")
        return f"(SELECT {what} FROM {table(self.counted)} WHERE {where})"

    def refresh(self, key: str) -> str:
        """Return SQL that sets the count of the owner row with id `key` to a fresh count, if it differs."""
        owner = self.owner_table
        fresh = self.fresh(f"{owner}.id")
        # Only when it differs: an update that changes nothing fires no further trigger, which ends the
        # recursion of the owner's own "fix my counts" trigger on PostgreSQL.
        return f"UPDATE {owner} SET {self.column} = {fresh} WHERE id = {key} AND {self.column} <> {fresh}"

    def rebuild(self, only: str = "") -> str:
        """Return SQL that sets every owner row's count to a fresh count where it differs; with `only` (an SQL
        list of placeholders, each given twice as parameters), just the owner rows whose ids it lists."""
        owner = self.owner_table
        differing = self._differing(only)
        return f"UPDATE {owner} SET {self.column} = stale.n FROM ({differing}) AS stale WHERE {owner}.id = stale.id"

    def stale(self) -> str:
        """Return SQL selecting the ids of owner rows whose stored count differs from a fresh count."""
        return f"SELECT id FROM ({self._differing()}) AS stale"

    def _differing(self, only: str = "") -> str:
        # One grouped count joined to the owners (rows never counted are 0): a hash join at a million rows,
        # where a count per owner row would probe the counted table a million times.
        owner, what = self.owner_table, f"COUNT(DISTINCT {self.distinct})" if self.distinct else "COUNT(*)"
        conditions = [f"relation = '{self.relation}'"] if self.relation else []
        conditions += [f"{self.fk} IN ({only})"] if only else []
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        grouped = f"SELECT {self.fk} AS id, {what} AS n FROM {table(self.counted)}{where} GROUP BY {self.fk}"
        chosen = f" AND {owner}.id IN ({only})" if only else ""
        return (
            f"SELECT {owner}.id AS id, COALESCE(fresh.n, 0) AS n FROM {owner} LEFT JOIN ({grouped}) AS fresh "
            f"ON fresh.id = {owner}.id WHERE {owner}.{self.column} <> COALESCE(fresh.n, 0){chosen}"
        )


def _source_counts(owner: str, fk: str) -> list[StoredCount]:
    return [
        StoredCount(owner, "source_count", "Citation", fk, distinct="source_id", relation="supports"),
        StoredCount(owner, "contradicting_count", "Citation", fk, distinct="source_id", relation="contradicts"),
    ]


STORED_COUNTS = [
    StoredCount("Summit", "participant_count", "Participant", "summit_id"),
    StoredCount("Summit", "commitment_count", "Commitment", "summit_id"),
    StoredCount("Summit", "statement_count", "Statement", "summit_id"),
    StoredCount("Source", "citation_count", "Citation", "source_id"),
    *_source_counts("Commitment", "commitment_id"),
    *_source_counts("Statement", "statement_id"),
    *_source_counts("Discrepancy", "discrepancy_id"),
]

# The stance tally: one row per summit, actor, category and stance with how many commitments it counts.
TALLY_KEY = ["summit_id", "category", "stance"]
ACTORS = ["country_id", "organisation_id"]  # exactly one is set on a commitment
TALLY_COLUMNS = ", ".join([*TALLY_KEY, *ACTORS])


def tally_refresh(row: str) -> list[str]:
    """Return SQL that recounts the tally row of the commitment `row` (NEW or OLD) from the commitments."""
    tally, commitments = table("StanceTally"), table("Commitment")
    statements = []
    for actor in ACTORS:
        same = " AND ".join(f"{column} = {row}.{column}" for column in [*TALLY_KEY, actor])
        statements += [
            f"DELETE FROM {tally} WHERE {row}.{actor} IS NOT NULL AND {same}",
            f"INSERT INTO {tally} ({TALLY_COLUMNS}, commitment_count) "
            f"SELECT {TALLY_COLUMNS}, COUNT(*) FROM {commitments} WHERE {row}.{actor} IS NOT NULL AND {same} "
            f"GROUP BY {TALLY_COLUMNS}",
        ]
    return statements


def tally_rebuild(only: str = "") -> list[str]:
    """Return SQL that recounts the whole stance tally; with `only` (an SQL list of placeholders, each given as a
    parameter to both statements), just the tally of the summits whose ids it lists."""
    tally, commitments = table("StanceTally"), table("Commitment")
    where = f" WHERE summit_id IN ({only})" if only else ""
    return [
        f"DELETE FROM {tally}{where}",
        f"INSERT INTO {tally} ({TALLY_COLUMNS}, commitment_count) "
        f"SELECT {TALLY_COLUMNS}, COUNT(*) FROM {commitments}{where} GROUP BY {TALLY_COLUMNS}",
    ]


def tally_stale() -> str:
    """Return SQL selecting tally keys whose stored count differs from a fresh count (missing rows included)."""
    tally, commitments = table("StanceTally"), table("Commitment")
    fresh = f"SELECT {TALLY_COLUMNS}, COUNT(*) AS n FROM {commitments} GROUP BY {TALLY_COLUMNS}"
    stored = f"SELECT {TALLY_COLUMNS}, commitment_count AS n FROM {tally}"
    # Rows in one and not the other, either way round: EXCEPT compares NULLs as equal, as needed here.
    return (
        f"SELECT * FROM ({fresh} EXCEPT {stored}) AS missing UNION ALL SELECT * FROM ({stored} EXCEPT {fresh}) AS extra"
    )
