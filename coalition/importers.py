"""Importing and exporting whole tables as files through the resources, all or nothing."""

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils.html import strip_tags
from import_export.results import Result

from .bulk.progress import progress as progress_bar
from .csvfile import CsvRows
from .history import change_reason
from .readers import FileRefused
from .resources import RESOURCES

Progress = Callable[[int], None]  # called with the number of rows just done


class ImportRefused(Exception):
    """Raised when a file has errors: nothing of the import was written."""

    def __init__(self, file_label: str, messages: list[str]):
        self.file_label = file_label
        self.messages = messages
        super().__init__(f"{file_label}: " + "; ".join(messages))


def table_name(resource_class) -> str:
    """Return the file stem for a resource's table, e.g. “commitment”."""
    return resource_class._meta.model._meta.model_name


@dataclass
class ImportReport:
    """Rows created, updated and skipped (unchanged), per table."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, name: str, result: Result):
        totals = result.totals
        self.counts[name] = {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]}

    def total(self, kind: str) -> int:
        return sum(counts[kind] for counts in self.counts.values())

    def __str__(self):
        return f"created {self.total('new')}, updated {self.total('update')}, skipped {self.total('skip')}"


def import_dataset(resource_class, dataset, *, label: str, dry_run: bool = False) -> Result:
    """Import one table's dataset, raising ImportRefused (and writing nothing) when any row is bad."""
    result = resource_class().import_data(
        dataset, dry_run=dry_run, raise_errors=False, rollback_on_validation_errors=True, use_transactions=True
    )
    refuse_if_bad(result, label)
    return result


def refuse_if_bad(result: Result, label: str) -> None:
    """Raise ImportRefused with an import result's problems, if it has any, as plain text (on the command line:
    without the links the admin's messages carry)."""
    if result.has_errors() or result.has_validation_errors():
        raise ImportRefused(label, [html.unescape(strip_tags(message)) for message in result.messages()])


def import_stream(
    resource_class, stream: BinaryIO, *, label: str, dry_run: bool = False, progress: Progress | None = None
) -> Result:
    """Import one table's CSV as it is read, batch by batch, raising ImportRefused (and writing nothing) when
    any line is bad; memory stays the same whatever the file's length."""
    try:
        rows = CsvRows(stream)
    except FileRefused as refused:
        raise ImportRefused(label, refused.messages) from None
    with transaction.atomic():
        try:
            result = resource_class().import_rows(rows.headers, rows, dry_run=dry_run, progress=progress)
            rows.finish()
        except FileRefused as refused:
            raise ImportRefused(label, refused.messages) from None
        refuse_if_bad(result, label)
        if dry_run:
            transaction.set_rollback(True)
    return result


def table_files(directory: Path) -> list[tuple[type, Path]]:
    """Return (resource, file) for every `<table>.csv` in `directory`, in the order they import in."""
    paths = ((resource_class, Path(directory) / f"{table_name(resource_class)}.csv") for resource_class in RESOURCES)
    return [(resource_class, path) for resource_class, path in paths if path.is_file()]


def count_records(path: Path) -> int:
    """Return about how many records a CSV file holds after its header (its line breaks: a cell may hold some)."""
    with path.open("rb") as stream:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b"")) - 1)


def import_tables(directory: Path, *, dry_run: bool = False, progress: bool | None = None) -> ImportReport:
    """Import every `<table>.csv` in `directory`, in dependency order, in one transaction; `progress` shows a bar
    of the rows read: None on a terminal only, True always, False never."""
    report = ImportReport()
    files = table_files(directory)
    total = sum(count_records(path) for _, path in files)
    with transaction.atomic(), progress_bar(total, desc="import_tables", show=progress) as bar:
        for resource_class, path in files:
            with change_reason(f"Imported from {path.name}"), path.open("rb") as stream:
                result = import_stream(resource_class, stream, label=path.name, progress=bar.update)
            report.add(table_name(resource_class), result)
        if dry_run:
            transaction.set_rollback(True)
    return report


def export_tables(directory: Path, *, progress: bool | None = None) -> dict[str, int]:
    """Write every table as `<table>.csv` in `directory`; return the number of rows written per table.

    The tables are streamed from the database (coalition.bulk.export); `progress` shows a bar of the rows written:
    None on a terminal only, True always, False never.
    """
    from .bulk.export import export_tables as stream_tables  # it reads this module's table names

    return stream_tables(directory, progress=progress)
