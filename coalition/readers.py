"""Strict readers for imported files: XLSX and JSON into a tablib Dataset, or a refusal naming the line, the column
and the reason (CSV: coalition.csvfile).

Lines are counted as a spreadsheet counts rows: the header is line 1, the first record line 2.
"""

import io
import json
import re
import unicodedata
import zipfile
from datetime import date, datetime, time

import openpyxl
import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .spreadsheet import is_formula_like, restore

MAX_MESSAGES = 20
# Control characters (C0 other than tab, line feed and carriage return; DEL; C1) and the lone surrogates
# that stand for bytes that are not UTF-8.
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_DATES = (date, datetime, time)
_KINDS = {dict: "an object", list: "a list", bool: 'true or false (write "1" or "0")'}
SAVE_AS_UTF8 = "save the file as UTF-8 (in Excel: “CSV UTF-8”) and import it again"


class FileRefused(ValueError):
    """Raised when a file cannot be read as it is: nothing of it is imported."""

    def __init__(self, messages: list[str]):
        if len(messages) > MAX_MESSAGES:
            messages = [*messages[:MAX_MESSAGES], f"… and {len(messages) - MAX_MESSAGES} more problems."]
        # A message quoting the file must not carry its unreadable bytes or control characters onward.
        self.messages = [_BAD_CHARACTER.sub("\ufffd", message) for message in messages]
        super().__init__(" ".join(self.messages))


def at(line: int, column: str | None = None) -> str:
    """Return the place of a problem as messages write it: “line 3, column “name””."""
    return f"line {line}" + (f", column “{column}”" if column is not None else "")


def decode(data) -> str:
    """Return the text of `data` without a byte order mark; a byte that is not UTF-8 becomes a lone surrogate."""
    text = data.decode("utf-8", errors="surrogateescape") if isinstance(data, bytes | bytearray) else str(data)
    return text.removeprefix("\ufeff")


def character_problem(text: str) -> str | None:
    """Return why `text` cannot be imported (too long, a byte that is not UTF-8, a control character), or None."""
    limit = settings.COALITION_IMPORT_MAX_CELL_CHARACTERS
    if len(text) > limit:
        return f"the cell holds {len(text):,} characters; a cell may hold at most {limit:,}."
    match = _BAD_CHARACTER.search(text)
    if match is None:
        return None
    character = match.group()
    if "\ud800" <= character <= "\udfff":
        byte = ord(character) - 0xDC00 if character >= "\udc80" else None
        what = f"byte 0x{byte:02X}" if byte is not None else "a character"
        return f"{what} at character {match.start() + 1} of the cell is not UTF-8 text: {SAVE_AS_UTF8}."
    name = unicodedata.name(character, "") or {"\x00": "NUL"}.get(character, "control character")
    return (
        f"the cell contains an invisible control character (U+{ord(character):04X} {name}) at character "
        f"{match.start() + 1}; remove it."
    )


def formula_problem(value: str) -> str:
    """Return the message for a spreadsheet cell that would run as a formula."""
    first = {"\t": "a tab", "\r": "a carriage return"}.get(value[:1], f"“{value[:1]}”")
    return (
        f"the cell starts with {first}, so a spreadsheet would run it as a formula: “{value[:40]}”. If it is "
        "meant as text, start it with an apostrophe (') — the apostrophe is removed on import."
    )


def check_header(headers: list) -> tuple[list, list[str]]:
    """Return the header's column names (stripped) and the problems with them: nameless, unreadable, repeated."""
    problems = []
    names = []
    for index, name in enumerate(headers):
        name = name.strip() if isinstance(name, str) else name
        if name in (None, ""):
            problems.append(f"{at(1)}: column {index + 1} of the header has no name.")
        elif not isinstance(name, str) or character_problem(name):
            problems.append(f"{at(1)}: column {index + 1} of the header is not a readable column name.")
        elif name in names:
            problems.append(f"{at(1)}: the column “{name}” appears twice in the header.")
        names.append(name)
    return names, problems


def check_cells(line: int, cells: list, names: list, *, spreadsheet: bool, escaped=frozenset()) -> tuple:
    """Return a record's cells as imported and the problems with them; in a spreadsheet format an unescaped
    formula is refused and an escaped one restored (cells in `escaped`, as (line, index), are text already)."""
    row, problems = [], []
    # One search of the whole record finds that no cell holds a bad character (nearly always): then each cell
    # needs only its length checked.
    limit = settings.COALITION_IMPORT_MAX_CELL_CHARACTERS
    clean = _BAD_CHARACTER.search("".join(value for value in cells if isinstance(value, str))) is None
    for index, value in enumerate(cells):
        if isinstance(value, str):
            problem = None if clean and len(value) <= limit else character_problem(value)
            if problem is None and spreadsheet and (line, index) not in escaped:
                problem = formula_problem(value) if is_formula_like(value) else None
                value = restore(value)
            if problem:
                problems.append(f"{at(line, names[index])}: {problem}")
        row.append(value)
    return tuple(row), problems


def build_dataset(headers: list, records: list[tuple[int, list]], *, spreadsheet: bool, escaped=frozenset()):
    """Return a Dataset of `records` ((line, cells) of the header's length), or raise FileRefused listing
    every bad header name or cell (see `check_cells`)."""
    names, problems = check_header(headers)
    rows = []
    for line, cells in records:
        row, found = check_cells(line, cells, names, spreadsheet=spreadsheet, escaped=escaped)
        problems += found
        rows.append(row)
    if problems:
        raise FileRefused(problems)
    return tablib.Dataset(*rows, headers=names)


