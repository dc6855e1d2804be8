"""Keyset ("next page") pagination: a page after a cursor is a WHERE on the ordering columns, fast at any depth.

A page after row R is `WHERE (ordering) > (R's values) ORDER BY ordering LIMIT size + 1`, written out column by
column so that descending columns and NULLs (always last, on every database) compare right. The cursor holds the
last row's ordering values, signed: it is opaque and URL-safe, and a tampered or stale one is refused as invalid
instead of reaching the database.

Why not django-cursor-pagination: it compares every value as text (a date column fails on PostgreSQL), splits its
cursor on a character that names may contain, and accepts any cursor without checking it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils.http import urlencode

PAGE_SIZE = 50
_SALT = "coalition.pagination"
_VALUE_PREFIX = "_keyset_"


class InvalidCursor(ValueError):
    """A cursor that this list did not make, or that was changed: the request is refused (400)."""


@dataclass(frozen=True)
class _Key:
    path: str  # an ORM path, e.g. "summit__start_date" or "pk"
    descending: bool
    nullable: bool  # whether the column (through its joins) can be NULL


def _field_of(model: type[Model], path: str):
    """Return the model field at the end of `path` and whether any step of it may be NULL."""
    nullable = False
    parts = path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        nullable = nullable or field.null
        if index < len(parts) - 1:
            model = field.related_model
    return field, nullable


def _keys(model: type[Model], ordering: Sequence[str]) -> tuple[_Key, ...]:
    keys = []
    for name in ordering:
        path = name.lstrip("-")
        try:
            _, nullable = _field_of(model, path)
        except (FieldDoesNotExist, AttributeError) as error:
            raise ValueError(f"Cannot page on {name!r}: {error}") from error
        keys.append(_Key(path=path, descending=name.startswith("-"), nullable=nullable))
    if keys[-1].path not in {"pk", model._meta.pk.name}:
        raise ValueError("The last ordering column must be the primary key, so that every row has one place.")
    return tuple(keys)


def _order_by(key: _Key):
    # Nullable columns put NULLs last on both databases (SQLite would put them first); others keep the plain
    # order so that the database can read it from an index.
    expression = F(key.path)
    if not key.nullable:
        return expression.desc() if key.descending else expression.asc()
    return expression.desc(nulls_last=True) if key.descending else expression.asc(nulls_last=True)


def _equal(key: _Key, value) -> Q:
    return Q(**{f"{key.path}__isnull": True}) if value is None else Q(**{key.path: value})


def _beyond(key: _Key, value) -> Q | None:
    """Return the condition for rows after `value` in this column alone (None when nothing comes after it)."""
    if value is None:  # NULLs come last: nothing is beyond them
        return None
    condition = Q(**{f"{key.path}__{'lt' if key.descending else 'gt'}": value})
    if key.nullable:
        condition |= Q(**{f"{key.path}__isnull": True})
    return condition


def _after(keys: tuple[_Key, ...], values: list) -> Q:
    """Return the condition for rows after the row with `values`: (k1 > v1) or (k1 = v1 and k2 > v2) or …"""
    after = Q(pk__in=[])
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        if (beyond := _beyond(key, value)) is not None:
            after |= equal_so_far & beyond
        equal_so_far &= _equal(key, value)
    # The first column alone bounds where the rows start: a range the database can read from an index.
    first, value = keys[0], values[0]
    if value is None:
        start = Q(**{f"{first.path}__isnull": True})
    else:
        start = Q(**{f"{first.path}__{'lte' if first.descending else 'gte'}": value})
        if first.nullable:
            start |= Q(**{f"{first.path}__isnull": True})
    return start & after


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _signer(keys: tuple[_Key, ...]) -> signing.Signer:
    # The ordering is part of the salt: a cursor made for one list is refused by a list in another order.
    return signing.Signer(salt=_SALT + ":" + ",".join(("-" if k.descending else "") + k.path for k in keys))


def encode_cursor(keys: tuple[_Key, ...], values: Sequence) -> str:
    return _signer(keys).sign_object([_plain(v) for v in values], compress=True)


def decode_cursor(model: type[Model], keys: tuple[_Key, ...], cursor: str) -> list:
    """Return the ordering values a cursor holds, as Python values of their columns, or raise InvalidCursor."""
    try:
        values = _signer(keys).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as error:
        raise InvalidCursor("This page link is not valid (it was changed or is out of date).") from error
    if not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor("This page link is not valid.")
    try:
        pairs = zip(keys, values, strict=True)
        return [None if v is None else _field_of(model, k.path)[0].to_python(v) for k, v in pairs]
    except ValidationError as error:
        raise InvalidCursor("This page link is not valid.") from error


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list: its rows, the cursor of the next page (None on the last), and the links to use."""

    rows: list
    next_cursor: str | None
    is_first: bool
    total: int | None = None  # shown only where a stored count gives it
    next_query: str = ""  # the query string of the next page, every other parameter kept
    first_query: str = ""  # the query string of the first page

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    def linked(self, params: Mapping[str, str], *, param: str = "after", total: int | None = None) -> "KeysetPage":
        """Return this page with its links: `params` (the request's) with `param` set to each page's cursor."""
        kept = [(name, value) for name, value in _items(params) if name != param]
        return replace(
            self,
            total=total,
            next_query=urlencode([*kept, (param, self.next_cursor)]) if self.next_cursor else "",
            first_query=urlencode(kept),
        )


def _items(params: Mapping[str, str]) -> list[tuple[str, str]]:
    if hasattr(params, "lists"):  # a QueryDict: keep repeated parameters
        return [(name, value) for name, values in params.lists() for value in values]
    return list(params.items())


def keyset_page(
    queryset: QuerySet, *, ordering: Sequence[str], after: str | None, size: int | None = None, narrow: bool = False
) -> KeysetPage:
    """Return the page of `queryset` in `ordering` (ending with the primary key) after the cursor `after`.

    `narrow` picks the page's ids first, in a subquery that an index holding the ordering columns answers alone,
    and reads only those rows whole: for a filter matching many thousand rows spread over the table.
    """
    keys = _keys(queryset.model, ordering)
    size = size or PAGE_SIZE
    aliases = [f"{_VALUE_PREFIX}{index}" for index in range(len(keys))]
    values = {alias: F(key.path) for alias, key in zip(aliases, keys, strict=True)}
    rows_in_order = queryset.annotate(**values).order_by(*map(_order_by, keys))
    if after:
        rows_in_order = rows_in_order.filter(_after(keys, decode_cursor(queryset.model, keys, after)))
    if narrow:
        ids = rows_in_order.values("pk")[: size + 1]
        rows_in_order = queryset.filter(pk__in=ids).annotate(**values).order_by(*map(_order_by, keys))
    rows = list(rows_in_order[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor(keys, [getattr(rows[-1], alias) for alias in aliases])
    return KeysetPage(rows=rows, next_cursor=next_cursor, is_first=not after)
