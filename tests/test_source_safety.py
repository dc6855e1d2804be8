"""Source file names are plain names in the seeds folder; a cited text cannot change; texts are kept in history."""

import csv
import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DataError, IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import resolve, reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.importers import ImportRefused, import_tables
from coalition.models import Source
from coalition.models.sources import FILE_NAME_MESSAGE, FILE_NAME_PATTERN
from coalition.resources import RESOURCE_FOR_MODEL

from . import factories
from .test_constraints import admin_url, page_form_data

pytestmark = pytest.mark.django_db

NUL_NAME = "a\x00b.txt"
UNSAFE_NAMES = ["../README.md", "/etc/passwd", "/proc/self/environ", "..", ".", "..\\coalition\\settings.py", NUL_NAME]
# Text of files outside the seeds folder that must never end up as a source's text.
OUTSIDE = ("root:", "relational event database", "SECRET_KEY")


def refused_for_its_name(name: str, message: str) -> bool:
    """Return True when `message` is the file-name message (or, for a NUL byte, any refusal: it is caught earlier)."""
    return "\x00" in name or FILE_NAME_MESSAGE in message


def csv_bytes(rows: list[dict]) -> bytes:
    columns = RESOURCE_FOR_MODEL[Source]().column_names()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows([{column: row.get(column, "") for column in columns} for row in rows])
    return out.getvalue().encode()


# File names, on every path in.


