"""Malformed import files for fuzzing the imports: each table's own export, broken in one way at a time.

A file starts as what the database exports (so that, should a mutation leave it valid, importing it changes
nothing) and is then broken the way real files get broken: cut off, a row too short or too long, a stray
quote, text that is not UTF-8, a control character, a key with spaces around it, a yes/no cell that is
neither, a formula, a workbook or JSON document that is not whole or not the expected shape.
"""

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
from import_export import widgets

from .resources import RESOURCES
from .spreadsheet import escape

FORMAT_NAMES = ("csv", "xlsx", "json")  # the order of coalition.formats.FORMATS
SENTINEL = "FUZZ-SENTINEL"  # a cell text replaced by raw, unquoted file text after writing
FORMULAS = ("=1+1", '=HYPERLINK("http://example.org")', "+SUM(A1:A2)", "-A1*2", "@SUM(A1)")
NOT_BOOLEANS = ("yes", "no", "2", "t", "ja", "maybe", "-1", "TRUE!")
CONTROL_CHARACTERS = ("\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f")
CONTROL_CHARACTERS_IN_XML = ("\x7f", "\x85", "\x9f")  # the only ones a workbook can hold
NOT_UTF8 = (b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xe2\x82", b"\xc0\xaf", b"\xf8\x88\x80\x80")


@dataclass
class Table:
    """A table as the database exports it: its resource, header, rows of text, and key and yes/no columns."""

    resource_class: type
    headers: list[str]
    rows: list[list[str]]
    keys: list[int]
    booleans: list[int]

    @classmethod
    def export(cls, resource_class) -> "Table":
        """Return the table of `resource_class` as the database holds it now."""
        resource = resource_class()
        dataset = resource.export()
        headers = list(dataset.headers)
        rows = [["" if value is None else str(value) for value in row] for row in dataset]
        keys = [headers.index(column) for column in resource.key_columns() if column in headers]
        booleans = [
            headers.index(field.column_name)
            for field in resource.get_import_fields()
            if isinstance(field.widget, widgets.BooleanWidget) and field.column_name in headers
        ]
        return cls(resource_class, headers, rows, keys, booleans)

    def copy(self) -> "Table":
        return self.with_rows([list(row) for row in self.rows])

    def with_rows(self, rows: list[list[str]]) -> "Table":
        """Return this table with other rows."""
        return Table(self.resource_class, list(self.headers), rows, self.keys, self.booleans)

    def first_half(self) -> "Table":
        """Return this table with half its rows (at least one)."""
        return self.with_rows(self.rows[: max(1, len(self.rows) // 2)])


@dataclass
class Sample:
    """One file to import: which table, in which format, broken how (`kind`), and its bytes."""

    resource_class: type
    format_name: str
    kind: str
    content: bytes
    harmless: bool  # True when the file is valid as it is (a benign change): it must import as unchanged

    @property
    def file_name(self) -> str:
        return f"{self.resource_class._meta.model._meta.model_name}.{self.format_name}"


def csv_bytes(table: Table, *, raw: str = "", line_end: str = "\r\n", escaped: bool = True) -> bytes:
    """Return the table as the CSV export writes it; a cell holding SENTINEL becomes `raw`, unquoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(table.headers)
    writer.writerows([escape(cell) if escaped else cell for cell in row] for row in table.rows)
    return buffer.getvalue().replace(SENTINEL, raw).encode("utf-8")


def xlsx_bytes(table: Table, change: Callable | None = None) -> bytes:
    """Return the table as the XLSX export writes it, after `change(sheet)` if given."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([escape(cell) for cell in row])
    if change:
        change(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def json_objects(table: Table) -> list[dict]:
    return [dict(zip(table.headers, row, strict=True)) for row in table.rows]


def _cell(rng, table, columns=None) -> tuple[int, int]:
    """Return (row index, column index) of a random cell, among `columns` if given."""
    return rng.randrange(len(table.rows)), rng.choice(columns if columns is not None else range(len(table.headers)))


def _set(rng, table, value_for, columns=None) -> Table:
    table = table.copy()
    row, column = _cell(rng, table, columns)
    table.rows[row][column] = value_for(table.rows[row][column])
    return table


def _spaced(rng):
    return lambda value: rng.choice([" " + value, value + " ", "\t" + value if value else " ", value + "\u00a0"])


def _plain(value: str) -> str:
    """Return `value` without the characters that make a CSV cell need quotes."""
    return "".join(c for c in value if c not in '",\r\n')[:30] or "x"


def _insert_bytes(rng, content: bytes, insert: bytes, start: int) -> bytes:
    text = content.decode("utf-8")
    at = rng.randrange(start, len(text) + 1)
    return text[:at].encode("utf-8") + insert + text[at:].encode("utf-8")


# Each kind: the formats it applies to, whether it needs rows, whether the result is valid, and the maker.
def _csv_kinds(rng, table: Table) -> dict[str, tuple[bool, Callable[[], bytes]]]:
    header_length = len(csv_bytes(Table(table.resource_class, table.headers, [], [], [])))

    def raw_in_cell(make_raw):
        changed = table.copy()
        row, column = _cell(rng, changed)
        original = changed.rows[row][column]
        changed.rows[row][column] = SENTINEL
        return csv_bytes(changed, raw=make_raw(_plain(original)))

    def resized(delta):
        changed = table.copy()
        row = rng.randrange(len(changed.rows))
        cells = changed.rows[row]
        changed.rows[row] = cells[: max(0, len(cells) + delta)] if delta < 0 else cells + ["extra"] * delta
        return csv_bytes(changed)

    def blank_line():
        changed = table.copy()
        changed.rows.insert(rng.randrange(len(changed.rows)), [SENTINEL])
        return csv_bytes(changed).replace(SENTINEL.encode(), b"")

    full = csv_bytes(table)
    return {
        "cut off": (False, lambda: full[: rng.randrange(header_length, len(full))]),
        "no final line break": (False, lambda: full.rstrip(b"\r\n")),
        # At least one cell left: a row of none is a blank line, and a blank last line is harmless.
        "short row": (False, lambda: resized(-rng.randint(1, len(table.headers) - 1))),
        "long row": (False, lambda: resized(rng.randint(1, 3))),
        "unterminated quote": (False, lambda: raw_in_cell(lambda text: '"' + text)),
        "unparseable row": (False, lambda: raw_in_cell(lambda text: rng.choice([f'"{text}"x', f'{text}"x', 'a"b']))),
        "blank line": (False, blank_line),
        "key with spaces": (False, lambda: csv_bytes(_set(rng, table, _spaced(rng), table.keys))),
        "invalid boolean": (False, lambda: csv_bytes(_set(rng, table, _not_boolean(rng), table.booleans))),
        "formula": (False, lambda: csv_bytes(_set(rng, table, lambda _: rng.choice(FORMULAS)), escaped=False)),
        "not UTF-8": (False, lambda: _insert_bytes(rng, full, rng.choice(NOT_UTF8), header_length)),
        "control character": (False, lambda: csv_bytes(_set(rng, table, _with(rng, CONTROL_CHARACTERS)))),
        "byte order mark": (True, lambda: b"\xef\xbb\xbf" + full),
        "LF line ends": (True, lambda: csv_bytes(table, line_end="\n")),
        "fewer rows": (True, lambda: csv_bytes(table.first_half())),
    }  # fmt: skip


def _not_boolean(rng):
    return lambda _: rng.choice(NOT_BOOLEANS)


def _with(rng, characters):
    def insert(value):
        at = rng.randrange(len(value) + 1)
        return value[:at] + rng.choice(characters) + value[at:]

    return insert


def _xlsx_kinds(rng, table: Table) -> dict[str, tuple[bool, Callable[[], bytes]]]:
    def cell(sheet, columns=None):
        row, column = _cell(rng, table, columns)
        return sheet.cell(row=row + 2, column=column + 1)

    def formula(sheet):
        cell(sheet).value = rng.choice(FORMULAS[:2]) if rng.random() < 0.5 else "=LEN(A1)"

    def formula_text(sheet):
        target = cell(sheet)
        target.value = rng.choice(FORMULAS)
        target.data_type = "s"  # stored as text, not as a formula: still refused unless escaped

    def long_row(sheet):
        row, column = rng.randrange(len(table.rows)) + 2, len(table.headers) + rng.randint(1, 3)
        sheet.cell(row=row, column=column).value = "extra"

    def changed(value_for, columns=None):
        def change(sheet):
            target = cell(sheet, columns)
            target.value = value_for(str(target.value or "").removeprefix("'") if target.value else "")

        return change

    def corrupted():
        content = bytearray(xlsx_bytes(table))
        for _ in range(rng.randint(1, 8)):
            content[rng.randrange(len(content))] = rng.randrange(256)
        return bytes(content)

    full = xlsx_bytes(table)
    return {
        "cut off": (False, lambda: full[: rng.randrange(len(full))]),
        "corrupted": (False, corrupted),
        "formula": (False, lambda: xlsx_bytes(table, formula)),
        "formula as text": (False, lambda: xlsx_bytes(table, formula_text)),
        "long row": (False, lambda: xlsx_bytes(table, long_row)),
        "key with spaces": (False, lambda: xlsx_bytes(table, changed(_spaced(rng), table.keys))),
        "invalid boolean": (False, lambda: xlsx_bytes(table, changed(_not_boolean(rng), table.booleans))),
        "control character": (False, lambda: xlsx_bytes(table, changed(_with(rng, CONTROL_CHARACTERS_IN_XML)))),
        "fewer rows": (True, lambda: xlsx_bytes(table.first_half())),
    }  # fmt: skip


def _json_kinds(rng, table: Table) -> dict[str, tuple[bool, Callable[[], bytes]]]:
    def objects_with(change):
        objects = json_objects(table)
        change(rng.choice(objects[1:] or objects), objects)  # the first object's keys are the header
        return json_bytes(objects)

    def replaced(new):
        return lambda item, _: item.update({rng.choice(table.headers): new})

    def value(value_for, columns=None):
        return lambda: json_bytes(json_objects(_set(rng, table, value_for, columns)))

    full = json_bytes(json_objects(table))
    return {
        "cut off": (False, lambda: full[: rng.randrange(1, len(full) - 2)]),
        "not a list": (False, lambda: json_bytes(rng.choice([{"rows": json_objects(table)}, "text", 1, [[1, 2]]]))),
        "missing key": (False, lambda: objects_with(lambda item, _: item.pop(rng.choice(table.headers)))),
        "extra key": (False, lambda: objects_with(lambda item, _: item.update(colour="red"))),
        "nested value": (False, lambda: objects_with(replaced(rng.choice([{}, [], [1], {"a": 1}, True, False])))),
        "not a number": (False, lambda: objects_with(replaced(float(rng.choice(["nan", "inf", "-inf"]))))),
        "key with spaces": (False, value(_spaced(rng), table.keys)),
        "invalid boolean": (False, value(_not_boolean(rng), table.booleans)),
        "control character": (False, value(_with(rng, CONTROL_CHARACTERS))),
        "not UTF-8": (False, lambda: _insert_bytes(rng, full, rng.choice(NOT_UTF8), 0)),
        "byte order mark": (True, lambda: b"\xef\xbb\xbf" + full),
        "fewer rows": (True, lambda: json_bytes(json_objects(table.first_half()))),
    }  # fmt: skip


KINDS = {"csv": _csv_kinds, "xlsx": _xlsx_kinds, "json": _json_kinds}
NEEDS_NO_ROWS = {
    "cut off", "no final line break", "not UTF-8", "byte order mark", "LF line ends", "not a list", "corrupted",
}  # fmt: skip


def kind_names(format_name: str) -> list[str]:
    """Return the names of the kinds of damage done to files in `format_name`."""
    return list(KINDS[format_name](random.Random(0), Table(RESOURCES[0], ["column"], [["cell"]], [], [])))


def make_sample(rng: random.Random, table: Table, format_name: str, kind: str | None = None) -> Sample:
    """Return one file of `table` in `format_name`, broken the way `kind` says (a random kind if None)."""
    kinds = KINDS[format_name](rng, table)
    possible = [
        name
        for name in kinds
        if (table.rows or name in NEEDS_NO_ROWS)
        and (name != "invalid boolean" or table.booleans)
        and (name != "missing key" or len(table.rows) > 1)  # one object without a column is a valid file
    ]
    kind = kind if kind is not None else rng.choice(possible)
    harmless, make = kinds[kind]
    return Sample(table.resource_class, format_name, kind, make(), harmless)


def samples(seed: int, count: int, tables: dict | None = None):
    """Yield `count` files drawn with `random.Random(seed)`, over every table and format in turn."""
    rng = random.Random(seed)
    tables = tables or {resource_class: Table.export(resource_class) for resource_class in RESOURCES}
    for _ in range(count):
        resource_class = rng.choice(RESOURCES)
        yield make_sample(rng, tables[resource_class], rng.choice(FORMAT_NAMES))
