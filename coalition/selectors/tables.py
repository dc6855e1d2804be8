"""Rows of a public table (coalition.vocabulary) narrowed by its URL filters: what a CSV or the API serves."""

from collections.abc import Mapping

from django.db.models import QuerySet

from ..vocabulary import TABLES
from .common import InvalidFilter, filtered


def table_rows(*, name: str, params: Mapping[str, str]) -> QuerySet:
    """Return the rows of the public table `name` that the URL filters in `params` match; raise InvalidFilter."""
    table = TABLES[name]
    queryset = table.model.objects.all()
    if table.filterset is None:
        return queryset
    return filtered(table.filterset, params=params, queryset=queryset)[0]


__all__ = ["InvalidFilter", "table_rows"]
