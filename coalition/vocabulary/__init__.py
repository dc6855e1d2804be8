"""The public vocabulary: one definition of every public table and column (name, type, description, codes
and their labels), from which the CSV downloads, the JSON API, the Data Package and the research layer are made.

A column's `source` is an ORM path or expression on the table's model; the CSV writer, the API and the
SQLite publication read it through the database, so no column is computed twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

TYPES = ("string", "integer", "date", "boolean")  # Frictionless field types the vocabulary uses


@dataclass(frozen=True)
class Column:
    """One public column: its name, type, description, and (for a code) the codes with their labels."""

    name: str
    type: str
    description: str
    source: Any  # an ORM path ("summit__slug") or expression on the table's model
    codes: tuple[tuple[str, str], ...] = ()  # (code, label) for a column of codes
    required: bool = False
    unique: bool = False
    trusted: bool = False  # values are codes or numbers that never need a spreadsheet guard

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: type {self.type!r} is not one of {TYPES}")

    @property
    def code_values(self) -> list[str]:
        return [code for code, _ in self.codes]


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that name a row of another (a Data Package foreign key)."""

    fields: tuple[str, ...]
    table: str
    to_fields: tuple[str, ...]


@dataclass(frozen=True)
class PublicTable:
    """One public table: what a row is, its model, its columns in order, its keys."""

    name: str
    title: str
    description: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ("id",)
    natural_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())
    filterset: type | None = None  # the URL filters (coalition.filters) the CSV and the API accept

    def __post_init__(self):
        names = [column.name for column in self.columns]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: a column is named twice")
        for key in (*self.primary_key, *self.natural_key, *(n for fk in self.foreign_keys for n in fk.fields)):
            if key not in names:
                raise ValueError(f"{self.name}: key column {key!r} is not a column")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def codes(choices: type[models.Choices] | Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Return (code, label) pairs of a Django choices class or a list of pairs."""
    pairs = choices.choices if isinstance(choices, type) else choices
    return tuple((str(code), str(label)) for code, label in pairs)


from .tables import TABLES  # noqa: E402  (the definitions need the classes above)

__all__ = ["TABLES", "TYPES", "Column", "ForeignKey", "PublicTable", "codes"]
