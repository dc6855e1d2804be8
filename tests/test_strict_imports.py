"""Strict imports: a malformed file is refused whole, with the line (header = 1), the column and the reason."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition import models
from coalition.formats import CSV, JSON, XLSX
from coalition.importers import export_tables, import_dataset, import_tables
from coalition.readers import FileRefused
from coalition.resources import CountryResource, PersonResource, SignatoryResource
from coalition.spreadsheet import escape, restore

from . import factories
from .test_importers import empty_database, snapshot

pytestmark = pytest.mark.django_db

PEOPLE = "name,name_variants,office,country,organisation,notes\n"


def refusal(fmt, content) -> list[str]:
    with pytest.raises(FileRefused) as caught:
        fmt().create_dataset(content)
    return caught.value.messages


@pytest.mark.parametrize(
    "content, expected",
    [
        (PEOPLE + "Ada,,PM,GB,,note\nBob,,PM,GB\n", "line 3, column “organisation”: the row has 4 cells"),
        (PEOPLE + "Ada,,PM,GB,,note,extra\n", "line 2, cell 7: the row has 7 cells but the header has 6"),
        (PEOPLE + "Ada,,PM,GB,,note\nBarbara,,P", "line 3, column “office”: the file does not end with a line break"),
        (PEOPLE + "Ada,,PM,GB,,note", "line 2, column “notes”: the file does not end with a line break"),
        (PEOPLE + '"unterminated,quote\n', "line 2, cell 1: a quote opens the cell and is never closed"),
        (PEOPLE + 'Ada,,"PM"x,GB,,\n', "line 2, cell 3: a quote in the middle of the cell"),
        (PEOPLE + 'Ada,,P"M,GB,,\n', "line 2, cell 3: a quote in the middle of the cell"),
        (PEOPLE + "Ada,,PM,GB,,\n\nBob,,PM,GB,,\n", "line 3: the line is empty"),
        (PEOPLE + "Ada,,P\x00M,GB,,\n", "line 2, column “office”: the cell contains CONTROL (U+0000"),
        (PEOPLE + "Ada,,P\x1bM,GB,,\n", "line 2, column “office”: the cell contains CONTROL (U+001B"),
        (PEOPLE.encode() + b"Ada,,Fran\xe7ais,GB,,\n", "line 2, column “office”: byte 0xE7 at character 5"),
        (PEOPLE + "Ada,,=1+1,GB,,\n", "line 2, column “office”: the cell starts with “=”"),
        ("name,name,office\nAda,,PM\n", "line 1: the column “name” appears twice in the header"),
        ("", "The file is empty"),
    ],
    ids=[
        "short row", "long row", "row cut off", "no final line break", "unterminated quote", "text after quote",
        "stray quote", "blank line", "NUL", "escape", "not UTF-8", "formula", "repeated column", "empty",
    ],
)  # fmt: skip
def test_malformed_csv_is_refused_naming_line_column_and_reason(content, expected):
    messages = refusal(CSV, content.encode() if isinstance(content, str) else content)
    expected = expected.replace("CONTROL", "an invisible control character")
    assert any(message.startswith(expected) for message in messages), messages


def test_a_cut_off_file_that_was_imported_before_is_now_refused():
    country = "code,name,notes\nBB,Barbados,\nBE,Ba"
    assert "may have been cut off" in refusal(CSV, country.encode())[0]


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    dataset = CSV().create_dataset(("\ufeff" + PEOPLE + 'Ada,"a, b","line\r\nbreak",GB,,\r\n').encode())
    assert dataset.headers[0] == "name"
    assert dataset.dict[0]["name_variants"] == "a, b" and dataset.dict[0]["office"] == "line\r\nbreak"


def test_an_escaped_formula_is_restored_and_an_unescaped_one_tells_the_editor_to_prefix_it():
    dataset = CSV().create_dataset((PEOPLE + "Ada,,'=1+1,GB,,'''@x\n").encode())
    assert dataset.dict[0]["office"] == "=1+1" and dataset.dict[0]["notes"] == "''@x"
    message = refusal(CSV, (PEOPLE + "Ada,,@SUM(A1),GB,,\n").encode())[0]
    assert "start it with an apostrophe (')" in message


@pytest.mark.parametrize("text", ["=SUM(A1)", "'=x", "''+y", "'plain", "-5", "- a dash"])
def test_escape_and_restore_give_back_the_text(text):
    assert restore(escape(text)) == text


def workbook(*rows, change=None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if change:
        change(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_formula_cell_is_refused_naming_the_cell():
    content = workbook(["name", "office", "notes"], ["Ada", "PM", "=LEN(A2)"])
    message = refusal(XLSX, content)[0]
    assert message.startswith("line 2, column “notes”: cell C2 holds a formula (=LEN(A2))")


def test_xlsx_text_that_looks_like_a_formula_is_refused_unless_typed_with_an_apostrophe():
    def as_text(sheet, quoted):
        sheet["B2"].value, sheet["B2"].data_type, sheet["B2"].quotePrefix = "=x", "s", quoted

    plain = workbook(["name", "office"], ["Ada", "PM"], change=lambda sheet: as_text(sheet, False))
    assert refusal(XLSX, plain)[0].startswith("line 2, column “office”: the cell starts with “=”")
    quoted = workbook(["name", "office"], ["Ada", "PM"], change=lambda sheet: as_text(sheet, True))
    assert XLSX().create_dataset(quoted).dict == [{"name": "Ada", "office": "=x"}]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda data: data[: len(data) // 2], "The file is not a complete XLSX workbook"),
        (lambda data: b"not a workbook", "The file is not a complete XLSX workbook"),
        (lambda data: workbook(["name", "office"], ["Ada", "PM", "extra"]), "line 2: cell C2 is to the right"),
        (lambda data: workbook(["name", "office"], ["Ada", "P\x7fM"]), "line 2, column “office”: the cell contains"),
    ],
    ids=["cut off", "not a workbook", "cell outside the header", "control character"],
)
def test_malformed_xlsx_is_refused(change, expected):
    messages = refusal(XLSX, change(workbook(["name", "office"], ["Ada", "PM"])))
    assert messages[0].startswith(expected), messages


@pytest.mark.parametrize(
    "content, expected",
    [
        ('[{"name": "Ada", "office": "PM"}, {"name": "Bob"', "The file is not valid JSON"),
        ('{"name": "Ada"}', "The file must be a JSON list of objects"),
        ('[{"name": "Ada", "office": "PM"}, {"name": "Bob"}]', "line 3 (object 2): missing key(s) office"),
        ('[{"name": "Ada", "office": ["PM"]}]', "line 2, column “office” (object 1): the value must be text"),
        ('[{"name": "Ada", "office": true}]', "line 2, column “office” (object 1): the value must be text"),
        ('[{"name": "Ada", "office": NaN}]', "line 2, column “office” (object 1): NaN is not a number"),
        ('[{"name": "Ada", "office": "P\\u0000M"}]', "line 2, column “office”: the cell contains"),
        ('[{"name": "Ada", "name": "Bob"}]', "The file is not valid JSON: the key “name” appears twice"),
    ],
    ids=["cut off", "not a list", "missing key", "list value", "boolean", "NaN", "NUL", "repeated key"],
)
def test_malformed_json_is_refused(content, expected):
    messages = refusal(JSON, content.encode())
    assert messages[0].startswith(expected), messages


def test_json_takes_formula_looking_text_as_it_is():
    dataset = JSON().create_dataset(b'[{"name": "Ada", "office": "=1+1", "notes": "\'=x"}]')
    assert dataset.dict == [{"name": "Ada", "office": "=1+1", "notes": "'=x"}]


@pytest.mark.parametrize("name", ["Ada Lovelace ", " Ada Lovelace", "Ada Lovelace\u00a0"])
def test_a_key_with_spaces_around_it_is_refused_rather_than_making_a_near_duplicate(name):
    factories.PersonFactory(name="Ada Lovelace", country=factories.CountryFactory(code="GB"))
    dataset = CSV().create_dataset((PEOPLE + f'"{name}",,PM,GB,,\n').encode())
    result = PersonResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert any(m.startswith("line 2, column “name”: “") and "has spaces" in m for m in result.messages())
    assert models.Person.objects.count() == 1


@pytest.mark.parametrize("value, expected", [("1", True), ("false", False), ("TRUE", True), ("0", False)])
def test_yes_no_cells_take_an_explicit_set_of_spellings(value, expected):
    signatory = factories.SignatoryFactory(disputed=not expected)
    header = "summit,document,person,country,organisation,disputed,notes"
    row = f"{signatory.document.summit.slug},{signatory.document.slug},{signatory.person.name},,,{{}},"
    for bad in ("yes", "2", "t"):
        dataset = CSV().create_dataset(f"{header}\n{row.format(bad)}\n".encode())
        result = SignatoryResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
        assert f"line 2, column “disputed”: “{bad}” is not a yes/no value: write 1 or 0 (or true or false)" in (
            result.messages()
        )
    import_dataset(SignatoryResource, CSV().create_dataset(f"{header}\n{row.format(value)}\n".encode()), label="f")
    signatory.refresh_from_db()
    assert signatory.disputed is expected


def test_an_import_does_not_change_a_countrys_name_but_changes_its_notes():
    before = models.Country.objects.get(code="BB").name
    dataset = CSV().create_dataset(b"code,name,notes\nBB,Ba,Checked.\n")
    import_dataset(CountryResource, dataset, label="country.csv")
    country = models.Country.objects.get(code="BB")
    assert country.name == before != "Ba" and country.notes == "Checked."


def test_descriptions_starting_like_formulas_survive_export_and_import(tmp_path):
    summit = factories.SummitFactory(slug="paris-2026", description="-5 countries", notes="=not a formula")
    for index, start in enumerate(["-", "=", "+", "@", "'=", "''@"]):
        factories.CommitmentFactory(summit=summit, slug=f"c{index}", description=f"{start}Italy will not", notes=start)
    before = snapshot()
    export_tables(tmp_path)
    assert "'=Italy will not" in (tmp_path / "commitment.csv").read_text(encoding="utf-8")
    empty_database()
    assert not models.Commitment.objects.exists()
    import_tables(tmp_path)
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [b"code,name,notes\nBB,Barbados,\xff\n", b'code,name,notes\n"BB,Barbados\n', b"code,name\x00,notes\nBB,B,\n"],
    ids=["not UTF-8", "unterminated quote", "NUL in the header"],
)
def test_import_tables_prints_the_messages_and_fails_without_a_traceback(tmp_path, content):
    (tmp_path / "country.csv").write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError, match="country.csv was refused"):
        call_command("import_tables", str(tmp_path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("country.csv: line ") and "Traceback" not in err.getvalue()


def test_the_admin_shows_every_problem_as_text_without_a_traceback(admin_client):
    url = reverse("admin:coalition_person_import")
    wrong_header = SimpleUploadedFile("people.csv", b"name,colour\nAda,red\n")
    page = admin_client.post(url, {"format": "0", "import_file": wrong_header}).content.decode()
    assert "line 1: the header is wrong: unknown column(s): colour" in page
    assert "Traceback" not in page and "site-packages" not in page and 'class="traceback"' not in page
    cut_off = SimpleUploadedFile("people.csv", (PEOPLE + "Ada,,PM,GB,,no").encode())
    page = admin_client.post(url, {"format": "0", "import_file": cut_off}).content.decode()
    assert "line 2, column “notes”: the file does not end with a line break" in page
    unknown = SimpleUploadedFile("people.csv", (PEOPLE + "Ada,,PM,ZZ,,\n").encode())
    page = admin_client.post(url, {"format": "0", "import_file": unknown}).content.decode()
    assert "line 2, column “country”: unknown country code" in page
    assert "validation-error-container" not in page  # the library's hover-only list is not used
    assert not models.Person.objects.exists()