def read_xlsx(data) -> tablib.Dataset:
    """Return the Dataset of the first sheet of an XLSX workbook, or raise FileRefused saying where and why;
    a formula cell is refused (only its cached value is stored), naming the cell."""
    unreadable = FileRefused([
        "The file is not a complete XLSX workbook (it may have been cut off, or be another kind of file). "
        "Save it again from the spreadsheet program as .xlsx and import that."
    ])  # fmt: skip
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise unreadable from None
    limit = settings.COALITION_IMPORT_MAX_BYTES * settings.COALITION_IMPORT_MAX_XLSX_EXPANSION
    if unpacked > limit:
        # Reading is done in memory and takes time in proportion: a small file can unpack to a huge sheet.
        raise FileRefused([
            f"The workbook unpacks to {filesizeformat(unpacked)}; workbooks up to {filesizeformat(limit)} "
            "unpacked can be imported. Split it into smaller files."
        ])  # fmt: skip
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=False)
        try:
            rows = [list(row) for row in workbook.worksheets[0].iter_rows(min_row=1)]
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, EOFError, SyntaxError):
        raise unreadable from None
    except Exception as error:  # the XML parser's errors (expat, lxml) share no base class
        if type(error).__module__.split(".")[0] in ("xml", "lxml", "defusedxml", "openpyxl", "zlib"):
            raise unreadable from None
        raise
    while rows and all(cell.value in (None, "") for cell in rows[-1]):
        rows.pop()  # formatted but empty rows at the end are harmless
    if not rows:
        raise FileRefused(["The workbook's first sheet is empty: it needs a header row and a row per record."])
    headers = [cell.value for cell in rows[0]]
    while headers and headers[-1] in (None, ""):
        headers.pop()
    if not headers:
        raise FileRefused([f"{at(1)}: the first row must be the header, the column names."])
    problems, records, escaped = [], [], set()
    for line, row in enumerate(rows, start=1):
        values = []
        for index, cell in enumerate(row):
            name = headers[index] if index < len(headers) else None
            if cell.data_type == "f" or not isinstance(cell.value, (str, int, float, type(None), *_DATES)):
                problems.append(
                    f"{at(line, name)}: cell {cell.coordinate} holds a formula ({str(cell.value)[:40]}), and only "
                    "its last computed value is stored in the file. Replace it by its value (copy, then paste "
                    "values only); if it is meant as text, start it with an apostrophe (')."
                )
            elif index >= len(headers) and cell.value not in (None, ""):
                problems.append(
                    f"{at(line)}: cell {cell.coordinate} is to the right of the last column of the header "
                    f"(“{headers[-1] if headers else ''}”); remove it or give its column a name."
                )
            elif index < len(headers):
                if isinstance(cell.value, str) and getattr(cell, "style_array", None) and cell.style_array.quotePrefix:
                    escaped.add((line, index))  # typed with a leading apostrophe: text, whatever it starts with
                values.append("" if cell.value is None else cell.value)  # an empty cell, as a CSV has it
        values += [""] * (len(headers) - len(values))
        records.append((line, values))
    if problems:
        raise FileRefused(problems)
    return build_dataset(headers, records[1:], spreadsheet=True, escaped=escaped)


def _strict_object(pairs):
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"the key “{repeated[0]}” appears twice in one object")
    return dict(pairs)


class NotANumber(str):
    """NaN or Infinity, which Python's parser reads but JSON does not allow: refused with its place."""


def read_json(data) -> tablib.Dataset:
    """Return the Dataset of a JSON list of objects with the same keys and string, number or null values, or
    raise FileRefused saying where and why. Values are taken as they are (JSON is not a spreadsheet format)."""
    text = decode(data)
    try:
        value = json.loads(text, object_pairs_hook=_strict_object, parse_constant=NotANumber)
    except json.JSONDecodeError as error:
        problem = character_problem(text[: error.pos + 1])
        raise FileRefused([
            f"The file is not valid JSON: {problem or error.msg} (at character {error.pos + 1}, text line "
            f"{error.lineno}, position {error.colno}). Was it cut off?"
        ]) from None  # fmt: skip
    except ValueError as error:
        raise FileRefused([f"The file is not valid JSON: {error}."]) from None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise FileRefused(['The file must be a JSON list of objects, one per record: [{"column": "value", …}, …].'])
    headers = list(value[0]) if value else []
    problems, records = [], []
    for line, item in enumerate(value, start=2):
        missing = [key for key in headers if key not in item]
        extra = [key for key in item if key not in headers]
        if missing or extra:
            described = "; ".join(
                part
                for part in (
                    missing and f"missing key(s) {', '.join(missing)}",
                    extra and f"unexpected key(s) {', '.join(extra)}",
                )
                if part
            )
            problems.append(f"{at(line)} (object {line - 1}): {described}; every object needs the same keys.")
            continue
        for key in headers:
            cell = item[key]
            if isinstance(cell, NotANumber):
                problems.append(f"{at(line, key)} (object {line - 1}): {cell} is not a number JSON allows.")
            elif isinstance(cell, bool) or not isinstance(cell, str | int | float | type(None)):
                problems.append(
                    f"{at(line, key)} (object {line - 1}): the value must be text, a number or null, not "
                    f"{_KINDS.get(type(cell), type(cell).__name__)}."
                )
        records.append((line, ["" if item[key] is None else item[key] for key in headers]))  # null is empty
    if problems:
        raise FileRefused(problems)
    return build_dataset(headers, records, spreadsheet=False)
