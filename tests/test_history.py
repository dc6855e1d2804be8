"""Complete, revertible history: seeded records, citations on revert, deleted records restored, every write path."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from simple_history.utils import get_history_manager_for_model

from coalition import models
from coalition.history import CASCADE_REASON, RESTORE_REASON, SEED_REASON, tracked_models
from coalition.importers import import_tables
from coalition.seed import load_seed_data
from coalition.verification import FIX_REASON

from . import factories

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:coalition_{model._meta.model_name}_{view}", args=args)


def revert_url(record, version):
    return admin_url(type(record), "simple_history", record.pk, version.history_id)


def revert_form_data(page):
    """Return the POST data the revert page's form submits as shown (the old version's values)."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def cite(commitment, quote, **fields):
    return factories.CitationFactory(commitment=commitment, source=fields.pop("source"), quote=quote, **fields)


# Seed data ---------------------------------------------------------------------------------------------------


def test_after_loading_the_seed_data_every_record_has_exactly_one_history_row():
    load_seed_data()
    for model in tracked_models():
        history = get_history_manager_for_model(model)
        pk_name = model._meta.pk.attname
        assert model.objects.exists(), model
        assert history.count() == model.objects.count(), model
        assert not history.values(pk_name).annotate(rows=Count("history_id")).filter(rows__gt=1).exists(), model
    assert set(models.Commitment.history.values_list("history_change_reason", flat=True)) == {SEED_REASON}
    assert set(models.Country.history.values_list("history_type", flat=True)) == {"+"}


def test_a_database_seeded_without_history_gets_its_first_rows_at_the_next_load():
    load_seed_data()
    for model in tracked_models():
        get_history_manager_for_model(model).all().delete()  # as a database seeded before history was written
    report = load_seed_data()
    assert report.skipped and not report.created
    for model in tracked_models():
        assert get_history_manager_for_model(model).count() == model.objects.count(), model


def test_a_seeded_participants_history_row_holds_its_representatives():
    load_seed_data()
    participant = models.Participant.objects.annotate(people=Count("representatives")).filter(people__gt=0).first()
    row = participant.history.get()
    assert row.history_type == "+"
    assert set(row.representatives.values_list("person_id", flat=True)) == set(
        participant.representatives.values_list("pk", flat=True)
    )


def test_the_first_edit_of_a_seeded_commitment_is_reverted_from_its_history_page_citations_included(admin_client):
    load_seed_data()
    commitment = models.Commitment.objects.annotate(n=Count("citations")).filter(n__gt=0).first()
    original, seeded = commitment.description, commitment.history.get()
    citation = commitment.citations.first()
    citation_id = citation.pk
    commitment.description = "Edited."
    commitment.save()
    citation.delete()

    page = admin_client.get(revert_url(commitment, seeded))
    assert page.status_code == 200
    assert f"comes back: {citation}" in page.content.decode()
    response = admin_client.post(revert_url(commitment, seeded), revert_form_data(page), follow=True)

    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.description == original
    assert models.Citation.objects.filter(pk=citation_id, commitment=commitment, quote=citation.quote).exists()
    assert "Citations: 1 came back." in response.content.decode()


# Reverting restores the citations ------------------------------------------------------------------------------


@pytest.fixture
def edited_commitment():
    """A commitment with two citations, then edited: one citation deleted, one changed, one added."""
    source = factories.SourceFactory()
    commitment = factories.CommitmentFactory(description="First version.")
    deleted = cite(commitment, "Leaders met in Paris", source=source)
    changed = cite(commitment, "Italy said", source=source, note="as first cited")
    first = commitment.history.earliest()
    commitment.description = "Second version."
    commitment.save()  # the record first, then its citations, as the editing interface saves them
    deleted_id = deleted.pk
    deleted.delete()
    deleted.pk = deleted_id  # as the tests name it
    changed.note = "changed later"
    changed.save()
    added = cite(commitment, "Germany’s chancellor", source=source)
    return commitment, first, deleted, changed, added


def test_the_revert_page_says_what_will_happen_to_the_citations_before_anything_is_saved(
    admin_client, edited_commitment
):
    commitment, first, deleted, changed, added = edited_commitment
    rows = models.Citation.history.count()
    page = admin_client.get(revert_url(commitment, first)).content.decode()
    assert f"comes back: {deleted}" in page
    assert f"goes: {added}" in page
    assert f"restored: {changed}" in page
    assert models.Citation.history.count() == rows
    assert models.Citation.objects.filter(pk=added.pk).exists()


