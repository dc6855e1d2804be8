"""Versions of records: what an editor saw when a form was opened or a file exported, and what changed since."""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

SALT = "coalition.versioning"
# How many of a record's latest history entries are searched for who changed a field.
HISTORY_DEPTH = 100
# Texts longer than this are shown as an excerpt around their first difference.
EXCERPT = 160


def tracked_fields(model) -> list:
    """Return the fields a version covers: every editable field but the primary key, many-to-many included."""
    concrete = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    return concrete + [f for f in model._meta.many_to_many if f.editable]


def plain(value):
    """Return `value` as JSON gives it back (dates and decimals as text), so versions compare after signing."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance) -> dict[str, Any]:
    """Return the tracked values of a saved instance: related records by id, many-to-many as sorted ids."""
    values = {}
    for field in tracked_fields(type(instance)):
        if field.many_to_many:
            values[field.name] = sorted(plain(related.pk) for related in getattr(instance, field.name).all())
        else:
            values[field.name] = plain(getattr(instance, field.attname))
    return values


def current_snapshot(model, pk, *, lock: bool = False) -> dict[str, Any] | None:
    """Return the record's values as the database holds them now (None when it is gone), locking the row if asked."""
    using = router.db_for_write(model)
    names = [f.name for f in tracked_fields(model) if not f.many_to_many]
    # No ordering: the models' default ordering joins other tables, which PostgreSQL cannot lock.
    queryset = model._base_manager.using(using).filter(pk=pk).only(*names).order_by()
    # Locking only means something inside the transaction that will write.
    if lock and transaction.get_connection(using).in_atomic_block:
        queryset = queryset.select_for_update()
    instance = queryset.first()
    return None if instance is None else snapshot(instance)


def current_snapshots(model, pks) -> dict[Any, dict[str, Any]]:
    """Return the current values of many records at once, keyed by primary key."""
    m2m = [f.name for f in tracked_fields(model) if f.many_to_many]
    return {obj.pk: snapshot(obj) for obj in model._base_manager.filter(pk__in=list(pks)).prefetch_related(*m2m)}


def sign(model, pk, values: dict | None) -> str:
    """Return a tamper-proof token of a record's values (None: the record did not exist)."""
    payload = {"model": model._meta.label_lower, "pk": plain(pk), "values": values}
    return signing.dumps(payload, salt=SALT, compress=True)


def unsign(model, token: str) -> tuple[Any, dict | None]:
    """Return (primary key, values) from a token made by sign(); raise signing.BadSignature if it is not one."""
    payload = signing.loads(token, salt=SALT)
    if payload.get("model") != model._meta.label_lower:
        raise signing.BadSignature("the version belongs to another kind of record")
    return payload["pk"], payload["values"]


# json.dumps(..., sort_keys=True, ensure_ascii=False) without building an encoder per call.
_encode_sorted = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
# How that encoder writes a text (a str subclass too); a TypeError for anything else.
_encode_text = encode_basestring


def fingerprint(values) -> str:
    """Return a short, spreadsheet-safe hash of values (a letter first, so no spreadsheet reads it as a number)."""
    try:
        # Text, numbers and None (every exported cell) are already what plain() gives back: a table export
        # fingerprints each row, so the round trip through JSON is made only for the values that need it.
        text = _encode_sorted(values)
    except TypeError:
        text = _encode_sorted(plain(values))
    return "v" + hashlib.sha256(text.encode()).hexdigest()[:12]


