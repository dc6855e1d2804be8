"""CSV for researchers: each download's columns, formatted by the database and streamed in chunks.

The columns are ORM expressions, so one definition serves every backend. PostgreSQL formats the rows
itself (`COPY … TO STDOUT WITH CSV`); SQLite builds each CSV line in SQL; any other database falls back
to Python's csv module. All three quote as RFC 4180 does (only where needed), end lines with LF, write
an empty cell for an empty value, and prefix a cell a spreadsheet would run as a formula with `'`.
"""

import csv
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from django.db import connections
from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf

from .models import Citation
from .spreadsheet import FORMULA_STARTS, neutralise

CHUNK_ROWS = 5000  # rows read from the database at a time
CHUNK_BYTES = 64 * 1024  # bytes handed to the response at a time
NUMBER_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"  # the same rule as spreadsheet.py


class Text(Cast):
    """A text column made safe for spreadsheets and empty when blank (the database does the work)."""

    def __init__(self, expression):
        super().__init__(NullIf(expression, Value("")), output_field=TextField())

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        starts = ", ".join("%s" for _ in FORMULA_STARTS)
        matches = "~" if connection.vendor == "postgresql" else "REGEXP"
        first = "left({0}, 1)" if connection.vendor == "postgresql" else "substr({0}, 1, 1)"
        template = (
            f"CASE WHEN {first} IN ({starts}) AND NOT ({{0}} {matches} %s) THEN '''' || {{0}} ELSE {{0}} END"
        )
        return template.format(sql), [*params, *FORMULA_STARTS, *params, NUMBER_PATTERN, *params, *params]


def number(expression) -> Cast:
    return Cast(expression, output_field=IntegerField())


