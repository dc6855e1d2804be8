"""No lost update: a stale admin form, revert or import is refused with what changed since, and can be reapplied."""

import pytest
from django.test import Client
from django.urls import reverse

from coalition import models
from coalition.formats import CSV
from coalition.importers import ImportRefused, import_dataset
from coalition.resources import CommitmentResource

from . import factories

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:coalition_{model._meta.model_name}_{view}", args=args)


def fields_of(form) -> dict:
    """Return what a browser posts for `form`, as it is shown (bound forms with what was typed)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def posted(page) -> dict:
    """Return what a browser posts from an admin change or revert page: the form, every inline row."""
    data = fields_of(page.context["adminform"].form)
    for inline in page.context.get("inline_admin_formsets", []):
        data.update(fields_of(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(fields_of(form))
    return data


@pytest.fixture
def other_editor(editor):
    """A second editor, in a browser of their own."""
    client = Client()
    client.force_login(editor)
    return client


def save_as(client, model, pk, **changes):
    """Open the record's change page in `client`, change fields, save; return the response."""
    data = {**posted(client.get(url(model, "change", pk))), **changes}
    response = client.post(url(model, "change", pk), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def errors_of(page) -> list[str]:
    """Return every error on a re-displayed change page: the form's, each inline row's and each inline's own."""
    errors = list(page.context["adminform"].form.non_field_errors())
    for inline in page.context.get("inline_admin_formsets", []):
        errors += list(inline.formset.non_form_errors())
        for form in inline.formset.forms:
            errors += list(form.non_field_errors())
    return errors


def test_a_stale_commitment_form_is_refused_field_by_field_and_saving_it_again_applies_it(admin_client, other_editor):
    commitment = factories.CommitmentFactory(description="Will deploy troops.", notes="")
    stale = posted(admin_client.get(url(models.Commitment, "change", commitment.pk)))
    save_as(other_editor, models.Commitment, commitment.pk, description="Will deploy troops in 2026.")

    response = admin_client.post(url(models.Commitment, "change", commitment.pk), {**stale, "notes": "Checked."})

    assert response.status_code == 200
    errors = errors_of(response)
    assert "changed by someone else after you opened the form" in errors[0]
    assert (
        "description: when you opened the form: “Will deploy troops.”; now: “Will deploy troops in 2026.” "
        "— changed by editor at 20"
    ) in errors[1]
    assert len(errors) == 2  # only the field that changed
    commitment.refresh_from_db()
    assert commitment.description == "Will deploy troops in 2026." and commitment.notes == ""
    # The editor's own input is kept, and the form now carries the current version.
    again = posted(response)
    assert again["notes"] == "Checked." and again["description"] == "Will deploy troops."
    again["description"] = "Will deploy troops in 2026."  # having reviewed it, the editor keeps the other change
    assert admin_client.post(url(models.Commitment, "change", commitment.pk), again).status_code == 302
    commitment.refresh_from_db()
    assert commitment.description == "Will deploy troops in 2026." and commitment.notes == "Checked."


def test_a_stale_citation_inline_under_a_commitment_is_refused_and_saving_again_applies_it(admin_client, other_editor):
    citation = factories.CitationFactory(note="")
    commitment = citation.commitment
    stale = posted(admin_client.get(url(models.Commitment, "change", commitment.pk)))
    save_as(other_editor, models.Citation, citation.pk, relation="contradicts")

    response = admin_client.post(
        url(models.Commitment, "change", commitment.pk), {**stale, "citations-0-note": "Mine."}
    )

    assert response.status_code == 200
    errors = errors_of(response)
    assert "This citation was changed by someone else" in errors[0]
    assert "relation: when you opened the form: “Supports”; now: “Contradicts” — changed by editor at" in errors[1]
    citation.refresh_from_db()
    assert citation.relation == "contradicts" and citation.note == ""
    again = posted(response)
    assert again["citations-0-note"] == "Mine."
    again["citations-0-relation"] = "contradicts"
    assert admin_client.post(url(models.Commitment, "change", commitment.pk), again).status_code == 302
    citation.refresh_from_db()
    assert citation.relation == "contradicts" and citation.note == "Mine."


def test_a_stale_citation_page_is_refused_and_saving_again_applies_it(admin_client, other_editor):
    citation = factories.CitationFactory(note="")
    stale = posted(admin_client.get(url(models.Citation, "change", citation.pk)))
    save_as(other_editor, models.Citation, citation.pk, note="Theirs.")

    response = admin_client.post(url(models.Citation, "change", citation.pk), {**stale, "relation": "contradicts"})

    assert response.status_code == 200
    assert "note: when you opened the form: “(empty)”; now: “Theirs.” — changed by editor at" in errors_of(response)[1]
    citation.refresh_from_db()
    assert citation.relation == "supports"
    assert admin_client.post(url(models.Citation, "change", citation.pk), posted(response)).status_code == 302
    citation.refresh_from_db()
    assert citation.relation == "contradicts"


def test_an_inline_row_deleted_since_the_form_was_opened_is_a_conflict(admin_client, other_editor):
    citation = factories.CitationFactory(note="")
    commitment = citation.commitment
    stale = posted(admin_client.get(url(models.Commitment, "change", commitment.pk)))
    assert other_editor.post(url(models.Citation, "delete", citation.pk), {"post": "yes"}).status_code == 302

    response = admin_client.post(
        url(models.Commitment, "change", commitment.pk), {**stale, "citations-0-note": "Mine."}
    )

    assert response.status_code == 200
    assert any(
        "This citation was deleted after you opened the form — deleted by editor" in e for e in errors_of(response)
    )
    assert not models.Citation.objects.exists()


def test_deleting_an_inline_row_changed_since_is_refused(admin_client, other_editor):
    citation = factories.CitationFactory(note="")
    commitment = citation.commitment
    stale = posted(admin_client.get(url(models.Commitment, "change", commitment.pk)))
    save_as(other_editor, models.Citation, citation.pk, note="Still needed.")

    response = admin_client.post(url(models.Commitment, "change", commitment.pk), {**stale, "citations-0-DELETE": "on"})

    assert response.status_code == 200
    assert any("marked for deletion were changed after you opened the form" in e for e in errors_of(response))
    assert models.Citation.objects.filter(pk=citation.pk, note="Still needed.").exists()


def test_a_stale_revert_from_history_is_refused_and_reverting_again_goes_through(admin_client, other_editor):
    summit = factories.SummitFactory(city="Paris")
    first = summit.history.earliest()
    summit.city = "Versailles"
    summit.save()
    revert = reverse("admin:coalition_summit_simple_history", args=[summit.pk, first.history_id])
    stale = posted(admin_client.get(revert))
    assert stale["city"] == "Paris"  # the old version is shown; its version is the current row's
    save_as(other_editor, models.Summit, summit.pk, city="Lyon")

    response = admin_client.post(revert, stale)

    assert response.status_code == 200
    assert "city: when you opened the form: “Versailles”; now: “Lyon” — changed by editor at" in errors_of(response)[1]
    summit.refresh_from_db()
    assert summit.city == "Lyon"
    assert admin_client.post(revert, posted(response)).status_code == 302
    summit.refresh_from_db()
    assert summit.city == "Paris"


def test_a_fresh_save_goes_through_and_a_damaged_version_is_refused(admin_client):
    commitment = factories.CommitmentFactory(notes="")
    data = posted(admin_client.get(url(models.Commitment, "change", commitment.pk)))
    tampered = {**data, "opened_version": data["opened_version"][:-2] + "xx", "notes": "Tampered."}
    response = admin_client.post(url(models.Commitment, "change", commitment.pk), tampered)
    assert response.status_code == 200 and "version mark is damaged" in errors_of(response)[0]
    assert (
        admin_client.post(url(models.Commitment, "change", commitment.pk), {**data, "notes": "Fresh."}).status_code
        == 302
    )
    commitment.refresh_from_db()
    assert commitment.notes == "Fresh."


def test_the_add_page_saves_a_record_with_a_new_inline_row(admin_client):
    summit, source = factories.SummitFactory(), factories.SourceFactory()
    page = admin_client.get(url(models.Commitment, "add"))
    assert page.status_code == 200 and 'name="opened_version"' not in page.content.decode()
    data = {
        "summit": summit.pk, "slug": "c", "country": "IT", "category": "troops", "stance": "refusal",
        "status": "announced", "description": "Italy will not send troops.",
        "citations-TOTAL_FORMS": "1", "citations-INITIAL_FORMS": "0", "citations-0-source": source.pk,
        "citations-0-quote": "Italy said it would not send troops", "citations-0-relation": "supports",
    }  # fmt: skip
    assert admin_client.post(url(models.Commitment, "add"), data).status_code == 302
    assert models.Citation.objects.get().commitment.slug == "c"


def test_the_version_is_a_hidden_field_for_editors_and_absent_for_those_who_may_only_view(
    admin_client, client, researcher
):
    citation = factories.CitationFactory()
    page = admin_client.get(url(models.Commitment, "change", citation.commitment.pk)).content.decode()
    assert page.count('type="hidden" name="opened_version"') == 1
    assert page.count('type="hidden" name="citations-0-opened_version"') == 1
    # Each in a row the admin hides (the form, the citation, the template for a new citation).
    assert page.count('<div class="form-row hidden field-opened_version">') == 3
    client.force_login(researcher)
    read_only = client.get(url(models.Commitment, "change", citation.commitment.pk))
    assert read_only.status_code == 200 and "opened_version" not in read_only.content.decode()


def exported(resource_class) -> str:
    return CSV().export_data(resource_class().export())


def test_a_stale_import_row_is_refused_naming_the_columns_changed_since_and_writes_nothing(editor):
    commitment = factories.CommitmentFactory(description="Will deploy troops.", stance="conditional")
    exported_file = exported(CommitmentResource)
    commitment.description = "Will deploy troops in 2026."
    commitment._history_user = editor
    commitment.save()
    edited = exported_file.replace(",conditional,", ",pledge,")

    with pytest.raises(ImportRefused) as refused:
        import_dataset(CommitmentResource, CSV().create_dataset(edited), label="commitment.csv")

    [message] = refused.value.messages
    assert message.startswith("line 2, column “version”: changed since the file was exported: description")
    assert "— changed by editor at" in message
    commitment.refresh_from_db()
    assert commitment.stance == "conditional" and commitment.description == "Will deploy troops in 2026."
    # A file exported after the change updates the record.
    fresh = exported(CommitmentResource).replace(",conditional,", ",pledge,")
    result = import_dataset(CommitmentResource, CSV().create_dataset(fresh), label="commitment.csv")
    assert result.totals["update"] == 1
    commitment.refresh_from_db()
    assert commitment.stance == "pledge" and commitment.description == "Will deploy troops in 2026."


def test_an_import_without_the_version_column_is_not_checked():
    commitment = factories.CommitmentFactory(stance="conditional")
    exported_file = exported(CommitmentResource)
    commitment.description = "Changed since."
    commitment.save()
    header, row = exported_file.splitlines()
    assert header.endswith(",version")
    typed = header.rsplit(",", 1)[0] + "\n" + row.rsplit(",", 1)[0].replace(",conditional,", ",pledge,") + "\n"
    result = import_dataset(CommitmentResource, CSV().create_dataset(typed), label="commitment.csv")
    assert result.totals["update"] == 1
    commitment.refresh_from_db()
    assert commitment.stance == "pledge"