def fingerprints(names: Sequence[str]) -> Callable[[Sequence[Sequence]], list[str]]:
    """Return a function giving, for columns of values in `names` order, each row's fingerprint: the same as
    `fingerprint(dict(zip(names, row)))`, made for the many rows of a table.

    The JSON text of a row of texts is filled into a template of the sorted keys made once, each column encoded by
    one C call per cell; columns holding anything else are fingerprinted row by row by fingerprint() itself.
    """
    names = list(names)
    if not names or len(set(names)) != len(names):
        raise ValueError("a fingerprint's names must be distinct, and at least one")
    order = sorted(range(len(names)), key=names.__getitem__)  # sort_keys sorts the keys as Python sorts them
    # The separators are the encoder's defaults: ", " between items, ": " after a key.
    template = "{" + ", ".join(_encode_text(names[i]).replace("%", "%%") + ": %s" for i in order) + "}"
    sha256 = hashlib.sha256

    def fingerprint_rows(columns: Sequence[Sequence]) -> list[str]:
        try:
            encoded = [list(map(_encode_text, columns[i])) for i in order]
        except TypeError:  # a value that is not text: encoded (and sorted) by the encoder itself
            return [fingerprint(dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]
        return ["v" + sha256((template % row).encode()).hexdigest()[:12] for row in zip(*encoded, strict=True)]

    return fingerprint_rows


@dataclass
class Change:
    """One field that differs between two versions, and the history entry that last set it, if known."""

    label: str
    before: str
    after: str
    by: str | None = None
    at: datetime | None = None

    def __str__(self):
        text = f"{self.label}: when you opened the form: “{self.before}”; now: “{self.after}”"
        return text + signed_by(self.by, self.at, "changed")


def signed_by(user: str | None, at: datetime | None, verb: str) -> str:
    """Return “ — changed by <user> at <time>” from what the history knows, or nothing."""
    if at is None:
        return ""
    when = date_format(localtime(at), "Y-m-d H:i")
    return f" — {verb} by {user} at {when}" if user else f" — {verb} at {when}"


def history(model, pk, limit: int = HISTORY_DEPTH) -> list:
    """Return a record's latest history entries, newest first (empty for a model without history)."""
    try:
        manager = get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return []
    entries = manager.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    return list(entries.order_by("-history_date", "-history_id")[:limit])


def author(entry) -> str | None:
    """Return the user name a history entry records, if any."""
    user = getattr(entry, "history_user", None)
    return user.get_username() if user is not None else None


def _setter(entries: list, field, now) -> Any:
    """Return the history entry that gave `field` its current value `now` (the newest entry if it cannot tell)."""
    if not entries:
        return None
    if field.many_to_many or not hasattr(entries[0], field.attname):
        return entries[0]
    found = None
    for entry in entries:  # newest first: the oldest of the leading run that holds the current value set it
        if plain(getattr(entry, field.attname)) != now:
            break
        found = entry
    return found


def shown(field, value) -> str:
    """Return a stored value as an editor reads it: choices by label, related records by name."""
    if value in (None, "", []):
        return "(empty)"
    if field.is_relation:
        keys = value if isinstance(value, list) else [value]
        found = field.related_model._base_manager.in_bulk(keys)
        return ", ".join(str(found[key]) if key in found else f"#{key} (deleted)" for key in keys)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def excerpts(before: str, after: str) -> tuple[str, str]:
    """Return both texts, long ones cut to a window around where they first differ."""
    if len(before) <= EXCERPT and len(after) <= EXCERPT:
        return before, after
    start = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), min(len(before), len(after))
    )
    start = max(0, start - EXCERPT // 4)

    def cut(text):
        piece = text[start : start + EXCERPT]
        return ("…" if start else "") + piece + ("…" if start + EXCERPT < len(text) else "")

    return cut(before), cut(after)


def changes(model, pk, before: dict, after: dict) -> list[Change]:
    """Return field by field how a record's values `before` differ from `after`, with who made each change."""
    entries = history(model, pk)
    found = []
    for field in tracked_fields(model):
        if before.get(field.name) == after.get(field.name):
            continue
        old, new = excerpts(shown(field, before.get(field.name)), shown(field, after.get(field.name)))
        entry = _setter(entries, field, after.get(field.name))
        found.append(Change(str(field.verbose_name), old, new, author(entry), getattr(entry, "history_date", None)))
    return found


def deletion(model, pk) -> str:
    """Return “ — deleted by <user> at <time>” from the record's history, or nothing."""
    entries = history(model, pk, limit=1)
    if entries and entries[0].history_type == "-":
        return signed_by(author(entries[0]), entries[0].history_date, "deleted")
    return ""