@pytest.mark.parametrize("text", ["", "An article."], ids=["text-empty", "text-given"])
@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_the_admin_form_refuses_an_unsafe_file_name(admin_client, name, text):
    address = admin_url(Source, "add")
    data = {**page_form_data(admin_client, address), "file_name": name, "text": text, "language": "en"}
    response = admin_client.post(address, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "file_name" in errors
    assert refused_for_its_name(name, " ".join(errors["file_name"]))
    page = response.content.decode()
    assert not any(marker in page for marker in OUTSIDE)
    assert not Source.objects.exists()


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_the_admin_import_refuses_an_unsafe_file_name(admin_client, name):
    content = csv_bytes([{"file_name": name, "language": "en"}])
    preview = admin_client.post(
        admin_url(Source, "import"), {"format": "0", "import_file": SimpleUploadedFile("source.csv", content)}
    )
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    page = preview.content.decode()
    assert refused_for_its_name(name, page.replace(escape(FILE_NAME_MESSAGE), FILE_NAME_MESSAGE))
    assert not any(marker in page for marker in OUTSIDE)
    assert not Source.objects.exists()


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_import_tables_refuses_an_unsafe_file_name(tmp_path, name):
    (tmp_path / "source.csv").write_bytes(csv_bytes([{"file_name": name, "language": "en"}]))
    with pytest.raises(ImportRefused) as refusal:
        import_tables(tmp_path)
    assert refused_for_its_name(name, " ".join(refusal.value.messages))
    assert not Source.objects.exists()


@pytest.mark.parametrize("text", [None, "An article."], ids=["text-empty", "text-given"])
@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_loading_a_fixture_refuses_an_unsafe_file_name(tmp_path, name, text):
    fields = {"file_name": name, "language": "en", **({"text": text} if text else {})}
    fixture = tmp_path / "unsafe.json"
    fixture.write_text(json.dumps([{"model": "coalition.source", "fields": fields}]), encoding="utf-8")
    # Without a text the receiver refuses to read it; with one the database's check constraint refuses the name.
    expected = ValidationError if text is None else IntegrityError
    if "\x00" in name:  # PostgreSQL refuses a NUL byte in any text, already when looking the name up
        expected = (ValidationError, IntegrityError, DataError, DeserializationError)
    with pytest.raises(expected):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Source.objects.exists()


@pytest.mark.parametrize("name", [n for n in UNSAFE_NAMES if "\x00" not in n])
def test_the_database_refuses_an_unsafe_file_name(name):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(file_name=name, text="An article.")


def test_the_seed_file_names_are_plain_names(settings):
    names = [path.name for path in settings.SEEDS_DIR.glob("*.txt")]
    assert names
    for name in names:
        Source(file_name=name).full_clean()


@settings(max_examples=40, deadline=None)
@given(st.from_regex(FILE_NAME_PATTERN, fullmatch=True).filter(lambda name: len(name) <= 200))
def test_every_allowed_file_name_has_a_source_page_address(name):
    address = reverse("source-detail", args=[name])
    assert resolve(address).kwargs == {"file_name": name}


def test_the_sources_page_lists_sources_after_unsafe_names_were_refused(client, admin_client):
    factories.SourceFactory(file_name="a-1_b.c.txt")
    admin_client.post(admin_url(Source, "add"), {"file_name": "x/y.txt", "text": "An article.", "language": "en"})
    response = client.get(reverse("source-list"))
    assert response.status_code == 200
    assert "a-1_b.c.txt" in response.content.decode()


# Reading from the seeds folder.


@pytest.fixture
def seeds(settings, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    settings.SEEDS_DIR = folder
    return folder


def test_a_seed_file_is_read_and_fingerprinted(seeds):
    (seeds / "article.txt").write_text("Leaders met in Paris.", encoding="utf-8")
    source = Source.objects.create(file_name="article.txt")
    assert source.text == "Leaders met in Paris."
    assert len(source.text_sha256) == 64


@pytest.mark.parametrize("kind", ["link-outside", "folder", "missing", "not-utf-8"])
def test_only_a_regular_utf8_file_inside_the_seeds_folder_is_read(seeds, tmp_path, kind):
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET_KEY = 'x'", encoding="utf-8")
    if kind == "link-outside":
        (seeds / "article.txt").symlink_to(outside)
    elif kind == "folder":
        (seeds / "article.txt").mkdir()
    elif kind == "not-utf-8":
        (seeds / "article.txt").write_bytes(b"caf\xe9")
    with pytest.raises(ValidationError) as refusal:
        Source(file_name="article.txt").full_clean()
    message = " ".join(refusal.value.message_dict["text"])
    assert message.startswith("A source needs its text.")
    assert "UTF-8" in message if kind == "not-utf-8" else "There is no “article.txt” in the seeds folder" in message
    with pytest.raises(ValidationError):
        Source.objects.create(file_name="article.txt")
    assert not Source.objects.exists()


# A cited text does not change.


@pytest.fixture
def cited():
    citation = factories.CitationFactory(quote="after a ceasefire")
    factories.CitationFactory(source=citation.source, quote="Italy said it would not send troops")
    return citation.source


CHANGED = "Leaders met in Rome on Wednesday."


def assert_unchanged(source):
    source.refresh_from_db()
    assert source.text == factories.ARTICLE


def test_a_form_refuses_to_change_a_cited_text_saying_how_many_citations_quote_it(cited):
    form = modelform_factory(Source, fields=["file_name", "text", "language"])(
        {"file_name": cited.file_name, "text": CHANGED, "language": "en"}, instance=cited
    )
    assert not form.is_valid()
    assert "2 citations quote this text, so it cannot change" in form.errors["text"][0]
    assert_unchanged(cited)


def test_the_admin_shows_a_cited_text_read_only(admin_client, cited):
    address = admin_url(Source, "change", cited.pk)
    data = {**page_form_data(admin_client, address), "text": CHANGED}
    assert admin_client.post(address, data).status_code == 302
    assert_unchanged(cited)


def test_the_admin_import_refuses_to_change_a_cited_text(admin_client, cited):
    content = csv_bytes([{"file_name": cited.file_name, "language": "en", "text": CHANGED}])
    preview = admin_client.post(
        admin_url(Source, "import"), {"format": "0", "import_file": SimpleUploadedFile("source.csv", content)}
    )
    assert preview.context.get("confirm_form") is None
    assert "2 citations quote this text, so it cannot change" in preview.content.decode()
    assert_unchanged(cited)


def test_import_tables_refuses_to_change_a_cited_text(tmp_path, cited):
    (tmp_path / "source.csv").write_bytes(
        csv_bytes([{"file_name": cited.file_name, "language": "en", "text": CHANGED}])
    )
    with pytest.raises(ImportRefused) as refusal:
        import_tables(tmp_path)
    assert any("2 citations quote this text" in message for message in refusal.value.messages)
    assert_unchanged(cited)


def test_save_refuses_to_change_a_cited_text(cited):
    cited.text = CHANGED
    with pytest.raises(ValidationError, match="2 citations quote this text"):
        cited.save()
    cited.text = factories.ARTICLE
    cited.outlet = "Renamed outlet"
    cited.save()  # the rest of a cited source may change


def test_a_fixture_cannot_change_a_cited_text(tmp_path, cited):
    fixture = tmp_path / "changed.json"
    record = {"model": "coalition.source", "pk": cited.pk, "fields": {"file_name": cited.file_name, "text": CHANGED}}
    fixture.write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(ValidationError, match="2 citations quote this text"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert_unchanged(cited)


# Texts in history.


def test_history_keeps_the_text_and_a_revert_brings_it_back(admin_client):
    source = factories.SourceFactory(text="The first version of the article.")
    first = source.history.earliest()
    source.text = "The second version of the article."
    source.save()
    assert first.text == "The first version of the article."
    history = admin_client.get(admin_url(Source, "history", source.pk)).content.decode()
    assert "The first version of the article." in history and "The second version of the article." in history
    revert = reverse("admin:coalition_source_simple_history", args=[source.pk, first.history_id])
    assert admin_client.post(revert, page_form_data(admin_client, revert)).status_code == 302
    source.refresh_from_db()
    assert source.text == "The first version of the article."
    assert source.text_sha256 == first.text_sha256


def test_the_migration_gives_existing_history_rows_the_current_text():
    migration = importlib.import_module("migrations.0004_source_safety")
    kept = factories.SourceFactory(text="Still here.")
    gone = factories.SourceFactory(text="Deleted since.")
    gone_id = gone.pk
    gone.delete()
    Historical = apps.get_model("coalition", "HistoricalSource")
    Historical.objects.update(text="")  # as the column is added
    migration.copy_current_texts_into_history(apps, None)
    assert set(Historical.objects.filter(id=kept.pk).values_list("text", flat=True)) == {"Still here."}
    assert set(Historical.objects.filter(id=gone_id).values_list("text", flat=True)) == {""}
