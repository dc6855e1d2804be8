"""A table's fingerprints, computed a chunk of columns at a time, are the versions fingerprint() gives each row."""

import datetime
from decimal import Decimal

import pytest

from coalition.versioning import fingerprint, fingerprints

NAMES = ["slug", "Zeta", "100% done", "ünïcode", 'say "hi"', "a"]


def rows_as_columns(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)]


def expected(names: list[str], rows: list[tuple]) -> list[str]:
    return [fingerprint(dict(zip(names, row, strict=True))) for row in rows]


def test_rows_of_text_get_the_fingerprints_of_their_records():
    rows = [
        ("c-1", "", "%s %(x)s %%", "Zoë Ñ — “quoted”", 'back\\slash "and" quote', "line\nbreak\r\ttab\x01"),
        ("'=formula", "-12.5", "0", "😀 emoji", "{}", " "),
        *((f"slug-{i}", str(i), "x" * i, "y", "z", "w") for i in range(50)),
    ]
    versions = fingerprints(NAMES)(rows_as_columns(rows))
    assert versions == expected(NAMES, rows)
    assert len(set(versions)) == len(rows)


@pytest.mark.parametrize(
    "odd",
    [None, 7, 2.5, True, Decimal("1.50"), datetime.date(2027, 2, 28), ["b", "a"]],
    ids=["none", "int", "float", "bool", "decimal", "date", "list"],
)
def test_rows_with_other_values_get_the_fingerprints_of_their_records(odd):
    rows = [("c-1", odd, "text", "ü", "q", "a"), ("c-2", "plain", "text", "ü", "q", "a")]
    assert fingerprints(NAMES)(rows_as_columns(rows)) == expected(NAMES, rows)


def test_a_single_column_is_fingerprinted_as_its_record():
    rows = [("only",), ("second",)]
    assert fingerprints(["name"])(rows_as_columns(rows)) == expected(["name"], rows)


def test_names_must_be_distinct():
    with pytest.raises(ValueError, match="distinct"):
        fingerprints(["a", "b", "a"])
