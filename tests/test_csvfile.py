"""The streamed CSV reader reads the same records and refuses the same files whatever its chunk size."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition import csvfile
from coalition.csvfile import CsvRows, csv_records
from coalition.readers import FileRefused

PIECES = ["a", "b", "é", ",", '"', '""', "\n", "\r\n", "\r", " ", "=1", "\ufeff", "x" * 7]


def outcome(data: bytes):
    """Return the records of `data`, or the messages it is refused with."""
    try:
        return list(csv_records(io.BytesIO(data)))
    except FileRefused as refused:
        return refused.messages


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(min_value=1, max_value=5))
def test_records_do_not_depend_on_where_the_reads_split_the_text(pieces, chunk):
    data = "".join(pieces).encode("utf-8")
    whole = outcome(data)
    original = csvfile.CHUNK
    csvfile.CHUNK = chunk
    try:
        assert outcome(data) == whole
    finally:
        csvfile.CHUNK = original


def test_a_multibyte_character_split_between_reads_is_read_whole(monkeypatch):
    monkeypatch.setattr(csvfile, "CHUNK", 1)
    rows = CsvRows(io.BytesIO("name,city\nZoë,Kraków\n".encode()))
    assert list(rows) == [{"name": "Zoë", "city": "Kraków"}]
    rows.finish()


def test_rows_with_problems_are_held_back_and_every_problem_is_reported_at_the_end():
    rows = CsvRows(io.BytesIO(b"name,notes\nok,fine\nbad,=SUM(A1)\nlate,\x01\n"))
    assert list(rows) == [{"name": "ok", "notes": "fine"}]
    with pytest.raises(FileRefused) as caught:
        rows.finish()
    assert [message.split(":")[0] for message in caught.value.messages] == [
        "line 3, column “notes”",
        "line 4, column “notes”",
    ]


def test_a_cut_off_last_line_is_the_one_problem_reported():
    rows = CsvRows(io.BytesIO(b"name,notes\nok,fine\nbad,\x01\ncut"))
    list(rows)
    with pytest.raises(FileRefused) as caught:
        rows.finish()
    assert caught.value.messages == [
        "line 4, column “name”: the file does not end with a line break, so it may have been cut off here. "
        "Save or copy the whole file again and import that."
    ]


def test_blank_lines_at_the_end_are_harmless_but_not_in_the_middle():
    rows = CsvRows(io.BytesIO(b"name\na\n\nb\n\n\n"))
    list(rows)
    with pytest.raises(FileRefused) as caught:
        rows.finish()
    assert caught.value.messages == ["line 3: the line is empty; remove it."]
    tail = CsvRows(io.BytesIO(b"name\na\nb\n\n\n"))
    assert [row["name"] for row in tail] == ["a", "b"]
    tail.finish()
