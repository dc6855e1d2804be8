"""Writing whole tables as the CSV files the resources' export writes, streamed from the database in chunks.

The files are byte for byte those of `CSV().export_data(resource.export())`: the same header, columns, cells,
version fingerprints, spreadsheet escaping and CSV dialect, but each chunk of rows is written as soon as it is
read, so memory stays flat however large the table, and no model instance is built. A chunk is worked on column
by column: each column's cells are converted and rendered by one function mapped over them, and a text column is
checked for formula-like cells in one search.
"""

import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS
from django.db.models.sql.constants import MULTI

from .. import versioning
from ..importers import table_name
from ..resources import RESOURCES
from ..spreadsheet import FORMULA_STARTS, escape
from .columns import Column, as_given, columns
from .progress import progress as progress_bar
from .snapshot import one_moment

CHUNK = 2000  # rows fetched per round trip (a server-side cursor's batch on PostgreSQL)
# Only a cell starting with one of these may need escaping: a column with none skips the cell by cell check.
_MAY_ESCAPE = frozenset("'" + "".join(FORMULA_STARTS))
_SEPARATOR = "\0"
_MAY_ESCAPE_AT_START = re.compile(re.escape(_SEPARATOR) + "[" + re.escape("".join(sorted(_MAY_ESCAPE))) + "]")
WRITE_BUFFER = 1 << 20  # bytes


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

    def _selected(self) -> Iterator[list[Sequence]]:
        """Yield the selected values in chunks of columns, each value as the ORM would give it.

        The query's compiler fetches the chunks (from a server-side cursor on PostgreSQL) without Django's per-row
        iteration; its converters (dates SQLite keeps as text, for one) are then mapped over their columns.
        """
        expressions = {f"_export_{i}": c.select for i, c in enumerate(self.single) if not isinstance(c.select, str)}
        names = iter(expressions)
        fields = [c.select if isinstance(c.select, str) else next(names) for c in self.single]
        queryset = self.queryset.annotate(**expressions) if expressions else self.queryset
        # The id only when many-to-many values are read for the chunk.
        queryset = queryset.values_list(*(["pk"] if self.many else []), *fields)
        compiler = queryset.query.get_compiler(using=self.using)
        chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK)
        # The query is compiled once it has run: its select list is known.
        converters = compiler.get_converters([selected[0] for selected in compiler.select[: compiler.col_count]])
        connection = compiler.connection
        for chunk in chunks:
            values = list(zip(*chunk, strict=True))
            for position, (functions, expression) in converters.items():
                for function in functions:
                    values[position] = [function(value, expression, connection) for value in values[position]]
            yield values

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

    def _with_related(self, values: list[Sequence]) -> list[Sequence]:
        """Return the chunk's columns with the ids dropped and each many-to-many column's values put in its place."""
        pks, *single = values
        single = iter(single)
        columns = []
        for column in self.columns:
            if column.many:
                related = self._related(column, pks)
                columns.append([related.get(pk, []) for pk in pks])
            else:
                columns.append(next(single))
        return columns

    def chunks(self) -> Iterator[list[tuple]]:
        """Yield the rows in chunks as the file holds them: the cells the resource's export writes, formula-like
        ones escaped, the version last."""
        renders = [c.render for c in self.columns]
        fingerprint = versioning.fingerprints([c.name for c in self.columns])
        for values in self._selected():
            if self.many:
                values = self._with_related(values)
            cells = [
                column if render is as_given else list(map(render, column))
                for render, column in zip(renders, values, strict=True)
            ]
            # The version of the cells as rendered, before escaping, as the resource computes it.
            versions = fingerprint(cells)
            yield list(zip(*map(_escaped, cells), versions, strict=True))


def _escaped(cells: Sequence) -> Sequence:
    """Return a column's cells as the file writes them: each formula-like cell escaped for spreadsheets."""
    try:
        probe = _SEPARATOR + _SEPARATOR.join(cells)
    except TypeError:  # not all text
        pass
    else:
        if not _MAY_ESCAPE_AT_START.search(probe):
            return cells
    return [escape(cell) if type(cell) is str and cell[:1] in _MAY_ESCAPE else cell for cell in cells]


def export_table(resource_class, path: Path, *, using: str = DEFAULT_DB_ALIAS, bar=None) -> int:
    """Write `resource_class`'s table to the CSV file at `path`; return the number of rows written."""
    table = TableExport(resource_class, using=using)
    written = 0
    # newline="" leaves the line endings to the csv module, which ends rows with \r\n as tablib's export does.
    with open(path, "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER) as file:
        writer = csv.writer(file)
        writer.writerow(table.headers())
        for rows in table.chunks():
            writer.writerows(rows)
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
