"""Measuring table import and export on a throwaway database: rows per second and peak memory, beside the
database's own loader and a plain bulk_create of the same rows.

Run through `python manage.py benchmark_import --rows N`. Figures, not assertions: tests never time anything.
"""

import csv
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction

from .. import aggregates
from ..benchmark import ThrowawayDatabase
from ..importers import import_tables, table_name
from ..models import Citation, Commitment, Country
from ..resources import RESOURCES, CommitmentResource
from ..synthetic import generate
from .adminimport import admin_import
from .export import export_tables
from .loaders import load_csv
from .memory import Peak, peak_memory

BATCH = 2000


@dataclass(frozen=True)
class Figure:
    """One way of moving rows: how many, how long, and the process's peak memory and its growth (bytes)."""

    method: str
    rows: int
    seconds: float | None
    peak: int | None = None
    growth: int | None = None
    note: str = ""

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None


@dataclass
class Run:
    """The figures of one benchmark run, and the rows of each exported table."""

    tables: dict[str, int] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.tables.values())


def table_rows() -> int:
    """Return how many rows the exported tables hold together."""
    return sum(resource._meta.model._base_manager.count() for resource in RESOURCES)


def fill(rows: int) -> int:
    """Generate synthetic data of about `rows` rows over the exported tables; return the rows there are.

    A first small run makes the people and organisations (a fixed number) and a second one shows how many rows a
    commitment brings with it; the third makes up the rest.
    """
    quiet = {"report": lambda line: None, "progress": False}
    generate(1, **quiet)
    before = table_rows()
    probe = max(1, rows // 20)
    generate(probe, seed=2, **quiet)
    per_commitment = (table_rows() - before) / probe
    rest = round((rows - table_rows()) / per_commitment)
    if rest > 0:
        generate(rest, seed=3, **quiet)
    return table_rows()


def _raw_delete(querysets) -> None:
    # No history, no signals and no count triggers for rows the benchmark itself throws away.
    with aggregates.bulk_load():
        for queryset in querysets:
            queryset._raw_delete(queryset.db)
        aggregates.rebuild()


def empty_tables() -> None:
    """Delete every row of the exported tables but the countries (a migration loads them), and what refers to them."""
    owned = [r._meta.model for r in reversed(RESOURCES) if r._meta.model is not Country]
    links = [f.remote_field.through for model in owned for f in model._meta.many_to_many]
    referring = [
        model
        for model in apps.get_app_config("coalition").get_models()
        if model not in owned
        and any(f.many_to_one and f.related_model in owned and f.db_constraint for f in model._meta.fields)
    ]
    _raw_delete(model._base_manager.all() for model in [*referring, *links, *owned])


def _commitments_and_their_citations():
    return [Citation._base_manager.filter(commitment__isnull=False), Commitment._base_manager.all()]


def timed(method: str, rows: int | Callable[[object], int], step: Callable[[], object], note: str = "") -> Figure:
    """Run `step` once, timed and with its peak memory; `rows` may count them from what the step returns."""
    with peak_memory() as peak:
        started = time.perf_counter()
        returned = step()
        seconds = time.perf_counter() - started
    count = rows(returned) if callable(rows) else rows
    return Figure(method, count, seconds, peak.peak, peak.growth, note)


def _bulk_create(commitments: list, citations: list) -> None:
    # As generate_data writes: the count triggers away meanwhile and the counts rebuilt once (with them, each row
    # recounts what it counts towards, and PostgreSQL takes minutes for 100,000 rows), as the import does too.
    with transaction.atomic(), aggregates.bulk_load():
        Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        Citation.objects.bulk_create(citations, batch_size=BATCH)


def admin_file(source: Path, rows: int) -> Path:
    """Write beside `source` a commitments file of `rows` rows: its own rows, repeated under new slugs as needed."""
    target = source.with_name(f"admin-{source.name}")
    with open(source, encoding="utf-8", newline="") as read, open(target, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(read), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        records, slug = list(reader), header.index("slug")
        for number in range(rows):
            row = list(records[number % len(records)])
            if number >= len(records):
                row[slug] = f"{row[slug]}-{number // len(records)}"
            writer.writerow(row)
    return target


def run(rows: int, *, admin_rows: int = 50_000) -> Run:
    """Fill a throwaway database with about `rows` rows and return the figures of each way of moving them (the
    admin's import: a commitments file of `admin_rows` rows)."""
    result = Run()
    with ThrowawayDatabase() as database, tempfile.TemporaryDirectory(dir=database.directory) as folder:
        fill(rows)
        directory = Path(folder)
        exported = timed("export_tables (streamed)", lambda written: sum(written.values()),
                         lambda: export_tables(directory, progress=False))  # fmt: skip
        result.figures.append(exported)
        result.tables = {table_name(r): r._meta.model._base_manager.count() for r in RESOURCES}
        empty_tables()
        result.figures.append(timed("import_tables (validated)", result.total, lambda: import_tables(directory)))

        # The admin imports the commitments alone, everything they refer to being there.
        commitments = list(Commitment._base_manager.order_by("pk"))
        citations = list(Citation._base_manager.filter(commitment__isnull=False).order_by("pk"))
        _raw_delete(_commitments_and_their_citations())
        path = admin_file(directory / f"{table_name(CommitmentResource)}.csv", admin_rows)
        result.figures.extend(_admin_figures(admin_rows, admin_import(Commitment, path)))

        _raw_delete(_commitments_and_their_citations())
        result.figures.append(
            timed("bulk_create (no validation, no history; recount)", len(commitments) + len(citations),
                  lambda: _bulk_create(commitments, citations), note="commitments and their citations")
        )  # fmt: skip
        with peak_memory() as peak:
            loaded = load_csv(path)
        measured = loaded.in_process
        result.figures.append(
            Figure(f"database loader: {loaded.method}", loaded.rows, loaded.seconds,
                   peak.peak if measured else None, peak.growth if measured else None,
                   note="the admin's file into a scratch table" + ("" if measured else "; memory: another process"))
        )  # fmt: skip
    return result


def _admin_figures(rows: int, done) -> list[Figure]:
    note = done.problem or "a commitments file alone"
    figures = []
    for step, seconds, peak in (
        ("upload to preview", done.preview_seconds, done.preview_peak),
        ("confirm to redirect", done.confirm_seconds, done.confirm_peak),
    ):
        peak = peak or Peak()
        figures.append(Figure(f"admin import: {step}", rows, seconds, peak.peak, peak.growth, note))
    return figures
