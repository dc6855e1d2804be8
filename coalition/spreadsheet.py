"""Keeping spreadsheet programs from running cells as formulas (CSV/formula injection)."""

import re

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(value) -> bool:
    """Return True when `value` is text a spreadsheet would run as a formula (a plain number is not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value)


def neutralise(value):
    """Return `value` with a leading apostrophe when a spreadsheet would run it as a formula, else unchanged."""
    return "'" + value if is_formula_like(value) else value


def _escapable(value) -> bool:
    # Text that already starts with apostrophes before a formula gets one more, so that reading it back
    # (which removes one) gives the original text and not a formula.
    return isinstance(value, str) and is_formula_like(value.lstrip("'"))


def escape(value):
    """Return `value` as our import/export files write it: one more leading `'` when it would run as a formula."""
    return "'" + value if _escapable(value) else value


def is_escaped(value) -> bool:
    """Return True when `value` is a cell that `escape` wrote (a `'` before formula-like text)."""
    return isinstance(value, str) and value.startswith("'") and _escapable(value)


def restore(value):
    """Return a cell that `escape` (or `neutralise`) escaped to its original text; anything else unchanged."""
    return value[1:] if is_escaped(value) else value
