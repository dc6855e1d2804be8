"""Rows of a public table as JSON values (numbers, ISO dates, null for a missing value): what the API serves."""

from collections.abc import Mapping

from django.db.models import F, QuerySet

from ..filter_fields import sorting_of
from ..pagination import KeysetPage, keyset_page
from ..vocabulary import TABLES, PublicTable
from .tables import table_rows

API_PAGE_SIZE = 50  # rows per page unless ?limit= asks for another number
API_PAGE_MAX = 500  # the most rows ?limit= may ask for
ORDERING = ("pk",)  # without ?sort= the API pages in id order: stable, and every row has one place


def _alias(index: int) -> str:
    return f"api_{index}"


def _with_columns(table: PublicTable, queryset: QuerySet) -> QuerySet:
    """Return `queryset` reading only the table's columns, each as an annotation computed by the database."""
    expressions = {
        _alias(index): F(column.source) if isinstance(column.source, str) else column.source
        for index, column in enumerate(table.columns)
    }
    pk = table.model._meta.pk.name
    return queryset.select_related(None).prefetch_related(None).only(pk).annotate(**expressions)


def _values(table: PublicTable, row) -> dict:
    """Return one row as {column name: value}; an empty optional text is missing (null), as in the CSV."""
    values = {}
    for index, column in enumerate(table.columns):
        value = getattr(row, _alias(index))
        values[column.name] = None if value == "" and not column.required else value
    return values


def _ordering(table: PublicTable, sort: str | None) -> tuple[str, ...]:
    """Return the order of `?sort=` (the lists' sortable columns, already validated by the FilterSet), else by id."""
    sorting = sorting_of(table.filterset) if table.filterset else None
    return sorting.ordering(sort) if sorting and sort else ORDERING


def table_json_page(*, name: str, params: Mapping[str, str], after: str | None, limit: int) -> KeysetPage:
    """Return the page of `limit` rows (as dicts) of table `name` that its URL filters match, after the cursor.

    Raises InvalidFilter for refused filters and InvalidCursor for a cursor this list did not make.
    """
    table = TABLES[name]
    rows = _with_columns(table, table_rows(name=name, params=params))
    page = keyset_page(rows, ordering=_ordering(table, params.get("sort")), after=after, size=limit)
    return KeysetPage(
        rows=[_values(table, row) for row in page.rows], next_cursor=page.next_cursor, is_first=page.is_first
    )


def table_json_row(*, name: str, key) -> dict | None:
    """Return the row of table `name` whose primary key column holds `key`, as a dict, or None."""
    table = TABLES[name]
    (key_column,) = (table.column(column_name) for column_name in table.primary_key)
    rows = _with_columns(table, table.model.objects.filter(**{key_column.source: key}))
    row = rows.first()
    return None if row is None else _values(table, row)
