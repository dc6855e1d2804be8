"""Every constraint of every model reaches the editor as a form error on the admin page, never as a 500."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import UniqueConstraint
from django.db.models.signals import pre_save
from django.urls import resolve, reverse
from django.utils.html import escape

from coalition import models
from coalition.constraints import change_link, unique_sets
from coalition.models.citations import SUBJECTS

from . import factories

pytestmark = pytest.mark.django_db


def walked() -> list[str]:
    """Return every constraint name and every unique “Model.field” of the coalition app, historical models too."""
    keys = []
    for model in apps.get_app_config("coalition").get_models():
        if model in models.DERIVED_MODELS:  # written by the database's triggers only: see the test below
            continue
        keys += [constraint.name for constraint in model._meta.constraints]
        keys += [f"{model.__name__}.{f.name}" for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    return keys


def admin_url(model, view, *args):
    return reverse(f"admin:coalition_{model._meta.model_name}_{view}", args=args)


def page_form_data(client, address) -> dict:
    """Return the POST data the admin page at `address` sends as rendered: its form, inlines and management forms."""
    page = client.get(address)
    assert page.status_code == 200, address
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets", []):  # none on the history revert page
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form[name].html_name] = "on" if value is True else value
    return data


def constraint(name):
    return next(c for model in apps.get_models() for c in model._meta.constraints if c.name == name)


def constraint_message(name) -> str:
    return constraint(name).get_violation_error_message()


def unique_message(model, field) -> str:
    return " ".join(model().unique_error_message(model, [field]).messages)


# For each constraint: a function that sets up the database and returns (model, fields typed on its add page,
# the message the editor must see). Constraints on fields no form shows are in COMPUTED_OR_READ_ONLY instead.
def _summit_fields(**changes):
    return {
        "name": "Summit",
        "slug": "paris",
        "start_date": "2026-01-06",
        "end_date": "2026-01-06",
        "city": "Paris",
        "host_country": "FR",
        **changes,
    }


def _commitment_fields(**changes):
    summit = factories.SummitFactory()
    return {
        "summit": summit.pk,
        "slug": "c",
        "country": "GB",
        "category": "sanctions",
        "stance": "pledge",
        "status": "announced",
        "description": "Additional sanctions.",
        **changes,
    }


def _citation_duplicate(subject):
    existing = factories.CitationFactory(**{"commitment": None, subject: SUBJECT_FACTORIES[subject]()})
    fields = {"source": existing.source_id, subject: getattr(existing, f"{subject}_id"), "quote": existing.quote}
    return (
        models.Citation,
        {**fields, "relation": "supports"},
        constraint_message(f"citation_unique_per_{subject}_source_start"),
    )


SUBJECT_FACTORIES = {
    "commitment": factories.CommitmentFactory,
    "statement": factories.StatementFactory,
    "discrepancy": factories.DiscrepancyFactory,
}


def _participant(**changes):
    summit = factories.SummitFactory()
    fields = {"summit": summit.pk, "role": "member", "level": "head", **changes}
    return models.Participant, fields


def _existing_participant(**actor):
    existing = factories.ParticipantFactory(**{"country": None, **actor})
    return {"summit": existing.summit_id, "role": "member", "level": "head"}


def _existing_document():
    document = factories.DocumentFactory(slug="paris-declaration")
    return {"summit": document.summit_id, "slug": "paris-declaration", "title": "T", "kind": "statement"}


CASES = {
    "summit_ends_on_or_after_start": lambda: (
        models.Summit,
        _summit_fields(end_date="2026-01-05"),
        constraint_message("summit_ends_on_or_after_start"),
    ),
    "summit_leaders_not_more_than_countries": lambda: (
        models.Summit,
        _summit_fields(reported_country_count="3", reported_leader_count="5"),
        constraint_message("summit_leaders_not_more_than_countries"),
    ),
    "Summit.slug": lambda: (
        models.Summit,
        _summit_fields(slug=factories.SummitFactory().slug),
        unique_message(models.Summit, "slug"),
    ),
    "participant_is_country_or_organisation": lambda: (
        *_participant(),
        constraint_message("participant_is_country_or_organisation"),
    ),
    "participant_country_once_per_summit": lambda: (
        models.Participant,
        {**_existing_participant(country=factories.CountryFactory(code="GB")), "country": "GB"},
        constraint_message("participant_country_once_per_summit"),
    ),
    "participant_organisation_once_per_summit": lambda: (
        models.Participant,
        {
            **_existing_participant(organisation=(organisation := factories.OrganisationFactory())),
            "organisation": organisation.pk,
        },
        constraint_message("participant_organisation_once_per_summit"),
    ),
    "document_slug_unique_per_summit": lambda: (
        models.Document,
        _existing_document(),
        constraint_message("document_slug_unique_per_summit"),
    ),
    "signatory_once_per_document": lambda: (
        models.Signatory,
        {"document": (existing := factories.SignatoryFactory()).document_id, "person": existing.person_id},
        constraint_message("signatory_once_per_document"),
    ),
    "signatory_signs_for_one_actor": lambda: (
        models.Signatory,
        {
            "document": factories.DocumentFactory().pk,
            "person": factories.PersonFactory().pk,
            "country": "FR",
            "organisation": factories.OrganisationFactory().pk,
        },
        constraint_message("signatory_signs_for_one_actor"),
    ),
    "statement_slug_unique_per_summit": lambda: (
        models.Statement,
        {
            "summit": (existing := factories.StatementFactory(slug="s")).summit_id,
            "slug": "s",
            "speaker": existing.speaker_id,
            "kind": "direct",
            "text": "We will be there.",
        },
        constraint_message("statement_slug_unique_per_summit"),
    ),
    # The form's own required-field check speaks first: an empty statement never reaches the constraint.
    "statement_has_text": lambda: (
        models.Statement,
        {"summit": factories.SummitFactory().pk, "slug": "s", "speaker": factories.PersonFactory().pk, "text": " "},
        "This field is required.",
    ),
    "commitment_is_by_country_or_organisation": lambda: (
        models.Commitment,
        _commitment_fields(country=""),
        constraint_message("commitment_is_by_country_or_organisation"),
    ),
    "commitment_conditional_has_condition": lambda: (
        models.Commitment,
        _commitment_fields(stance="conditional", condition=""),
        constraint_message("commitment_conditional_has_condition"),
    ),
    "commitment_slug_unique_per_summit": lambda: (
        models.Commitment,
        _commitment_fields(summit=factories.CommitmentFactory(slug="c").summit_id),
        constraint_message("commitment_slug_unique_per_summit"),
    ),
    "discrepancy_slug_unique_per_summit": lambda: (
        models.Discrepancy,
        {
            "summit": factories.DiscrepancyFactory(slug="d").summit_id,
            "slug": "d",
            "topic": "Who signed",
            "description": "Two versions.",
        },
        constraint_message("discrepancy_slug_unique_per_summit"),
    ),
    "citation_has_one_subject": lambda: (
        models.Citation,
        {
            "source": factories.SourceFactory().pk,
            "commitment": factories.CommitmentFactory().pk,
            "statement": factories.StatementFactory().pk,
            "quote": "after a ceasefire",
            "relation": "supports",
        },
        constraint_message("citation_has_one_subject"),
    ),
    **{
        f"citation_unique_per_{subject}_source_start": (lambda s=subject: _citation_duplicate(s))
        for subject in SUBJECTS
    },
    "source_has_text": lambda: (
        models.Source,
        {"file_name": "nowhere.txt", "text": "", "language": "en"},
        constraint_message("source_has_text"),
    ),
    "source_file_name_is_plain": lambda: (
        models.Source,
        {"file_name": "../README.md", "text": "An article.", "language": "en"},
        constraint_message("source_file_name_is_plain"),
    ),
    "Source.file_name": lambda: (
        models.Source,
        {"file_name": factories.SourceFactory().file_name, "text": "An article.", "language": "en"},
        unique_message(models.Source, "file_name"),
    ),
    "Organisation.name": lambda: (
        models.Organisation,
        {"name": factories.OrganisationFactory().name, "short_name": "EU", "slug": "eu", "kind": "international"},
        unique_message(models.Organisation, "name"),
    ),
    "Organisation.slug": lambda: (
        models.Organisation,
        {"name": "European Union", "short_name": "EU", "slug": factories.OrganisationFactory().slug, "kind": "other"},
        unique_message(models.Organisation, "slug"),
    ),
    "Person.name": lambda: (
        models.Person,
        {"name": factories.PersonFactory().name, "office": "Chancellor", "country": "DE"},
        unique_message(models.Person, "name"),
    ),
}

# Constraints on fields no admin form lets anyone type — computed on save, or read-only — with those fields.
COMPUTED_OR_READ_ONLY = {
    "citation_offsets_span_quote": (models.Citation, ["start", "end"]),
    "source_hash_is_sha256": (models.Source, ["text_sha256"]),
    "country_code_is_two_capitals": (models.Country, ["code"]),
    "Country.name": (models.Country, ["name"]),
}


def count_rows():
    return {model: model._default_manager.count() for model in apps.get_app_config("coalition").get_models()}


@pytest.mark.parametrize("key", walked())
def test_every_constraint_is_a_form_error_on_the_admin_page(admin_client, key):
    if key in COMPUTED_OR_READ_ONLY:
        model, fields = COMPUTED_OR_READ_ONLY[key]
        if admin_client.get(admin_url(model, "add")).status_code == 403:  # countries come from a migration only
            address = admin_url(model, "change", model._default_manager.first().pk)
        else:
            address = admin_url(model, "add")
        typed = set(admin_client.get(address).context["adminform"].form.fields)
        assert not typed & set(fields), f"{key}: {fields} can now be typed — add a violating form to CASES"
        return
    assert key in CASES, f"No violating form for {key}: add one to CASES in this module"
    model, fields, message = CASES[key]()
    address = admin_url(model, "add")
    data = {**page_form_data(admin_client, address), **fields}
    before = count_rows()
    response = admin_client.post(address, data)
    assert response.status_code == 200, f"{key}: not refused on the form"
    assert escape(message) in response.content.decode(), f"{key}: the message is not on the page"
    assert count_rows() == before
    if key in unique_keys():
        assert_names_the_existing_record(response, unique_keys()[key])


def unique_keys() -> dict[str, tuple[str, ...]]:
    """Return the fields of every unique constraint and unique field that `walked()` names."""
    keys = {}
    for model in apps.get_app_config("coalition").get_models():
        for key, fields, _ in unique_sets(model):
            name = f"{model.__name__}.{key}" if key != NON_FIELD_ERRORS else None
            for constraint in model._meta.constraints:
                if isinstance(constraint, UniqueConstraint) and tuple(constraint.fields) == fields:
                    name = constraint.name
            keys[name] = fields
    return keys


def assert_names_the_existing_record(response, fields):
    """Check the page links to a saved record of the form's model holding the same values of `fields`."""
    form = response.context["adminform"].form
    model = form._meta.model
    match = re.search(rf'The existing {model._meta.verbose_name}: <a href="([^"]+)">', response.content.decode())
    assert match, f"{model.__name__}: the existing record is not named with a link"
    existing = model._default_manager.get(pk=resolve(match.group(1)).kwargs["object_id"])
    for name in fields:
        attname = model._meta.get_field(name).attname
        assert getattr(existing, attname) == getattr(form.instance, attname)


