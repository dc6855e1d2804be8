"""Changelists that stay fast at a million rows: no count of a whole table, deep pages read from the nearer end."""

import json

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import OrderBy
from django.utils.functional import cached_property

# Counted exactly up to here (an index range scan stops after this many rows); estimated beyond.
EXACT_COUNT_LIMIT = 10_000
# A filter lists at most this many values of a column.
FILTER_VALUES_LIMIT = 500


def _descending(term) -> bool:
    if isinstance(term, str):
        return term.startswith("-")
    return isinstance(term, OrderBy) and term.descending


class ScaledChangeList(ChangeList):
    """A changelist whose tie-breaking key runs in the direction of its sort column.

    Django breaks ties with “-pk” whatever the direction of the column, and an index on (column, id) can serve
    “column, id” and “-column, -id” but not “column, -id”: each sort then reads the index from one end.
    """

    def get_ordering_field(self, field_name):
        # Only the columns offered for sorting: "?o=" naming another (a text column, with no index) is ignored
        # rather than sorting a million rows.
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_ordering_field_columns(self):
        # The headers show as sorted only the columns the list is really sorted by.
        columns = super().get_ordering_field_columns()
        names = self.list_display
        return {i: way for i, way in columns.items() if i < len(names) and self.get_ordering_field(names[i])}

    def _get_deterministic_ordering(self, ordering):
        total = super()._get_deterministic_ordering(ordering)
        if not total:
            return total
        # The key breaking ties (Django's “-pk”, or the admin's default ordering appended after a chosen column).
        direction = "-" if _descending(total[0]) else ""
        return [total[0], *(f"{direction}pk" if term in ("pk", "-pk") else term for term in total[1:])]


class EstimatedCountPaginator(Paginator):
    """A paginator counting exactly up to EXACT_COUNT_LIMIT rows and estimating beyond on PostgreSQL, whose pages
    past the middle are the first pages of the reversed ordering read backwards.

    The last page is therefore always the real end of the list, read from the end of an index; with an estimated
    total, pages in the middle may overlap or skip a few rows (the page numbers are approximate, as the total).
    """

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list.order_by()
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            # SQLite counts an index's entries without reading the rows: fast at the sizes it serves.
            return queryset.count()
        exact = queryset[: EXACT_COUNT_LIMIT + 1].count()
        if exact <= EXACT_COUNT_LIMIT:
            return exact
        self.estimated = True
        return max(exact, self._planned_rows(queryset))

    @staticmethod
    def _planned_rows(queryset) -> int:
        """Return the number of rows PostgreSQL's planner expects `queryset` to give (from its statistics)."""
        plan = json.loads(queryset.values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom * 2 <= self.count or not self.object_list.ordered:
            return super().page(number)
        # Past the middle: the rows after this page are fewer than those before it, so skip those instead.
        after = self.count - top
        rows = list(self.object_list.reverse()[after : after + top - bottom])
        rows.reverse()
        return Page(rows, number, self)


def distinct_values(model, column: str) -> list:
    """Return the distinct non-null values of `model`'s `column` in order, one index probe per value (a “skip
    scan”), at most FILTER_VALUES_LIMIT of them."""
    connection = connections[router.db_for_read(model)]
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(column)
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT MIN({column}) FROM {table} "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) "
        f"FROM found WHERE found.value IS NOT NULL) "
        f"SELECT value FROM found WHERE value IS NOT NULL LIMIT {FILTER_VALUES_LIMIT}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """A filter by each value of an indexed column of the model itself, its values read by `distinct_values`
    rather than by a DISTINCT over every row."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = distinct_values(model, field.column)
