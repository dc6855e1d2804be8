"""The change feed: every create, update and delete of public data, in one total order, a page at a time."""

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ..feed.cursor import decode_cursor
from ..feed.serialize import describe_changes, position
from ..feed.tables import FeedTable, feed_tables, slot

CHANGES_PAGE_SIZE = 100
CHANGES_MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class ChangePage:
    """Changes after a cursor: `has_more` when more are ready now; `cursor` is where to go on from."""

    changes: list[dict]
    has_more: bool
    cursor: str | None


def _slot_condition(table: FeedTable, history_types: Q, own_slot: int, after_slot: int, after_id: int) -> Q | None:
    if own_slot > after_slot:
        return history_types
    if own_slot == after_slot:
        return history_types & Q(history_id__gt=after_id)
    return None


def _after(table: FeedTable, after) -> Q:
    """Return the condition for this table's rows after the position `after` (time, slot, history id)."""
    when, after_slot, after_id = after
    later = Q(history_date__gt=when)
    for types, history_type in ((Q(history_type__in=["+", "~"]), "+"), (Q(history_type="-"), "-")):
        same_time = _slot_condition(table, types, slot(table, history_type), after_slot, after_id)
        if same_time is not None:
            later |= Q(history_date=when) & same_time
    # The time alone bounds where the rows start: a range read from the history_date index.
    return Q(history_date__gte=when) & later


def table_changes(table: FeedTable, *, after: tuple | None, until: datetime) -> QuerySet:
    """Return `table`'s history rows after the position `after` up to `until`, in feed order."""
    rows = table.history_model.objects.filter(history_date__lte=until)
    if after is not None:
        rows = rows.filter(_after(table, after))
    deletion_last = Case(When(history_type="-", then=Value(1)), default=Value(0), output_field=IntegerField())
    return rows.order_by("history_date", deletion_last, "history_id")


def _table_rows(table: FeedTable, *, after, until, limit: int) -> list:
    return [(table, row) for row in table_changes(table, after=after, until=until)[:limit]]


def changes_page(*, after: str | None, limit: int = CHANGES_PAGE_SIZE) -> ChangePage:
    """Return the first `limit` changes after the cursor `after` (from the start without one); raise InvalidCursor.

    Changes younger than CHANGE_FEED_SETTLE_SECONDS are held back: a transaction still open when a client polls
    may commit rows stamped a moment earlier than the last change it was given.
    """
    start = decode_cursor(after) if after else None
    until = timezone.now() - timedelta(seconds=settings.CHANGE_FEED_SETTLE_SECONDS)
    # One query per table; the tables' pages merge into the feed's order.
    per_table = [_table_rows(table, after=start, until=until, limit=limit + 1) for table in feed_tables()]
    merged = list(heapq.merge(*per_table, key=lambda pair: position(*pair)))[: limit + 1]
    rows = merged[:limit]
    changes = describe_changes(rows)
    return ChangePage(
        changes=changes,
        has_more=len(merged) > limit,
        cursor=changes[-1]["cursor"] if changes else after,
    )