def test_reverting_brings_back_the_citations_as_they_were_each_change_leaving_history(
    client, editor, edited_commitment
):
    commitment, first, deleted, changed, added = edited_commitment
    client.force_login(editor)
    page = client.get(revert_url(commitment, first))
    response = client.post(revert_url(commitment, first), revert_form_data(page), follow=True)

    assert "Citations: 1 came back, 1 went, 1 restored." in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.description == "First version."
    assert set(commitment.citations.values_list("pk", flat=True)) == {deleted.pk, changed.pk}
    assert models.Citation.objects.get(pk=changed.pk).note == "as first cited"
    for citation, kind in ((deleted, "+"), (changed, "~"), (added, "-")):
        row = models.Citation.history.filter(id=citation.pk).latest("history_date")
        assert (row.history_type, row.history_user) == (kind, editor)
        assert row.history_change_reason.startswith("Reverted with its commitment")


def test_reverting_to_the_latest_version_leaves_the_citations_alone(admin_client, edited_commitment):
    commitment, *_ = edited_commitment
    latest = commitment.history.latest()
    rows = models.Citation.history.count()
    page = admin_client.get(revert_url(commitment, latest))
    assert "reverting leaves them alone" in page.content.decode()
    assert admin_client.post(revert_url(commitment, latest), revert_form_data(page)).status_code == 302
    assert models.Citation.history.count() == rows


def test_a_revert_that_would_delete_citations_needs_the_delete_permission_on_citations(
    client, django_user_model, edited_commitment
):
    commitment, first, _, _, added = edited_commitment
    user = django_user_model.objects.create_user("reverter", password="a-long-test-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_commitment", "change_commitment", "view_citation", "add_citation", "change_citation"]
        )
    )
    client.force_login(user)
    page = client.get(revert_url(commitment, first))
    assert page.status_code == 200
    assert client.post(revert_url(commitment, first), revert_form_data(page)).status_code == 403
    commitment.refresh_from_db()
    assert commitment.description == "Second version."
    assert models.Citation.objects.filter(pk=added.pk).exists()


# Deleted records ------------------------------------------------------------------------------------------------


