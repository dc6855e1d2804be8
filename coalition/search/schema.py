"""The search indexes in the database: install, remove, rebuild and check them, on PostgreSQL and SQLite.

Each is named by a digest of its definition (coalition/search), so that `install()` notices a changed definition
and replaces it; nothing is done when the database already has exactly these.
"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, migrations, transaction

from . import DOCUMENTS, TOKENIZER, Document

STATISTICS = 1000  # PostgreSQL's statistics target of the search columns: up to 10,000 words' frequencies


def _prefix(document: Document) -> str:
    return f"{document.table}_fts_"


def _name(document: Document) -> str:
    return f"{_prefix(document)}{document.digest}"


def _fts5_sql(document: Document) -> list[str]:
    """Return the statements creating SQLite's FTS5 table of `document` and the triggers that keep it in step."""
    fts, table, name = document.fts_table, document.table, _name(document)
    columns = ", ".join(document.columns)

    def values(row):
        return ", ".join(f"{row}.{column}" for column in document.columns)

    insert = f"INSERT INTO {fts} (rowid, {columns}) VALUES (NEW.id, {values('NEW')})"
    # An external-content table forgets a row by being told the values it indexed, hence OLD's.
    delete = f"INSERT INTO {fts} ({fts}, rowid, {columns}) VALUES ('delete', OLD.id, {values('OLD')})"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{table}', content_rowid='id', "
        f"tokenize='{TOKENIZER}')",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert}; END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {delete}; END",
        # Only when a searched column changes: the stored counts rewrite rows all the time.
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {columns} ON {table} BEGIN {delete}; {insert}; END",
        f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
    ]


def tables(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """Return the search tables in the database (SQLite's FTS5 tables and their own), derived like the counts."""
    connection = connections[using]
    names = set(connection.introspection.table_names())
    return {n for n in names for d in DOCUMENTS.values() if n == d.fts_table or n.startswith(f"{d.fts_table}_")}


def derived_names() -> set[str]:
    """Return the names of PostgreSQL's generated search columns and their indexes (derived, like the counts)."""
    return {name for document in DOCUMENTS.values() for name in (_name(document), document.vector_column)}


INDEX_OPERATIONS = (migrations.AddIndex, migrations.RemoveIndex, migrations.RenameIndex)


def touched_by(plan) -> bool:
    """Return whether a migration plan may change a searched table (then the search objects must go first)."""
    searched = {model.lower() for model in DOCUMENTS}
    for migration, _backwards in plan:
        for operation in migration.operations:
            if isinstance(operation, INDEX_OPERATIONS):
                continue  # an index comes and goes on both databases without rebuilding its table
            model = getattr(operation, "model_name", None) or getattr(operation, "name", None)
            if isinstance(model, str) and model.lower() in searched or type(operation).__name__ == "RunSQL":
                return True
    return False


def _installed(cursor, vendor: str, document: Document) -> set[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s UNION ALL "
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [document.table, document.table],
        )
        return {name for (name,) in cursor.fetchall() if name.startswith((_prefix(document), "fts_"))}
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE (type = 'trigger' AND tbl_name = %s) OR name = %s",
        [document.table, document.fts_table],
    )
    return {name for (name,) in cursor.fetchall() if name.startswith(_prefix(document)) or name == document.fts_table}


def _wanted(vendor: str, document: Document) -> set[str]:
    if vendor == "postgresql":
        return {_name(document), document.vector_column}
    return {document.fts_table, *(f"{_name(document)}_{event}" for event in ("ai", "ad", "au"))}


def _drop(cursor, vendor: str, document: Document, names: set[str]) -> None:
    for name in sorted(names):  # an index whose column was dropped first went with it, hence IF EXISTS
        if vendor == "postgresql" and name.startswith("fts_"):
            cursor.execute(f"ALTER TABLE {document.table} DROP COLUMN IF EXISTS {name}")
        elif vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        elif name == document.fts_table:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Make the database's search indexes exactly the current definitions (filled); return True if any changed."""
    connection = connections[using]
    vendor = connection.vendor
    changed = False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for document in DOCUMENTS.values():
            installed = _installed(cursor, vendor, document)
            if installed == _wanted(vendor, document):
                continue
            changed = True
            _drop(cursor, vendor, document, installed)
            if vendor == "postgresql":
                cursor.execute(
                    f"ALTER TABLE {document.table} ADD COLUMN {document.vector_column} tsvector "
                    f"GENERATED ALWAYS AS ({document.vector_sql()}) STORED"
                )
                cursor.execute(
                    f"CREATE INDEX {_name(document)} ON {document.table} USING GIN ({document.vector_column})"
                )
                # How rare a word is decides between the index and a walk along the primary key; the default
                # statistics keep only the commonest hundred words or so, and take every other word as common.
                cursor.execute(
                    f"ALTER TABLE {document.table} ALTER COLUMN {document.vector_column} SET STATISTICS {STATISTICS}"
                )
                cursor.execute(f"ANALYZE {document.table}")
            else:
                for sql in _fts5_sql(document):
                    cursor.execute(sql)
    return changed


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove every search index, table and trigger of this module."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for document in DOCUMENTS.values():
            _drop(cursor, connection.vendor, document, _installed(cursor, connection.vendor, document))


def rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Refill SQLite's search tables from the rows they index (PostgreSQL's indexes cannot fall behind)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for document in DOCUMENTS.values():
            cursor.execute(f"INSERT INTO {document.fts_table} ({document.fts_table}) VALUES ('rebuild')")


def problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Return what is wrong with the search indexes: missing, or (SQLite) not matching the rows they index."""
    connection = connections[using]
    found = []
    with connection.cursor() as cursor:
        for model, document in DOCUMENTS.items():
            if _installed(cursor, connection.vendor, document) != _wanted(connection.vendor, document):
                found.append(f"{model}: the search index is missing or out of date")
            elif connection.vendor != "postgresql":
                fts = document.fts_table
                try:
                    with transaction.atomic(using=using):
                        cursor.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
                except DatabaseError as error:
                    found.append(f"{model}: the search table differs from the rows it indexes ({error})")
    return found
