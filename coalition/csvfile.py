"""Strict CSV reading, as the file arrives: records parsed from a stream, refused with the line, column and reason.

One parser serves both ways of importing: `read_csv` gathers a whole upload into a Dataset for the admin's preview,
and `CsvRows` hands `import_tables` one row at a time, so that a file of a million rows is read in constant memory.
Both refuse the same files with the same messages.
"""

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

import tablib

from .readers import FileRefused, at, check_cells, check_header

_QUOTED = re.compile(r'"((?:[^"]++|"")*+)"')
_UNQUOTED = re.compile(r'[^,"\r\n]*+')
CHUNK = 1 << 20  # characters read at a time
EMPTY = "The file is empty: it needs a header line and a line per record."


class _Text:
    """The text of a UTF-8 byte stream, decoded a chunk at a time (a byte that is not UTF-8 becomes a surrogate)."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.text = ""
        self.eof = False
        self.started = False

    def more(self, wanted: int | None = None) -> bool:
        """Read `wanted` (a chunk's worth of) more bytes, or to the end; return whether there may be more."""
        if self.eof:
            return False
        data = self.stream.read(wanted or CHUNK)
        self.eof = not data
        text = self.decoder.decode(data, final=self.eof)
        if not self.started and (text or self.eof):
            text, self.started = text.removeprefix("\ufeff"), True
        self.text += text
        return bool(text) or not self.eof

    def has_content(self) -> bool:
        """Return whether the text holds anything but white space."""
        while not self.text.strip() and self.more():
            pass
        return bool(self.text.strip())


def _record(text: str, position: int, line: int, eof: bool):
    """Return (cells, end position, ended by a line break) of the record at `position`, or None when the text
    read so far ends inside it; raise FileRefused at a quote that is never closed or is followed by more text."""
    cells, end = [], len(text)
    while True:
        column = len(cells) + 1
        if text.startswith('"', position):
            match = _QUOTED.match(text, position)
            if match is None or match.end() == end and not eof:
                if not eof:
                    return None
                raise FileRefused([
                    f"{at(line)}, cell {column}: a quote opens the cell and is never closed, so the rest of "
                    "the file would be read into it (or the file was cut off). Close the quote; a quote "
                    'inside a quoted cell is written twice ("").'
                ])  # fmt: skip
            cells.append(match.group(1).replace('""', '"'))
        else:
            match = _UNQUOTED.match(text, position)
            if match.end() == end and not eof:
                return None
            cells.append(match.group())
        position = match.end()
        if position == end:
            return cells, position, False
        character = text[position]
        if character == ",":
            position += 1
        elif character == "\n" or text.startswith("\r\n", position):
            return cells, position + (1 if character == "\n" else 2), True
        elif character != "\r":
            raise FileRefused([
                f"{at(line)}, cell {column}: a quote in the middle of the cell (or text after a closing "
                'quote). Put the whole cell in quotes and write a quote inside it twice ("").'
            ])  # fmt: skip
        elif position + 1 == end and not eof:
            return None  # a line break split between two reads
        else:
            raise FileRefused([
                f"{at(line)}, cell {column}: a carriage return that does not end a line; save the file "
                "again with ordinary line breaks."
            ])  # fmt: skip


def csv_records(stream: BinaryIO) -> Iterator[tuple[int, list[str], bool]]:
    """Yield the records of an RFC 4180 CSV stream as (line, cells, ended by a line break); raise FileRefused
    for an empty file or at the first quote that is never closed or is followed by more text."""
    source = _Text(stream)
    if not source.has_content():
        raise FileRefused([EMPTY])
    position, line = 0, 1
    while position < len(source.text) or source.more():
        parsed = _record(source.text, position, line, source.eof)
        if parsed is None:
            # Read on, at least as much again as this record has so far: a long record costs linear time.
            source.more(max(CHUNK, 2 * (len(source.text) - position)))
            continue
        cells, position, ended = parsed
        yield line, cells, ended
        if not ended:
            return
        line += 1
        if position > CHUNK:
            source.text, position = source.text[position:], 0


def shape_problem(line: int, cells: list[str], headers: list[str]) -> str | None:
    """Return why a record does not fit the header (empty, cut short, too many cells), or None."""
    if cells == [""]:
        return f"{at(line)}: the line is empty; remove it."
    if len(cells) < len(headers):
        missing = headers[len(cells)].strip()
        return (
            f"{at(line, missing)}: the row has {len(cells)} cells but the header has {len(headers)}; "
            f"“{missing}” and the columns after it are missing (was the row cut short?)."
        )
    if len(cells) > len(headers):
        return (
            f"{at(line)}, cell {len(headers) + 1}: the row has {len(cells)} cells but the header has "
            f"{len(headers)} (a stray comma, or a cell with a comma that is not in quotes?)."
        )
    return None


def cut_off(line: int, cells: list[str], headers: list[str]) -> str:
    """Return the message for a file whose last record has no line break after it."""
    name = headers[len(cells) - 1] if len(cells) <= len(headers) else f"cell {len(cells)}"
    return (
        f"{at(line, name.strip())}: the file does not end with a line break, so it may have been cut off "
        "here. Save or copy the whole file again and import that."
    )


class CsvRows:
    """The rows of a CSV stream as dicts by column, read as they are used; the rows with a problem are held
    back, and `finish` reads the rest and raises FileRefused with every problem, as `read_csv` would."""

    def __init__(self, stream: BinaryIO):
        self.records = csv_records(stream)
        _, self.raw_headers, ended = next(self.records)
        self.headers, self.problems = check_header(self.raw_headers)
        self.shape_problems: list[str] = []
        self.last_incomplete: str | None = None if ended else cut_off(1, self.raw_headers, self.raw_headers)
        self.done = False

    def __iter__(self) -> Iterator[dict]:
        blank: list[int] = []  # empty lines are harmless at the very end only
        for line, cells, ended in self.records:
            if cells == [""] and ended:
                blank.append(line)
                continue
            self.shape_problems += [shape_problem(number, [""], self.raw_headers) for number in blank]
            blank = []
            if not ended:
                self.last_incomplete = cut_off(line, cells, self.raw_headers)
                break
            problem = shape_problem(line, cells, self.raw_headers)
            if problem:
                self.shape_problems.append(problem)
                continue
            row, problems = check_cells(line, cells, self.headers, spreadsheet=True)
            if problems:
                self.problems += problems
            elif not (self.problems or self.shape_problems):
                yield dict(zip(self.headers, row, strict=True))
        self.done = True

    def finish(self) -> None:
        """Read what is left of the file; raise FileRefused if any line of it had a problem."""
        if not self.done:
            for _ in self:
                pass
        for problems in ([self.last_incomplete] if self.last_incomplete else [], self.shape_problems, self.problems):
            if problems:
                raise FileRefused(problems)


def read_csv(data) -> tablib.Dataset:
    """Return the Dataset of a UTF-8 CSV file (header first), or raise FileRefused saying where and why."""
    data = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
    rows = CsvRows(io.BytesIO(data))
    body = [tuple(row.values()) for row in rows]
    rows.finish()
    return tablib.Dataset(*body, headers=rows.headers)
