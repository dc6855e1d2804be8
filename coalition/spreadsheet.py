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


def restore(value):
    """Return a cell that `neutralise` escaped to its original text; anything else unchanged."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value
