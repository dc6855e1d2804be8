"""CSV for researchers: each download's columns, formatted by the database and streamed in chunks.

The columns are ORM expressions, so one definition serves every backend. PostgreSQL formats the rows
itself (`COPY … TO STDOUT WITH CSV`); SQLite builds each CSV line in SQL; any other database falls back
to Python. All three write the same bytes: RFC 4180 quoting with every text cell in double quotes
(an empty one as ""), numbers bare (a missing one as an empty cell), LF line ends, and a leading `'`
on a text cell that a spreadsheet would run as a formula.
"""

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from functools import cache
from operator import itemgetter

from django.db import connections
from django.db.models import Case, CharField, Func, IntegerField, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from .spreadsheet import FORMULA_STARTS, neutralise
from .vocabulary import PublicTable
from .vocabulary.columns import STANCES
from .vocabulary.summaries import ACTOR_SUMMARY

CHUNK_ROWS = 5000  # rows read from the database at a time
CHUNK_BYTES = 64 * 1024  # bytes handed to the response at a time
NUMBER_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"  # the same rule as spreadsheet.py


class Text(Func):
    """A text column computed by the database, never NULL; unless `trusted` (choices, codes), a cell a
    spreadsheet would run as a formula gets a leading `'`."""

    output_field = TextField()

    def __init__(self, expression, *, trusted: bool = False):
        super().__init__(expression)
        self.trusted = trusted

    def _guard(self, value_sql: str, params: list, *, starts_formula: str, starts_params: list, matches: str):
        if self.trusted:
            return value_sql, params
        sql = (
            f"CASE WHEN {starts_formula.format(value_sql)} AND NOT ({value_sql} {matches} %s) "
            f"THEN '''' || {value_sql} ELSE {value_sql} END"
        )
        return sql, [*params, *starts_params, *params, NUMBER_PATTERN, *params, *params]

    def as_sql(self, compiler, connection, **extra):
        value = Coalesce(Cast(self.source_expressions[0], output_field=TextField()), Value(""))
        sql, params = compiler.compile(value)
        starts = "left({0}, 1) IN (" + ", ".join("%s" for _ in FORMULA_STARTS) + ")"
        return self._guard(sql, list(params), starts_formula=starts, starts_params=list(FORMULA_STARTS), matches="~")

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(Coalesce(self.source_expressions[0], Value("")))
        # One GLOB finds a formula-like start; REGEXP (Django's function) then runs only for those cells.
        pattern = "[" + "".join(c for c in FORMULA_STARTS if c != "-") + "-]*"
        return self._guard(sql, list(params), starts_formula="{0} GLOB %s", starts_params=[pattern], matches="REGEXP")


def number(expression) -> Cast:
    return Cast(expression, output_field=IntegerField())


@cache  # the expressions are built once per table, not on every download
def csv_columns(table: PublicTable) -> dict:
    """Return the CSV expression of each of `table`'s columns: text guarded against formulas, numbers bare."""
    expressions = {}
    for column in table.columns:
        if column.type == "integer":
            expressions[column.name] = number(column.source)
        elif column.type == "boolean":
            # Spelled out, so that every database writes the same cell (SQLite would write 1 and 0).
            spelled = Case(When(**{column.source: True}, then=Value("true")), default=Value("false"))
            expressions[column.name] = Text(spelled, trusted=True)
        elif column.type == "date":
            expressions[column.name] = Text(Cast(column.source, output_field=CharField()), trusted=True)
        else:
            expressions[column.name] = Text(column.source, trusted=column.trusted)
    return expressions


ACTOR_COLUMNS = [column.name for column in ACTOR_SUMMARY]
STANCE_COLUMNS = [code for code, _ in STANCES]


def _rows_queryset(queryset, columns: dict):
    """Return `queryset` reduced to the CSV's columns as aliased expressions, in id order, nothing joined twice."""
    aliases = {f"csv_{index}": expression for index, expression in enumerate(columns.values())}
    return queryset.select_related(None).prefetch_related(None).order_by("pk").annotate(**aliases).values_list(*aliases)


def _header(columns) -> str:
    return ",".join(columns) + "\n"


def _chunks(pieces: Iterable[str]) -> Iterator[str]:
    """Yield `pieces` joined into chunks of about CHUNK_BYTES, so the response is not written line by line."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _postgresql_rows(queryset, using: str, columns: dict) -> Iterator[str]:
    sql, params = queryset.query.sql_with_params()
    texts = ", ".join(f'"csv_{i}"' for i, column in enumerate(columns.values()) if isinstance(column, Text))
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE ({texts}))"
    with connections[using].cursor() as cursor:
        # Logged like any other query (query counts, debug toolbar) when Django logs queries.
        logged = cursor.debug_sql(copy_sql, params) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, cursor.cursor.copy(copy_sql, params) as copy:
            for block in copy:
                yield bytes(block).decode("utf-8")


def _sqlite_rows(queryset, using: str, columns: dict) -> Iterator[str]:
    inner, params = queryset.query.sql_with_params()
    # One printf() per row: %w doubles the double quotes inside a text cell, %s writes a number (or nothing).
    line = ",".join('"%w"' if isinstance(column, Text) else "%s" for column in columns.values())
    arguments = ", ".join(f'"csv_{index}"' for index in range(len(columns)))
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT printf(%s, {arguments}) FROM ({inner})", [line + "\n", *params])
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield "".join(map(itemgetter(0), rows))


def _cell(value) -> str:
    """Return one CSV cell: any text in double quotes, a number bare, nothing for a missing number."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Yield the CSV text of a header and rows formatted in Python, formulas neutralised."""
    yield ",".join(header) + "\n"
    for row in rows:
        yield ",".join(_cell(neutralise(value)) for value in row) + "\n"


def python_rows(queryset, columns: dict) -> Iterator[str]:
    """Yield the CSV lines of `queryset` formatted by Python (the portable path, and the reference in tests)."""
    for row in _rows_queryset(queryset, columns).iterator(chunk_size=CHUNK_ROWS):
        yield ",".join(_cell(value) for value in row) + "\n"


def stream_csv(queryset, columns: dict) -> Iterator[str]:
    """Yield the CSV of `queryset`: the header, then rows formatted by the database, in chunks."""
    using = queryset.db
    vendor = connections[using].vendor
    yield _header(columns)
    if vendor == "postgresql":
        yield from _chunks(_postgresql_rows(_rows_queryset(queryset, columns), using, columns))
    elif vendor == "sqlite":
        yield from _chunks(_sqlite_rows(_rows_queryset(queryset, columns), using, columns))
    else:
        yield from _chunks(python_rows(queryset, columns))


def actor_rows(rows) -> Iterator[list]:
    """Yield one row per country or organisation of a country or organisation list."""
    for row in rows:
        code = getattr(row.actor, "code", None) or row.actor.slug
        counts = (row.counts[stance] for stance in STANCE_COLUMNS)
        yield [code, row.actor.name, *counts, row.total]
