"""Import with preview and confirm, and export of filtered or selected rows, in the editing interface."""

import csv
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from coalition.models import Commitment

from . import factories
from .test_admin import make

pytestmark = pytest.mark.django_db

HEADER = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"
IMPORT_URL = reverse("admin:coalition_commitment_import")
PROCESS_URL = reverse("admin:coalition_commitment_process_import")
EXPORT_URL = reverse("admin:coalition_commitment_export")
CHANGELIST_URL = reverse("admin:coalition_commitment_changelist")


@pytest.fixture
def summit():
    return factories.SummitFactory(slug="paris-2026")


def upload(client, content: bytes, name="commitments.csv"):
    return client.post(IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile(name, content)})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form[name].value() for name in form.fields})


def export(client, address, fmt="0", **extra):
    page = client.get(address)
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(address, {**data, "format": fmt, "resource": "0", **extra})
    assert response.status_code == 200
    return response


def test_an_editor_imports_new_commitments_after_a_preview_and_a_confirm_step(client, editor, summit):
    client.force_login(editor)
    content = (
        f"{HEADER}\n"
        "paris-2026,be-navy,BE,,air_naval,pledge,,announced,Belgium will support the effort with its navy.,,\n"
        "paris-2026,hr-no-troops,HR,,troops,refusal,,announced,Croatia will not deploy troops.,,\n"
    ).encode()
    preview = upload(client, content)
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert "Belgium will support the effort" in preview.content.decode()
    assert not Commitment.objects.exists()  # the preview is a dry run
    response = confirm(client, preview)
    assert response.status_code == 302
    assert set(Commitment.objects.values_list("slug", flat=True)) == {"be-navy", "hr-no-troops"}
    listing = client.get(response["Location"]).content.decode()
    assert "Belgium" in listing and "Croatia" in listing


def test_a_file_with_one_bad_row_is_refused_whole_showing_line_column_and_reason(client, editor, summit):
    client.force_login(editor)
    content = (
        f"{HEADER}\n"
        "paris-2026,be-navy,BE,,air_naval,pledge,,announced,Belgium will support the effort.,,\n"
        "paris-2026,zz-troops,ZZ,,troops,refusal,,announced,Nobody.,,\n"
    ).encode()
    preview = upload(client, content)
    html = preview.content.decode()
    assert preview.context.get("confirm_form") is None
    invalid = preview.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert "country" in invalid[0].field_specific_errors
    assert "unknown country code (ISO 3166-1 alpha-2 expected) “ZZ”" in html
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"summit,slug\nparis-2026,x\n", "missing column(s): category, stance, description"),
        (f"{HEADER}\n".encode(), "No valid data to import"),
        (b"", "The submitted file is empty."),
        (
            f"{HEADER}\nparis-2026,fr,FR,,troops,pledge,,announced,Fran\xe7ais,,\n".encode("latin-1"),
            "line 2, column “description”: byte 0xE7 at character 5 of the cell is not UTF-8 text",
        ),
    ],
    ids=["missing columns", "header only", "empty", "wrong encoding"],
)
def test_unreadable_or_malformed_files_are_refused_with_a_message(client, editor, summit, content, message):
    client.force_login(editor)
    preview = upload(client, content)
    assert message in preview.content.decode().replace("&#x27;", "'")
    assert preview.context.get("confirm_form") is None
    assert not Commitment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, editor, summit, settings):
    settings.COALITION_IMPORT_MAX_BYTES = 100
    client.force_login(editor)
    preview = upload(client, (HEADER + "\n" + "x" * 200).encode())
    assert "files up to 100" in preview.content.decode()
    assert not Commitment.objects.exists()


def test_researchers_may_export_but_not_import(client, researcher, summit):
    factories.CommitmentFactory(summit=summit)
    client.force_login(researcher)
    assert client.get(IMPORT_URL).status_code == 403
    assert "Import" not in client.get(CHANGELIST_URL).content.decode().split('id="content-main"')[0]
    rows = list(csv.DictReader(io.StringIO(export(client, EXPORT_URL).content.decode())))
    assert len(rows) == 1


def test_linkers_may_neither_import_nor_export_commitments(client, linker):
    client.force_login(linker)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_export_follows_the_changelist_filter(client, editor, summit):
    factories.CommitmentFactory(summit=summit, stance="refusal", condition="")
    factories.CommitmentFactory(summit=summit, stance="pledge", condition="")
    client.force_login(editor)
    rows = list(csv.DictReader(io.StringIO(export(client, EXPORT_URL + "?stance__exact=refusal").content.decode())))
    assert [row["stance"] for row in rows] == ["refusal"]


def test_export_of_selected_rows_only(client, editor, summit):
    chosen, _other = factories.CommitmentFactory(summit=summit), factories.CommitmentFactory(summit=summit)
    client.force_login(editor)
    action = client.post(CHANGELIST_URL, {"action": "export_admin_action", "_selected_action": [chosen.pk]})
    assert action.status_code == 200
    form = action.context["form"]
    data = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(EXPORT_URL, {**data, "format": "0", "resource": "0", "export_items": [chosen.pk]})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == [chosen.slug]


def test_exports_neutralise_formulas_without_altering_other_values(client, editor, summit):
    factories.CommitmentFactory(summit=summit, description='=HYPERLINK("http://evil")', condition="-5")
    client.force_login(editor)
    csv_row = next(csv.DictReader(io.StringIO(export(client, EXPORT_URL, fmt="0").content.decode())))
    assert csv_row["description"] == '\'=HYPERLINK("http://evil")'
    assert csv_row["condition"] == "-5"
    sheet = load_workbook(io.BytesIO(export(client, EXPORT_URL, fmt="1").content)).active
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in values and "-5" in values
    data = json.loads(export(client, EXPORT_URL, fmt="2").content)
    assert data[0]["description"] == '=HYPERLINK("http://evil")'  # JSON is not opened by spreadsheets


@pytest.mark.parametrize("model_name", [
    "country", "organisation", "person", "summit", "participant", "document", "signatory", "source", "statement",
    "commitment", "discrepancy", "citation",
])  # fmt: skip
def test_every_list_offers_import_and_export(admin_client, model_name):
    make(apps.get_model("coalition", model_name))
    for view in ("import", "export"):
        assert admin_client.get(reverse(f"admin:coalition_{model_name}_{view}")).status_code == 200
    rows = list(
        csv.DictReader(
            io.StringIO(export(admin_client, reverse(f"admin:coalition_{model_name}_export")).content.decode())
        )
    )
    assert rows