def test_no_form_can_write_the_derived_rows():
    assert not any(admin.site.is_registered(model) for model in models.DERIVED_MODELS)


def test_every_case_is_still_a_constraint():
    assert set(CASES) | set(COMPUTED_OR_READ_ONLY) == set(walked())


# Citations under their commitment, statement or discrepancy (the inline): a duplicate of a saved citation, and
# two identical new rows in one submit, on the subject's change page and on its add page.


def inline_rows(data, rows):
    """Return `data` with `rows` (dicts of citation fields) added as new citation inline rows."""
    data = dict(data)
    first = int(data["citations-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        data.update({f"citations-{first + offset}-{name}": value for name, value in row.items()})
    data["citations-TOTAL_FORMS"] = str(first + len(rows))
    return data


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_new_inline_citation_duplicating_a_saved_one_is_a_form_error_naming_it(admin_client, subject):
    existing = factories.CitationFactory(**{"commitment": None, subject: SUBJECT_FACTORIES[subject]()})
    model = type(existing.subject)
    address = admin_url(model, "change", existing.subject.pk)
    row = {"source": existing.source_id, "quote": existing.quote, "relation": "contradicts"}
    response = admin_client.post(address, inline_rows(page_form_data(admin_client, address), [row]))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(constraint_message(f"citation_unique_per_{subject}_source_start")) in page
    assert f"The existing citation: {change_link(existing)}" in page
    assert models.Citation.objects.get() == existing


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("view", ["change", "add"])
def test_two_identical_new_inline_citations_in_one_submit_are_a_form_error(admin_client, subject, view):
    source = factories.SourceFactory()
    record = SUBJECT_FACTORIES[subject]()
    model = type(record)
    if view == "change":
        address = admin_url(model, "change", record.pk)
        data = page_form_data(admin_client, address)
    else:  # a new record with the same fields, only another slug
        address = admin_url(model, "add")
        data = page_form_data(admin_client, admin_url(model, "change", record.pk))
        data = {**{k: v for k, v in data.items() if not k.startswith("citations-")}, "slug": "new-one"}
        data.update({"citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"})
    row = {"source": source.pk, "quote": "after a ceasefire", "relation": "supports"}
    before = count_rows()
    response = admin_client.post(address, inline_rows(data, [row, row]))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(constraint_message(f"citation_unique_per_{subject}_source_start")) in page
    assert "Citations 1 and 2 here quote" in page
    assert count_rows() == before


def test_distinct_new_inline_citations_are_saved(admin_client):
    commitment = factories.CommitmentFactory()
    source = factories.SourceFactory()
    address = admin_url(models.Commitment, "change", commitment.pk)
    rows = [
        {"source": source.pk, "quote": "after a ceasefire", "relation": "supports"},
        {"source": source.pk, "quote": "Italy said it would not send troops", "relation": "supports"},
    ]
    response = admin_client.post(address, inline_rows(page_form_data(admin_client, address), rows))
    assert response.status_code == 302
    assert commitment.citations.count() == 2


def test_a_duplicate_citation_saved_in_code_is_refused_by_its_own_validation():
    existing = factories.CitationFactory(quote="after a ceasefire")
    duplicate = models.Citation(source=existing.source, commitment=existing.commitment, quote=existing.quote)
    with pytest.raises(ValidationError, match="already cited for this commitment"):
        duplicate.full_clean(exclude={"start", "end"})


# The same duplicate from the citation form on the seed data and from an import's preview: a message naming the
# existing citation with a link to it, never a 500.


def test_a_seeded_citation_saved_again_from_the_citation_form_names_the_existing_one(admin_client, seeded):
    existing = models.Citation.objects.filter(commitment__isnull=False).select_related("source").first()
    address = admin_url(models.Citation, "add")
    data = {
        **page_form_data(admin_client, address),
        "commitment": existing.commitment_id,
        "source": existing.source_id,
        "quote": existing.source.text[existing.start : existing.end],
        "relation": "supports",
    }
    before = count_rows()
    response = admin_client.post(address, data)
    assert response.status_code == 200
    assert f"The existing citation: {change_link(existing)}" in response.content.decode()
    assert count_rows() == before


def test_an_imported_citation_starting_where_a_saved_one_does_names_it_in_the_preview(admin_client):
    existing = factories.CitationFactory(quote="after a ceasefire")
    commitment = existing.commitment
    longer = existing.source.text[existing.start : existing.end + 6]
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(["summit", "subject_type", "subject", "source", "quote", "relation", "note"])
    writer.writerow(
        [commitment.summit.slug, "commitment", commitment.slug, existing.source.file_name, longer, "supports", ""]
    )
    response = admin_client.post(
        admin_url(models.Citation, "import"),
        {"format": "0", "import_file": SimpleUploadedFile("citations.csv", content.getvalue().encode())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(constraint_message("citation_unique_per_commitment_source_start")) in page
    assert f"The existing citation: {change_link(existing)}" in page
    assert models.Citation.objects.get() == existing


def test_a_duplicate_saved_between_the_forms_validation_and_its_write_is_a_message_not_a_500(admin_client, seeded):
    # Another linker's identical citation reaches the database after this form was validated and before it is
    # written (a receiver writes it there, at every attempt), so the database refuses the write.
    model = models.Citation.objects.filter(commitment__isnull=False).select_related("source").first()
    address = admin_url(models.Citation, "add")
    data = {
        **page_form_data(admin_client, address),
        "commitment": model.commitment_id,
        "source": model.source_id,
        "quote": model.source.text[model.start : model.end],
        "relation": "supports",
    }
    model.delete()
    before = count_rows()
    attempts = []

    def other_linker_saves_first(sender, instance, **kwargs):
        if instance.pk is None:
            fields = models.Citation._meta.concrete_fields
            values = {f.attname: getattr(instance, f.attname) for f in fields if not f.primary_key}
            attempts.append(models.Citation.objects.bulk_create([models.Citation(**values)]))

    pre_save.connect(other_linker_saves_first, sender=models.Citation)
    try:
        response = admin_client.post(address, data, follow=True)
    finally:
        pre_save.disconnect(other_linker_saves_first, sender=models.Citation)
    assert len(attempts) == 2  # validated and tried again once, then refused with a message
    assert response.status_code == 200
    assert "another change to the same records was saved at the same moment" in response.content.decode()
    assert count_rows() == before  # neither write is left behind
