"""The import's confirm step: only the preview this editor made, once; refusals at confirm say nothing was written."""

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.models import Commitment

from . import factories
from .test_admin_import_export import EXPORT_URL, HEADER, IMPORT_URL, PROCESS_URL, confirm, export, upload

pytestmark = pytest.mark.django_db

ROW = "paris-2026,be-navy,BE,,air_naval,pledge,,announced,Belgium will support the effort with its navy.,,\n"


@pytest.fixture
def summit():
    return factories.SummitFactory(slug="paris-2026")


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def preview_of(client, content: bytes):
    preview = upload(client, content)
    assert preview.context["confirm_form"] is not None
    return preview


def test_the_preview_page_carries_a_token_not_the_servers_file_name(client, editor, summit):
    client.force_login(editor)
    preview = preview_of(client, f"{HEADER}\n{ROW}".encode())
    token = preview.context["confirm_form"]["import_file_name"].value()
    assert tempfile.gettempdir() not in preview.content.decode()
    assert "/" not in token and token in preview.content.decode()


def test_a_confirm_naming_a_file_on_the_server_is_refused_and_leaves_the_file_alone(client, editor, summit):
    planted = Path(tempfile.gettempdir()) / f"planted-{summit.pk}.csv"
    planted.write_text(f"{HEADER}\n{ROW}", encoding="utf-8")
    try:
        client.force_login(editor)
        data = {"import_file_name": planted.name, "original_file_name": "x.csv", "format": "0", "resource": "0"}
        response = client.post(PROCESS_URL, data)
        assert response.status_code == 302 and response["Location"] == IMPORT_URL
        assert "expired or was already confirmed" in said(response)
        assert planted.exists() and not Commitment.objects.exists()
    finally:
        planted.unlink()


def test_a_second_submit_of_the_confirm_page_is_refused_with_a_message_not_an_error(client, editor, summit):
    client.force_login(editor)
    preview = preview_of(client, f"{HEADER}\n{ROW}".encode())
    assert confirm(client, preview).status_code == 302
    again = confirm(client, preview)
    assert again.status_code == 302 and "already confirmed" in said(again)
    assert Commitment.objects.count() == 1


def test_another_editors_preview_cannot_be_confirmed(client, editor, superuser, summit):
    client.force_login(editor)
    preview = preview_of(client, f"{HEADER}\n{ROW}".encode())
    client.force_login(superuser)  # a new session
    response = confirm(client, preview)
    assert "expired" in said(response) and not Commitment.objects.exists()


def test_a_preview_cannot_be_confirmed_as_an_import_of_another_table(client, editor, summit):
    client.force_login(editor)
    preview = preview_of(client, f"{HEADER}\n{ROW}".encode())
    form = preview.context["confirm_form"]
    response = client.post(
        "/admin/coalition/organisation/process_import/", {name: form[name].value() for name in form.fields}
    )
    assert "expired" in said(response) and not Commitment.objects.exists()


def test_a_refused_preview_leaves_no_copy_of_the_file_behind(client, editor, summit):
    client.force_login(editor)
    preview = upload(client, f"{HEADER}\n{ROW.replace(',BE,', ',ZZ,')}".encode())
    assert preview.context.get("confirm_form") is None
    written = preview.context["form"].cleaned_data["import_file"].tmp_storage_name
    assert not (Path(tempfile.gettempdir()) / written).exists()


def test_a_record_changed_between_preview_and_confirm_refuses_the_import_saying_nothing_was_written(
    client, editor, summit
):
    commitment = factories.CommitmentFactory(summit=summit, slug="gb-troops", description="Before.")
    client.force_login(editor)
    lines = export(client, EXPORT_URL).content.decode().splitlines()
    preview = preview_of(client, ("\n".join([lines[0], lines[1].replace("Before.", "Mine.")]) + "\n").encode())
    Commitment.objects.filter(pk=commitment.pk).update(description="Theirs.")  # someone else, meanwhile

    response = confirm(client, preview)

    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    message = said(response)
    assert "Nothing was imported" in message and "line 2" in message
    commitment.refresh_from_db()
    assert commitment.description == "Theirs."


def test_a_cell_longer_than_the_limit_is_refused_with_its_line_and_column(client, editor, summit, settings):
    settings.COALITION_IMPORT_MAX_CELL_CHARACTERS = 100
    client.force_login(editor)
    preview = upload(client, f"{HEADER}\n{ROW.replace('Belgium will', 'Belgium ' + 'x' * 200 + ' will')}".encode())
    html = preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert "line 2, column “description”" in html and "at most 100" in html
    assert not Commitment.objects.exists()


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_read(client, editor, summit, settings):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for number in range(400):
        sheet.append(["paris-2026", f"c{number}", "BE", "", "troops", "pledge", "", "announced", "x" * 500, "", ""])
    content = io.BytesIO()
    workbook.save(content)
    settings.COALITION_IMPORT_MAX_BYTES = len(content.getvalue()) + 1  # the file itself is within the limit
    client.force_login(editor)
    response = client.post(
        IMPORT_URL, {"format": "1", "import_file": SimpleUploadedFile("big.xlsx", content.getvalue())}
    )
    assert "unpacks to" in response.content.decode()
    assert not Commitment.objects.exists()
