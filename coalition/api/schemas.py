"""The API's schemas, generated from the public vocabulary and the tables' URL filters: none is written by hand."""

import datetime
from typing import Literal

import django_filters
from django import forms
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, create_model

from ..selectors.table_json import API_PAGE_MAX, API_PAGE_SIZE
from ..vocabulary import Column, PublicTable

PYTHON_TYPES = {"string": str, "integer": int, "date": datetime.date, "boolean": bool}
PAGING = ("after", "limit")  # the query parameters every list takes besides its filters


class ApiError(Schema):
    """A refused request: what is wrong, and for each parameter at fault its messages (with the valid values)."""

    detail: str = Field(description="What is wrong with the request, naming the parameter and the valid values.")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="The messages for each parameter.")


def column_description(column: Column) -> str:
    """Return a column's description, followed by its codes and their labels when it holds codes."""
    if not column.codes:
        return column.description
    return column.description + " Codes: " + "; ".join(f"{code} = {label}" for code, label in column.codes) + "."


def _field(column: Column):
    python_type = Literal[tuple(column.code_values)] if column.codes else PYTHON_TYPES[column.type]
    if not column.required:
        python_type = python_type | None
    return python_type, Field(description=column_description(column))


def _class_name(table: PublicTable) -> str:
    return "".join(part.capitalize() for part in table.name.split("_"))


def row_schema(table: PublicTable) -> type[BaseModel]:
    """Return the pydantic model of one row of `table`: its columns, in order, typed and described."""
    fields = {column.name: _field(column) for column in table.columns}
    config = ConfigDict(title=f"{_class_name(table)}Row", json_schema_extra={"description": table.description})
    return create_model(f"{_class_name(table)}Row", __config__=config, **fields)


def page_schema(table: PublicTable, row: type[BaseModel]) -> type[BaseModel]:
    """Return the pydantic model of one page of `table`'s rows, with the link to the next page."""
    return create_model(
        f"{_class_name(table)}Page",
        items=(list[row], Field(description=f"{table.title}, in id order.")),
        next=(str | None, Field(description="The address of the next page; null on the last page.")),
    )


def _choices(filter_) -> list[str]:
    choices = filter_.extra.get("choices", ())
    return [str(code) for code, _ in (choices() if callable(choices) else choices)]


def _value_schema(filter_) -> dict:
    """Return the JSON schema of one filter's value, from its form field (codes as an enum)."""
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": {"type": "string", "enum": _choices(filter_)}}
    if isinstance(filter_, django_filters.ChoiceFilter):
        return {"type": "string", "enum": _choices(filter_)}
    field_class = filter_.field_class
    if issubclass(field_class, forms.IntegerField):
        return {"type": "integer"}
    if issubclass(field_class, forms.DateField):
        return {"type": "string", "format": "date"}
    if issubclass(field_class, forms.NullBooleanField | forms.BooleanField):
        return {"type": "boolean"}
    return {"type": "string"}


def filter_parameters(table: PublicTable) -> list[dict]:
    """Return the OpenAPI query parameters of `table`'s URL filters, derived from its FilterSet."""
    if table.filterset is None:
        return []
    parameters = []
    for name, filter_ in table.filterset.base_filters.items():
        description = str(filter_.label or name)
        if help_text := filter_.extra.get("help_text"):
            description += f": {help_text}"
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": _value_schema(filter_),
            }
        )
    return parameters


def accepted_parameters(table: PublicTable) -> list[str]:
    """Return the names of the query parameters the list of `table` accepts."""
    return [parameter["name"] for parameter in filter_parameters(table)] + list(PAGING)


PAGING_PARAMETERS = [
    {
        "name": "after",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "The cursor of the page to read: copy it from the previous page's `next` link.",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": API_PAGE_MAX, "default": API_PAGE_SIZE},
        "description": f"How many rows a page holds (at most {API_PAGE_MAX}).",
    },
]
