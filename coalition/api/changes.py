"""The change feed at /api/v1/changes/: every create, update and delete of public data, in replay order."""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from django.utils.http import urlencode
from ninja import Field, Query, Router, Schema, Status

from ..feed.cursor import InvalidCursor
from ..feed.serialize import ACTIONS
from ..selectors.changes import CHANGES_MAX_PAGE_SIZE, CHANGES_PAGE_SIZE, changes_page
from . import errors
from .schemas import ApiError

router = Router(tags=["changes"])

Key = list[str | int | None]


class ChangesQuery(Schema):
    after: str | None = Field(
        None,
        description="Give the changes after this cursor (from the start without one): a change's `cursor`, or the "
        "`cursor` of a response.",
    )
    limit: int = Field(CHANGES_PAGE_SIZE, ge=1, le=CHANGES_MAX_PAGE_SIZE, description="How many changes at most.")


class ChangeOut(Schema):
    cursor: str = Field(description="This change's place in the feed: ask for ?after=<cursor> to go on from it.")
    time: datetime = Field(description="When the change was saved.")
    action: Literal[tuple(ACTIONS.values())] = Field(description="What happened to the record.")  # type: ignore[valid-type]
    table: str = Field(description="The public table, e.g. commitments.")
    id: int | str = Field(description="The record's id (a country's is its ISO code).")
    key: Key | None = Field(description="The record's natural key, e.g. [summit slug, slug].")
    values: dict[str, object] | None = Field(
        description="The record's public values after the change (a foreign key as {id, key}, a many-to-many "
        "field as a list of them); null for a deletion."
    )


class ChangesOut(Schema):
    changes: list[ChangeOut]
    next: str | None = Field(description="The next page's address; null when every change ready now was given.")
    cursor: str | None = Field(description="Where to poll from later (?after=<cursor>); null before any change.")


@router.get("/", response={200: ChangesOut, 400: ApiError}, summary="Changes to the public data, oldest first")
def change_list(request, query: Query[ChangesQuery]):
    """Return the changes after `after`, oldest first, in an order a replay can follow."""
    try:
        errors.refuse_unknown(request.GET, ChangesQuery.model_fields)
        page = changes_page(after=query.after, limit=query.limit)
    except errors.Refused as refused:
        return Status(400, refused.body())
    except InvalidCursor as error:
        return Status(400, errors.Refused("after", str(error)).body())
    next_url = None
    if page.has_more:
        next_url = request.build_absolute_uri(
            f"{reverse('api-v1:change_list')}?{urlencode({'after': page.cursor, 'limit': query.limit})}"
        )
    return Status(200, {"changes": page.changes, "next": next_url, "cursor": page.cursor})