def _source_count(relation: str, **subject) -> Coalesce:
    sources = (
        Citation.objects.filter(**subject, relation=relation)
        .order_by()
        .values(*subject)
        .annotate(n=Count("source", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(sources, output_field=IntegerField()), 0)


SUPPORTS, CONTRADICTS = Citation.Relation.SUPPORTS, Citation.Relation.CONTRADICTS

COMMITMENT_COLUMNS = {
    "id": number("pk"),
    "summit": Text("summit__slug"),
    "slug": Text("slug"),
    "actor": Text(Coalesce("country__name", "organisation__name")),
    "actor_type": Text(Case(When(country__isnull=False, then=Value("country")), default=Value("organisation"))),
    "country_code": Text("country_id"),
    "organisation": Text("organisation__slug"),
    "category": Text("category"),
    "stance": Text("stance"),
    "condition": Text("condition"),
    "status": Text("status"),
    "description": Text("description"),
    "document": Text("document__slug"),
    "sources_count": _source_count(SUPPORTS, commitment=OuterRef("pk")),
    "contradicting_sources_count": _source_count(CONTRADICTS, commitment=OuterRef("pk")),
}

_SUBJECT_TYPE = Case(
    When(commitment__isnull=False, then=Value("commitment")),
    When(statement__isnull=False, then=Value("statement")),
    default=Value("discrepancy"),
    output_field=CharField(),
)
CITATION_COLUMNS = {
    "id": number("pk"),
    "summit": Text(Coalesce("commitment__summit__slug", "statement__summit__slug", "discrepancy__summit__slug")),
    "subject_type": Text(_SUBJECT_TYPE),
    "subject_id": number(Coalesce("commitment_id", "statement_id", "discrepancy_id")),
    "subject_slug": Text(Coalesce("commitment__slug", "statement__slug", "discrepancy__slug")),
    "actor": Text(Coalesce("commitment__country__name", "commitment__organisation__name")),
    "country_code": Text(Coalesce("commitment__country_id", "statement__speaker__country_id")),
    "stance": Text("commitment__stance"),
    "category": Text("commitment__category"),
    "speaker": Text("statement__speaker__name"),
    "quote": Text("quote"),
    "start": number("start"),
    "end": number("end"),
    "source_file": Text("source__file_name"),
    "source_outlet": Text("source__outlet"),
    "source_url": Text("source__url"),
    "relation": Text("relation"),
    "note": Text("note"),
    "commitment_id": number("commitment_id"),
    "statement_id": number("statement_id"),
}

STATEMENT_COLUMNS = {
    "id": number("pk"),
    "summit": Text("summit__slug"),
    "slug": Text("slug"),
    "speaker": Text("speaker__name"),
    "speaker_country": Text("speaker__country_id"),
    "quote": Text("text"),
    "kind": Text("kind"),
    "said_on": Text(Cast("said_on", output_field=CharField())),
    "context": Text("context"),
    "sources_count": Coalesce(
        Subquery(
            Citation.objects.filter(statement=OuterRef("pk"))
            .order_by()
            .values("statement")
            .annotate(n=Count("source", distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    ),
}

SOURCE_COLUMNS = {
    "file_name": Text("file_name"),
    "outlet": Text("outlet"),
    "title": Text("title"),
    "author": Text("author"),
    "url": Text("url"),
    "published_on": Text(Cast("published_on", output_field=CharField())),
    "language": Text("language"),
    "sha256": Text("text_sha256"),
    "citations_count": Coalesce(
        Subquery(
            Citation.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    ),
}

ACTOR_COLUMNS = ["code", "name", "pledge", "conditional", "refusal", "support", "total"]


def _rows_queryset(queryset, columns: dict):
    """Return `queryset` reduced to the CSV's columns as aliased expressions, in id order, nothing joined twice."""
    aliases = {f"csv_{index}": expression for index, expression in enumerate(columns.values())}
    return queryset.select_related(None).prefetch_related(None).order_by("pk").annotate(**aliases).values_list(
        *aliases
    )


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


def _postgresql_rows(queryset, using: str) -> Iterator[str]:
    sql, params = queryset.query.sql_with_params()
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connections[using].cursor() as cursor:
        # Logged like any other query (query counts, debug toolbar) when Django logs queries.
        logged = cursor.debug_sql(copy_sql, params) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, cursor.cursor.copy(copy_sql, params) as copy:
            for block in copy:
                yield bytes(block).decode("utf-8")


# Quotes one column of the inner query the way RFC 4180 (and PostgreSQL's COPY) does: only when needed.
_SQLITE_CELL = (
    "CASE WHEN {0} IS NULL THEN '' "
    "WHEN instr({0}, '\"') OR instr({0}, ',') OR instr({0}, char(10)) OR instr({0}, char(13)) "
    "THEN '\"' || replace({0}, '\"', '\"\"') || '\"' ELSE CAST({0} AS TEXT) END"
)


def _sqlite_rows(queryset, using: str, width: int) -> Iterator[str]:
    inner, params = queryset.query.sql_with_params()
    # Each value is computed once in the inner query; the outer one only quotes and joins them.
    line = " || ',' || ".join(_SQLITE_CELL.format(f'"csv_{index}"') for index in range(width))
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {line} || char(10) FROM ({inner})", params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield "".join(row[0] for row in rows)


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Yield the CSV text of a header and rows formatted in Python, formulas neutralised, LF line ends."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if value is None else neutralise(value) for value in row])


def python_rows(queryset, columns: dict) -> Iterator[str]:
    """Yield the CSV lines of `queryset` formatted by Python (the portable path, and the reference in tests)."""
    rows = _rows_queryset(queryset, columns).iterator(chunk_size=CHUNK_ROWS)
    writer = csv.writer(_Echo(), lineterminator="\n")
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def stream_csv(queryset, columns: dict) -> Iterator[str]:
    """Yield the CSV of `queryset`: the header, then rows formatted by the database, in chunks."""
    using = queryset.db
    vendor = connections[using].vendor
    yield _header(columns)
    if vendor == "postgresql":
        yield from _chunks(_postgresql_rows(_rows_queryset(queryset, columns), using))
    elif vendor == "sqlite":
        yield from _chunks(_sqlite_rows(_rows_queryset(queryset, columns), using, len(columns)))
    else:
        yield from _chunks(python_rows(queryset, columns))


def actor_rows(rows) -> Iterator[list]:
    """Yield one row per country or organisation of a country or organisation list."""
    for row in rows:
        code = getattr(row.actor, "code", None) or row.actor.slug
        counts = (row.counts[stance] for stance in ("pledge", "conditional", "refusal", "support"))
        yield [code, row.actor.name, *counts, row.total]

