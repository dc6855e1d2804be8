"""Writing whole tables as the CSV files the resources' export writes, streamed from the database in chunks.

The files are byte for byte those of `CSV().export_data(resource.export())`: the same header, columns, cells,
version fingerprints, spreadsheet escaping and CSV dialect, but each row is written as soon as it is read, so
memory stays flat however large the table, and no model instance is built.
"""

import csv
import operator
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS

from .. import versioning
from ..importers import table_name
from ..resources import RESOURCES
from ..spreadsheet import FORMULA_STARTS, escape
from .columns import Column, columns
from .progress import progress as progress_bar
from .snapshot import one_moment

CHUNK = 2000  # rows fetched per round trip (a server-side cursor's batch on PostgreSQL)
# Only a cell starting with one of these may need escaping: the others skip the check.
_MAY_ESCAPE = frozenset("'" + "".join(FORMULA_STARTS))


class TableExport:
    """One resource's table read as rendered rows, in the order its own export writes them."""

    def __init__(self, resource_class, *, using: str = DEFAULT_DB_ALIAS):
        self.resource = resource_class()
        self.columns = columns(self.resource)
        self.single = [c for c in self.columns if not c.many]
        self.many = [c for c in self.columns if c.many]
        queryset = self.resource.get_queryset().using(using)
        model = queryset.model
        exported = self.resource.filter_export(queryset)
        if exported._prefetch_related_lookups and not exported.query.order_by:
            ordering = ("pk",)  # ModelResource.iter_queryset pages such a queryset by id
        else:
            # The model's ordering, then the id, so that rows equal in the ordering come out the same each time.
            ordering = (*(exported.query.order_by or model._meta.ordering), "pk")
        self.queryset = queryset.order_by(*ordering)
        self.model = model
        self.using = using

    def headers(self) -> list[str]:
        """Return the header row, as the resource's export writes it."""
        return self.resource.get_export_headers()

    def count(self) -> int:
        """Return how many rows the table has."""
        return self.queryset.count()

    def _selected(self) -> Iterator[tuple]:
        expressions = {f"_export_{i}": c.select for i, c in enumerate(self.single) if not isinstance(c.select, str)}
        names = iter(expressions)
        fields = [c.select if isinstance(c.select, str) else next(names) for c in self.single]
        queryset = self.queryset.annotate(**expressions) if expressions else self.queryset
        # The id only when many-to-many values are read for the chunk.
        return queryset.values_list(*(["pk"] if self.many else []), *fields).iterator(chunk_size=CHUNK)

    def _related(self, column: Column, pks: list) -> dict:
        values: dict = {}
        rows = (
            self.model._base_manager.using(self.using)
            .filter(pk__in=pks)
            .values_list("pk", column.select)
            .order_by(column.select)
        )
        for pk, value in rows:
            if value is not None:
                values.setdefault(pk, []).append(value)
        return values

    def chunks(self) -> Iterator[list[list]]:
        """Yield the rows in chunks, each row the list of cells the resource's export writes (version last)."""
        names = [c.name for c in self.columns]
        renders = [c.render for c in self.columns]  # with_related puts many-to-many values in their places
        fingerprint = versioning.fingerprints(names)
        selected = self._selected()
        while chunk := list(islice(selected, CHUNK)):
            if self.many:
                chunk = self._with_related(chunk)
            rows = []
            for row in chunk:
                cells = list(map(operator.call, renders, row))
                cells.append(fingerprint(cells))
                rows.append(cells)
            yield rows

    def _with_related(self, chunk: list[tuple]) -> list[tuple]:
        """Return the chunk's rows with the ids dropped and each many-to-many column's values put in its place."""
        pks = [row[0] for row in chunk]
        related = {c.name: self._related(c, pks) for c in self.many}
        rows = []
        for row in chunk:
            values = iter(row[1:])
            rows.append(tuple(related[c.name].get(row[0], []) if c.many else next(values) for c in self.columns))
        return rows


def _escaped(row: list) -> list:
    return [escape(cell) if type(cell) is str and cell[:1] in _MAY_ESCAPE else cell for cell in row]


def export_table(resource_class, path: Path, *, using: str = DEFAULT_DB_ALIAS, bar=None) -> int:
    """Write `resource_class`'s table to the CSV file at `path`; return the number of rows written."""
    table = TableExport(resource_class, using=using)
    written = 0
    # newline="" leaves the line endings to the csv module, which ends rows with \r\n as tablib's export does.
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(table.headers())
        for rows in table.chunks():
            writer.writerows(map(_escaped, rows))
            written += len(rows)
            if bar is not None:
                bar.update(len(rows))
    return written


def export_tables(directory: Path, *, using: str = DEFAULT_DB_ALIAS, progress: bool | None = None) -> dict[str, int]:
    """Write every table as `<table>.csv` in `directory`, all read at one moment; return the rows per table.

    `progress` shows a bar of the rows written: None on a terminal only, True always, False never.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    with one_moment(using):
        with progress_bar(None, desc="export_tables", show=progress) as bar:
            if not bar.disable:  # counted only when someone watches
                bar.total = sum(TableExport(r, using=using).count() for r in RESOURCES)
                bar.refresh()
            for resource_class in RESOURCES:
                name = table_name(resource_class)
                written[name] = export_table(resource_class, directory / f"{name}.csv", using=using, bar=bar)
    return written
