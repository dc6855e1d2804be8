"""The public data as one SQLite file, built with SQLAlchemy alone: the research tables (without the editors'
notes, the users or the history) and a view per CSV with exactly the CSV's columns."""

from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL

from .dataset import CSV_QUERIES
from .tables import metadata, stance_tallies

# Every research table but the stance tally, which the site derives from the commitments for its own pages.
PUBLISHED_TABLES = tuple(table for table in metadata.sorted_tables if table is not stance_tallies)
BATCH_ROWS = 5000  # rows read and written at a time


def view_sql(name: str) -> str:
    """Return the SELECT of the view `name`: its CSV query compiled for SQLite, with its values written in."""
    query = CSV_QUERIES[name]()
    return str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def _copy(reading: Connection, writing: Connection, published: MetaData) -> dict[str, int]:
    """Copy every published table's rows in batches; return how many rows each has."""
    counts = {}
    for table in PUBLISHED_TABLES:
        rows = reading.execution_options(yield_per=BATCH_ROWS).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        counts[table.name] = 0
        for batch in rows.partitions():
            writing.execute(published.tables[table.name].insert(), [row._mapping for row in batch])
            counts[table.name] += len(batch)
    return counts


def build_sqlite(source: Engine, path: Path) -> dict[str, int]:
    """Write the public tables read from `source`, and the CSVs' views, into the new SQLite file `path`; return
    the rows written per table."""
    published = MetaData()
    for table in PUBLISHED_TABLES:
        table.to_metadata(published)
    target = create_engine(URL.create("sqlite", database=str(path)))

    @event.listens_for(target, "connect")
    def _unjournaled(dbapi_connection, _record):
        # A file that is thrown away unless complete needs no journal and no waiting for the disk.
        dbapi_connection.execute("PRAGMA journal_mode = OFF")
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    try:
        published.create_all(target)
        reading = source.connect()
        if source.dialect.name == "postgresql":
            # One snapshot for all the tables, so that every reference in the file finds its row.
            reading = reading.execution_options(isolation_level="REPEATABLE READ")
        with reading, target.begin() as writing:
            counts = _copy(reading, writing, published)
            for name in CSV_QUERIES:
                writing.exec_driver_sql(f'CREATE VIEW "{name}" AS {view_sql(name)}')
    finally:
        target.dispose()
    return counts
