"""The change feed's cursor: a signed, opaque position (time, slot, history id) in the feed's total order."""

from datetime import datetime

from django.core import signing

_SALT = "coalition.feed.cursor"


class InvalidCursor(ValueError):
    """A cursor the feed did not make, or that was changed."""


def encode_cursor(position: tuple[datetime, int, int]) -> str:
    """Return the opaque cursor of a feed position."""
    when, slot, history_id = position
    return signing.Signer(salt=_SALT).sign_object([when.isoformat(), slot, history_id], compress=True)


def decode_cursor(cursor: str) -> tuple[datetime, int, int]:
    """Return the feed position a cursor holds, or raise InvalidCursor."""
    try:
        when, slot, history_id = signing.Signer(salt=_SALT).unsign_object(cursor)
        position = (datetime.fromisoformat(when), slot, history_id)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as error:
        raise InvalidCursor(
            "after: this cursor is not valid (it was changed, or not given by this feed); use one from a change, "
            "a `next` link or a `cursor` of a previous response."
        ) from error
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in position[1:]):
        raise InvalidCursor("after: this cursor is not valid.")
    return position
