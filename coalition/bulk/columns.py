"""The columns of a resource's export as the database can give them: what to select and how to render each cell.

Everything is read off the resource (its export fields, their attributes and widgets, its `export_expressions`),
so the streaming export writes what the resource's own export writes without a second list of columns.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Expression
from django.utils.encoding import force_str
from import_export import widgets

from ..resources.base import NaturalKeyWidget
from ..resources.versioning import VERSION_COLUMN


@dataclass(frozen=True)
class Column:
    """One exported column: the ORM path or expression the database selects, and the cell the export writes."""

    name: str
    select: str | Expression
    render: Callable[[Any], Any]
    # A many-to-many column: its values are read per chunk of rows, a list per row.
    many: bool = False


def _text(value):
    # What Widget.render and CharWidget.render return, without their per-call overhead.
    return value if type(value) is str else "" if value is None else force_str(value)


def as_given(value):
    """Return `value` unchanged: the cell of a column the database computes as the export writes it."""
    return value


def _key(value):
    # What NaturalKeyWidget.render returns for the related record whose key is `value`.
    return "" if value is None else value


class _Related(list):
    """Related records as a many-to-many widget's render reads them: `.all()`, each with its key attribute."""

    def all(self):
        return self


def _many(widget: widgets.ManyToManyWidget) -> Callable[[list], Any]:
    def render(keys: list):
        return widget.render(_Related(SimpleNamespace(**{widget.field: key}) for key in keys))

    return render


def column(resource, field) -> Column:
    """Return how the streaming export reads and renders `field` of `resource`; raise ImproperlyConfigured if it
    cannot be read from the database generically (then the resource names it in `export_expressions`)."""
    name = field.column_name
    if name in resource.export_expressions:
        # The value is written as the database gives it, as the resource's dehydrate_<column> returns it.
        return Column(name, resource.export_expressions[name], as_given)
    widget = field.widget
    described = f"{type(resource).__name__}, column “{name}”"
    if callable(field.dehydrate_method) or hasattr(
        resource, field.get_dehydrate_method(resource.get_field_name(field))
    ):
        raise ImproperlyConfigured(f"{described} is computed in Python: add it to the resource's export_expressions.")
    if field.attribute is None:
        raise ImproperlyConfigured(f"{described} has no attribute: add it to the resource's export_expressions.")
    if isinstance(widget, widgets.ManyToManyWidget):
        return Column(name, f"{field.attribute}__{widget.field}", _many(widget), many=True)
    if isinstance(widget, widgets.ForeignKeyWidget):
        if type(widget).render is not NaturalKeyWidget.render:
            raise ImproperlyConfigured(f"{described}: the streaming export reads related records by natural key only.")
        path = f"{field.attribute}__{widget.field}"
        return Column(name, path, as_given if _never_null(resource, path) else _key)
    if type(widget).render in (widgets.Widget.render, widgets.CharWidget.render) and widget.coerce_to_string:
        return Column(name, field.attribute, as_given if _never_null(resource, field.attribute, text=True) else _text)
    # Dates, numbers and yes/no values repeat down a column; each distinct one is rendered once (typed: 1 is not True).
    return Column(name, field.attribute, lru_cache(maxsize=4096, typed=True)(widget.render))


def _never_null(resource, path: str, *, text: bool = False) -> bool:
    """Return True when the database gives a value for `path` on every row (always a str if `text`): then the
    widget's render returns it unchanged."""
    model = resource._meta.model
    *relations, name = path.split("__")
    for relation in relations:
        field = model._meta.get_field(relation)
        if not field.many_to_one or field.null:
            return False
        model = field.related_model
    field = model._meta.get_field(name)
    if field.null or not field.concrete or hasattr(field, "from_db_value"):
        return False
    return not text or isinstance(field, (models.CharField, models.TextField))


def columns(resource) -> list[Column]:
    """Return the columns of `resource`'s export in order, without the version (computed from the others)."""
    return [column(resource, field) for field in resource.get_export_fields() if field.column_name != VERSION_COLUMN]
