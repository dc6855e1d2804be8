"""Measuring the CSV exports on a throwaway database: rows per second, peak memory, and the database's own rate.

Run through `python manage.py benchmark_export --rows N`. Figures, not assertions: tests never time anything.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import RequestFactory

from . import exports, views
from .formats import CSV
from .models import Citation, Commitment, Country, Source, Summit
from .resources import CommitmentResource
from .vocabulary import TABLES

ARTICLE = "Leaders met in Paris. Italy said it would not send troops. Germany offered forces nearby."
QUOTE = "Italy said it would not send troops"


@dataclass(frozen=True)
class Figure:
    """One way of producing the CSV: how long it took, how fast, and its peak Python memory."""

    method: str
    seconds: float | None
    rows: int
    peak_bytes: int | None = None
    note: str = ""

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None


def fill(rows: int, *, batch: int = 5000) -> None:
    """Insert `rows` synthetic commitments, each with one citation, into the current (throwaway) database."""
    summit = Summit.objects.create(
        name="Benchmark summit", slug="benchmark", start_date="2026-01-06", end_date="2026-01-06", city="Paris",
        host_country_id="FR",
    )  # fmt: skip
    source = Source.objects.create(file_name="benchmark.txt", text=ARTICLE)
    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[:50])
    start = ARTICLE.index(QUOTE)
    for first in range(0, rows, batch):
        numbers = range(first, min(first + batch, rows))
        commitments = Commitment.objects.bulk_create(
            Commitment(
                summit=summit, slug=f"commitment-{n}", country_id=codes[n % len(codes)],
                category=Commitment.Category.TROOPS, stance=Commitment.Stance.REFUSAL, status="announced",
                description=f"Will not send troops, says the benchmark (row {n}, \"quoted\", with a comma).",
            )
            for n in numbers
        )  # fmt: skip
        if connection.vendor != "postgresql":  # bulk_create sets primary keys only where RETURNING is used
            commitments = Commitment.objects.filter(slug__in=[f"commitment-{n}" for n in numbers])
        Citation.objects.bulk_create(
            Citation(commitment=c, source=source, quote=QUOTE, start=start, end=start + len(QUOTE)) for c in commitments
        )


def _consume(chunks: Iterable) -> int:
    size = 0
    for chunk in chunks:
        size += len(chunk)
    return size


REPEAT = 3  # timings are the best of this many runs, as timeit does: the rest is the machine's noise


def _best_of(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(method: str, rows: int, produce: Callable[[], Iterable]) -> Figure:
    """Time `produce()` consumed to the end (best of REPEAT), then once more under tracemalloc for its peak."""
    seconds = _best_of(lambda: _consume(produce()))
    tracemalloc.start()
    try:
        _consume(produce())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Figure(method, seconds, rows, peak)


def stream_endpoint() -> Iterable:
    """Return the body of GET /commitments.csv as the site streams it."""
    return views.table_csv(RequestFactory().get("/commitments.csv"), name="commitments").streaming_content


def import_export_admin() -> Iterable:
    """Return the CSV the admin's django-import-export export produces for every commitment."""
    queryset = Commitment.objects.select_related("summit", "country", "organisation", "document")
    return [CSV().export_data(CommitmentResource().export(queryset))]


def _plain_columns() -> dict:
    # The same columns without the spreadsheet guard, which needs functions only Django gives SQLite.
    return {
        name: (column.source_expressions[0] if isinstance(column, exports.Text) else column)
        for name, column in exports.csv_columns(TABLES["commitments"]).items()
    }


def _inline(sql: str, params) -> str:
    quoted = [str(p) if isinstance(p, int) else "'" + str(p).replace("'", "''") + "'" for p in params]
    return sql % tuple(quoted)


def database_own_csv(rows: int) -> Figure:
    """Time the database writing the same query as CSV itself: `sqlite3 -csv`, or PostgreSQL's COPY."""
    queryset = exports._rows_queryset(Commitment.objects.all(), _plain_columns())
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":

        def copy_out():
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV", params) as copy:
                _consume(copy)

        return Figure("database's own CSV (COPY … TO STDOUT WITH CSV)", _best_of(copy_out), rows)
    binary = shutil.which("sqlite3")
    if binary is None:
        return Figure("database's own CSV (sqlite3 -csv)", None, rows, note="the sqlite3 program is not installed")
    command = [binary, "-csv", str(connection.settings_dict["NAME"]), _inline(sql, params)]
    seconds = _best_of(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
    return Figure("database's own CSV (sqlite3 -csv)", seconds, rows)


class ThrowawayDatabase:
    """A migrated, empty database beside the configured one, removed afterwards (Django's test database)."""

    def __enter__(self):
        settings = connection.settings_dict
        self.directory = tempfile.mkdtemp(prefix="coalition-benchmark-")
        self.test_settings = dict(settings.get("TEST", {}))  # put back on leaving
        self.keeper = None
        if connection.vendor == "sqlite":
            settings.setdefault("TEST", {})["NAME"] = str(Path(self.directory) / "benchmark.sqlite3")
            if connection.is_in_memory_db():
                # Django never closes a connection to an in-memory database (closing the last one drops it), so
                # the throwaway database would silently be this one: keep it alive with another connection and
                # close Django's for real.
                self.keeper = sqlite3.connect(settings["NAME"], uri=True)
                BaseDatabaseWrapper.close(connection)
        else:
            # Named after the database it stands beside, so that it is plainly that database's.
            settings.setdefault("TEST", {})["NAME"] = f"{settings['NAME']}_benchmark_{os.getpid()}"
        self.old_name = settings["NAME"]  # (create_test_db returns the new database's name, not this one)
        ContentType.objects.clear_cache()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return self

    def __exit__(self, *exc):
        connection.creation.destroy_test_db(self.old_name, verbosity=0)
        connection.settings_dict["TEST"] = self.test_settings
        ContentType.objects.clear_cache()  # the throwaway database's ids are no others'
        if self.keeper is not None:
            connection.ensure_connection()  # Django's connection holds the in-memory database again
            self.keeper.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def run(rows: int, *, import_export: bool = True) -> list[Figure]:
    """Fill a throwaway database with `rows` commitments and return the figures of each way of exporting them."""
    with ThrowawayDatabase():
        fill(rows)
        figures = [database_own_csv(rows), measure("streaming /commitments.csv", rows, stream_endpoint)]
        if import_export:
            figures.append(measure("django-import-export (admin export, CSV)", rows, import_export_admin))
    return figures