def delete_in_admin(client, record):
    pk = record.pk
    response = client.post(admin_url(type(record), "delete", pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(record).objects.filter(pk=pk).exists()


def test_a_deleted_commitment_is_listed_and_restored_with_the_citations_deleted_with_it(client, editor):
    client.force_login(editor)
    source = factories.SourceFactory()
    commitment = factories.CommitmentFactory(slug="gb-troops")
    kept = [cite(commitment, "Leaders met in Paris", source=source), cite(commitment, "Italy said", source=source)]
    removed_on_purpose = cite(commitment, "Germany’s chancellor", source=source)
    removed_on_purpose.delete()  # deleted by itself earlier: it stays deleted
    delete_in_admin(client, commitment)
    commitment.pk = commitment.history.latest().id
    assert {row.history_change_reason for row in models.Citation.history.filter(history_type="-")} >= {CASCADE_REASON}

    changelist = client.get(admin_url(models.Commitment, "changelist")).content.decode()
    assert admin_url(models.Commitment, "deleted") in changelist
    listing = client.get(admin_url(models.Commitment, "deleted"))
    assert listing.status_code == 200
    assert str(commitment) in listing.content.decode() and editor.username in listing.content.decode()

    restore = admin_url(models.Commitment, "restore", commitment.pk)
    rows = models.Commitment.history.count()
    assert client.get(restore).status_code == 405  # GET never writes
    assert models.Commitment.history.count() == rows
    response = client.post(restore)
    assert response.status_code == 302 and response["Location"] == admin_url(models.Commitment, "change", commitment.pk)

    restored = models.Commitment.objects.get(pk=commitment.pk)
    assert restored.slug == "gb-troops"
    assert set(restored.citations.values_list("pk", flat=True)) == {c.pk for c in kept}
    row = restored.history.latest()
    assert (row.history_type, row.history_user, row.history_change_reason) == ("+", editor, RESTORE_REASON)
    assert not client.get(admin_url(models.Commitment, "deleted")).context["rows"]


def test_restoring_needs_the_add_permission(client, researcher):
    commitment = factories.CommitmentFactory()
    commitment_id = commitment.pk
    commitment.delete()
    commitment.pk = commitment_id
    client.force_login(researcher)
    listing = client.get(admin_url(models.Commitment, "deleted")).content.decode()
    assert str(commitment) in listing and 'value="Restore"' not in listing
    assert client.post(admin_url(models.Commitment, "restore", commitment.pk)).status_code == 403
    assert not models.Commitment.objects.filter(pk=commitment.pk).exists()


def test_restoring_an_id_that_was_never_deleted_is_refused_with_a_message(admin_client):
    for object_id in ("999999", "not-a-number"):
        response = admin_client.post(admin_url(models.Commitment, "restore", object_id), follow=True)
        assert response.status_code == 200
        assert "There is no deleted commitment" in response.content.decode()


def test_a_restore_that_would_break_a_constraint_is_refused_with_a_message(admin_client):
    commitment = factories.CommitmentFactory(slug="gb-troops")
    commitment_id = commitment.pk
    commitment.delete()
    commitment.pk = commitment_id
    factories.CommitmentFactory(summit=commitment.summit, slug="gb-troops")  # the slug was reused since
    response = admin_client.post(admin_url(models.Commitment, "restore", commitment.pk), follow=True)
    assert response.status_code == 200
    assert "cannot be restored" in response.content.decode()
    assert "Another commitment of this summit has this slug." in response.content.decode()
    assert not models.Commitment.objects.filter(pk=commitment.pk).exists()


def test_a_restored_participant_gets_back_its_representatives(admin_client):
    people = [factories.PersonFactory(), factories.PersonFactory()]
    participant = factories.ParticipantFactory(representatives=people)
    delete_in_admin(admin_client, participant)
    participant.pk = participant.history.latest().id
    assert admin_client.post(admin_url(models.Participant, "restore", participant.pk)).status_code == 302
    restored = models.Participant.objects.get(pk=participant.pk)
    assert set(restored.representatives.all()) == set(people)
    assert set(restored.history.latest().representatives.values_list("person_id", flat=True)) == {p.pk for p in people}


# Every write path leaves history ---------------------------------------------------------------------------------


def test_fixing_offsets_leaves_a_history_row_per_moved_citation():
    citation = factories.CitationFactory(quote="Italy said")
    models.Citation.objects.filter(pk=citation.pk).update(start=0, end=len("Italy said"))
    rows = citation.history.count()
    call_command("verify_quotes", "--fix-offsets", stdout=StringIO(), stderr=StringIO())
    assert citation.history.count() == rows + 1
    latest = citation.history.latest()
    assert (latest.history_type, latest.start, latest.history_change_reason) == ("~", citation.start, FIX_REASON)


def test_an_import_in_the_admin_leaves_history_rows_with_the_user_and_the_file(client, editor):
    factories.SummitFactory(slug="paris-2026")
    client.force_login(editor)
    header = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"
    content = f"{header}\nparis-2026,hr-no-troops,HR,,troops,refusal,,announced,Croatia will not deploy troops.,,\n"
    preview = client.post(
        admin_url(models.Commitment, "import"),
        {"format": "0", "import_file": SimpleUploadedFile("commitments.csv", content.encode())},
    )
    form = preview.context["confirm_form"]
    assert client.post(admin_url(models.Commitment, "process_import"), {n: form[n].value() for n in form.fields})
    row = models.Commitment.objects.get(slug="hr-no-troops").history.get()
    assert (row.history_type, row.history_user) == ("+", editor)
    assert row.history_change_reason == "Imported from commitments.csv"


def test_import_tables_leaves_history_rows_with_a_change_reason(tmp_path):
    factories.SummitFactory(slug="paris-2026")
    header = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"
    (tmp_path / "commitment.csv").write_text(
        f"{header}\nparis-2026,hr-no-troops,HR,,troops,refusal,,announced,Croatia will not deploy troops.,,\n",
        encoding="utf-8",
    )
    import_tables(tmp_path)
    row = models.Commitment.objects.get(slug="hr-no-troops").history.get()
    assert (row.history_type, row.history_change_reason) == ("+", "Imported from commitment.csv")
