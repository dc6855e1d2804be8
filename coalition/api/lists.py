"""The public tables as JSON: for every table of the vocabulary, its filtered, paged list and one row by its key.

Nothing here names a table: each gets its endpoints, schemas and parameters from coalition.vocabulary and its
FilterSet, so a table added there is served here too.
"""

import inspect

from ninja import Path, Router, Status
from ninja.decorators import decorate_view

from ..caching import public_page
from ..pagination import InvalidCursor
from ..selectors.table_json import API_PAGE_MAX, API_PAGE_SIZE, table_json_page, table_json_row
from ..selectors.tables import InvalidFilter
from ..vocabulary import TABLES, PublicTable
from . import errors
from .schemas import (
    PAGING_PARAMETERS,
    PYTHON_TYPES,
    ApiError,
    accepted_parameters,
    column_description,
    filter_parameters,
    page_schema,
    row_schema,
)

router = Router(tags=["tables"])


def _limit(params) -> int:
    """Return the page size ?limit= asks for (the default without one); raise errors.Refused if not valid."""
    text = params.get("limit", "")
    if text == "":
        return API_PAGE_SIZE
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= API_PAGE_MAX):
        raise errors.Refused("limit", f"must be a whole number from 1 to {API_PAGE_MAX}, not {text!r}")
    return int(text)


def _list_view(table: PublicTable):
    accepted = accepted_parameters(table)

    def list_rows(request):
        try:
            errors.refuse_unknown(request.GET, accepted)
            page = table_json_page(
                name=table.name, params=request.GET, after=request.GET.get("after") or None, limit=_limit(request.GET)
            )
        except errors.Refused as refused:
            return Status(400, refused.body())
        except InvalidFilter as refused:
            return Status(400, errors.filter_errors(refused.form))
        except InvalidCursor as refused:
            return Status(400, errors.Refused("after", str(refused)).body())
        next_url = None
        if page.next_cursor:
            next_url = request.build_absolute_uri(f"{request.path}?{page.linked(request.GET).next_query}")
        return Status(200, {"items": page.rows, "next": next_url})

    list_rows.__name__ = f"list_{table.name}"
    return list_rows


def _detail_view(table: PublicTable):
    (key,) = (table.column(name) for name in table.primary_key)

    def row(request, **path):
        try:
            errors.refuse_unknown(request.GET, [])
        except errors.Refused as refused:
            return Status(400, refused.body())
        found = table_json_row(name=table.name, key=path[key.name])
        if found is None:
            return Status(404, {"detail": f"No row of {table.name} has {key.name} {path[key.name]!r}.", "errors": {}})
        return Status(200, found)

    # The key's name and type come from the vocabulary, so the signature ninja reads is made here.
    parameter = inspect.Parameter(
        key.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=PYTHON_TYPES[key.type],
        default=Path(..., description=column_description(key)),
    )
    request = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    row.__signature__ = inspect.Signature([request, parameter])
    row.__name__ = f"get_{table.name}"
    # A text key may hold any character but a slash-free segment would not match every value: take the rest.
    return row, "{" + ("" if key.type == "integer" else "path:") + key.name + "}"


def _register(table: PublicTable) -> None:
    row = row_schema(table)
    router.get(
        f"/{table.name}/",
        response={200: page_schema(table, row), 400: ApiError},
        summary=f"{table.title}: a page of rows",
        description=f"{table.description} Filtered by the same URL parameters as the CSV download; "
        "paged in id order (follow `next`).",
        operation_id=f"list_{table.name}",
        openapi_extra={"parameters": [*filter_parameters(table), *PAGING_PARAMETERS]},
    )(decorate_view(public_page)(_list_view(table)))
    if len(table.primary_key) != 1:  # a link table (e.g. representatives) is read through its list only
        return
    view, key_path = _detail_view(table)
    router.get(
        f"/{table.name}/{key_path}",
        response={200: row, 400: ApiError, 404: ApiError},
        summary=f"{table.title}: one row",
        description=f"One row of {table.name} by its {', '.join(table.primary_key)}.",
        operation_id=f"get_{table.name}",
    )(decorate_view(public_page)(view))


for _table in TABLES.values():
    _register(_table)
