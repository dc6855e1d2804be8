import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition import models

from . import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    models.Organisation: factories.OrganisationFactory,
    models.Person: factories.PersonFactory,
    models.Summit: factories.SummitFactory,
    models.Participant: factories.ParticipantFactory,
    models.Document: factories.DocumentFactory,
    models.Signatory: factories.SignatoryFactory,
    models.Source: factories.SourceFactory,
    models.Statement: factories.StatementFactory,
    models.Commitment: factories.CommitmentFactory,
    models.Discrepancy: factories.DiscrepancyFactory,
    models.Citation: factories.CitationFactory,
}


def make(model):
    """Create one record of `model`, with related rows (people, citations…) that its pages show."""
    if model is models.Country:
        return models.Country.objects.get(code="GB")
    record = FACTORIES[model]()
    if model is models.Participant:
        record.representatives.set([factories.PersonFactory(), factories.PersonFactory()])
    if model in (models.Commitment, models.Statement, models.Discrepancy):
        subject = {"commitment": None, model._meta.model_name: record}
        factories.CitationFactory(**subject, quote="after a ceasefire")
    if model is models.Summit:
        factories.ParticipantFactory(summit=record)
        factories.DocumentFactory(summit=record)
    if model is models.Document:
        factories.SignatoryFactory(document=record)
    return record


def url(model, view, *args):
    return reverse(f"admin:coalition_{model._meta.model_name}_{view}", args=args)


def query_count(client, address):
    client.get(address)  # warm the per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


def test_every_model_is_in_the_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "coalition"}
    assert registered == {*FACTORIES, models.Country}


@pytest.mark.parametrize("model", [*FACTORIES, models.Country], ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    make(model)
    few = query_count(admin_client, url(model, "changelist"))
    for _ in range(4):
        make(model)
    assert query_count(admin_client, url(model, "changelist")) == few


@pytest.mark.parametrize("model", [*FACTORIES, models.Country], ids=lambda m: m.__name__)
def test_change_page_queries_do_not_grow_with_other_rows(admin_client, model):
    record = make(model)
    few = query_count(admin_client, url(model, "change", record.pk))
    for _ in range(4):
        make(model)
    assert query_count(admin_client, url(model, "change", record.pk)) == few


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_add_page_renders(admin_client, model):
    assert admin_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", [*FACTORIES, models.Country], ids=lambda m: m.__name__)
def test_history_and_revert_pages_render(admin_client, model):
    record = make(model)
    assert admin_client.get(url(model, "history", record.pk)).status_code == 200
    if model is not models.Country:  # countries come from a migration, with no history of their own yet
        revert = reverse(
            f"admin:coalition_{model._meta.model_name}_simple_history",
            args=[record.pk, record.history.earliest().history_id],
        )
        assert admin_client.get(revert).status_code == 200


@pytest.mark.parametrize(
    "model, term",
    [
        (models.Organisation, "Organisation"),
        (models.Person, "Person"),
        (models.Summit, "Summit"),
        (models.Document, "Declaration"),
        (models.Source, "test_"),
        (models.Statement, "ceasefire"),
        (models.Commitment, "deploy troops"),
        (models.Discrepancy, "refused"),
        (models.Citation, "ceasefire"),
        (models.Participant, "Person"),
        (models.Signatory, "Declaration"),
        (models.Country, "Germany"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_search_finds_records(admin_client, model, term):
    record = make(model)
    response = admin_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    if model is models.Country:
        assert "Germany" in response.content.decode()
    else:
        assert record in response.context["cl"].result_list


def test_countries_cannot_be_added_or_deleted_in_the_admin(admin_client):
    assert admin_client.get(url(models.Country, "add")).status_code == 403
    assert admin_client.get(url(models.Country, "delete", "GB")).status_code == 403


def test_citation_admin_refuses_a_non_verbatim_quote_and_says_what_did_not_match(admin_client):
    source = factories.SourceFactory()
    commitment = factories.CommitmentFactory()
    response = admin_client.post(
        url(models.Citation, "add"),
        {
            "source": source.pk,
            "commitment": commitment.pk,
            "quote": "Italy said it would send troops",
            "relation": "supports",
            "note": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["quote"]
    assert "its first 20 characters match" in errors[0]
    assert "“send troops”" in errors[0]
    assert not models.Citation.objects.exists()


def test_citation_admin_saves_a_verbatim_quote_with_computed_offsets(admin_client):
    source = factories.SourceFactory()
    commitment = factories.CommitmentFactory()
    quote = "Italy said it would not send troops"
    response = admin_client.post(
        url(models.Citation, "add"),
        {"source": source.pk, "commitment": commitment.pk, "quote": quote, "relation": "supports", "note": ""},
    )
    assert response.status_code == 302
    citation = models.Citation.objects.get()
    assert source.text[citation.start : citation.end] == quote


def test_citation_inline_under_a_commitment_refuses_a_non_verbatim_quote(admin_client):
    commitment = factories.CommitmentFactory()
    source = factories.SourceFactory()
    page = admin_client.get(url(models.Commitment, "change", commitment.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "summit": commitment.summit_id,
            "country": commitment.country_id,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-quote": "pledged to deploy soldiers",
            "citations-0-relation": "supports",
        }
    )
    response = admin_client.post(url(models.Commitment, "change", commitment.pk), data)
    assert response.status_code == 200
    assert "pledged to deploy soldiers" not in {c.quote for c in models.Citation.objects.all()}
    assert "where the source reads “troops" in response.content.decode()


def test_the_citation_page_shows_the_quote_highlighted_in_its_source_text(admin_client):
    citation = factories.CitationFactory(quote="Italy said it would not send troops")
    page = admin_client.get(url(models.Citation, "change", citation.pk)).content.decode()
    assert "<mark>Italy said it would not send troops</mark>" in page
    assert "pledged to deploy troops" in page  # the text around it


def test_the_source_page_highlights_every_cited_passage(admin_client):
    citation = factories.CitationFactory(quote="Italy said it would not send troops")
    page = admin_client.get(url(models.Source, "change", citation.source.pk)).content.decode()
    assert "<mark>Italy said it would not send troops</mark>" in page


def test_editors_add_records(client, editor):
    client.force_login(editor)
    summit = factories.SummitFactory()
    response = client.post(
        url(models.Organisation, "add"),
        {"name": "North Atlantic Treaty Organization", "short_name": "NATO", "slug": "nato", "kind": "alliance"},
    )
    assert response.status_code == 302
    assert client.get(url(models.Summit, "change", summit.pk)).status_code == 200
    assert models.Organisation.objects.filter(slug="nato").exists()


def test_researchers_can_view_but_not_change_anything(client, researcher):
    client.force_login(researcher)
    commitment = factories.CommitmentFactory()
    assert client.get(url(models.Commitment, "changelist")).status_code == 200
    page = client.get(url(models.Commitment, "change", commitment.pk))
    assert page.status_code == 200 and "Save" not in page.content.decode().split("<form", 1)[1].split("</form>")[0]
    assert client.get(url(models.Commitment, "add")).status_code == 403
    assert client.post(url(models.Commitment, "delete", commitment.pk), {"post": "yes"}).status_code == 403
    response = client.post(url(models.Commitment, "change", commitment.pk), {"description": "changed"})
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.description != "changed"


def test_linkers_add_citations_but_not_commitments(client, linker):
    client.force_login(linker)
    source = factories.SourceFactory()
    commitment = factories.CommitmentFactory()
    assert client.get(url(models.Commitment, "add")).status_code == 403
    response = client.post(
        url(models.Citation, "add"),
        {"source": source.pk, "commitment": commitment.pk, "quote": "after a ceasefire", "relation": "supports"},
    )
    assert response.status_code == 302
    assert models.Citation.objects.filter(commitment=commitment).exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(url(models.Commitment, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_edit_can_be_reverted_from_history(admin_client):
    summit = factories.SummitFactory(city="Paris")
    first = summit.history.earliest()
    summit.city = "Versailles"
    summit.save()
    revert = reverse("admin:coalition_summit_simple_history", args=[summit.pk, first.history_id])
    page = admin_client.get(revert)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        }
    )
    assert admin_client.post(revert, data).status_code == 302
    summit.refresh_from_db()
    assert summit.city == "Paris"


def add_form_data(client, model, fields):
    """Return POST data for `model`'s add page: `fields` plus empty management forms for its inlines."""
    page = client.get(url(model, "add"))
    data = dict(fields)
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def creatable(model):
    """Return the form fields an editor types to create a `model` record."""
    summit = factories.SummitFactory()
    person = factories.PersonFactory()
    organisation = factories.OrganisationFactory()
    return {
        models.Organisation: {"name": "European Union", "short_name": "EU", "slug": "eu", "kind": "international"},
        models.Person: {"name": "Friedrich Merz", "office": "Chancellor", "country": "DE"},
        models.Summit: {
            "name": "Summit",
            "slug": "paris",
            "start_date": "2026-01-06",
            "end_date": "2026-01-06",
            "city": "Paris",
            "host_country": "FR",
        },
        models.Participant: {
            "summit": summit.pk,
            "organisation": organisation.pk,
            "role": "member",
            "level": "head",
            "representatives": [person.pk],
        },
        models.Document: {
            "summit": summit.pk,
            "title": "Paris Declaration",
            "slug": "paris-declaration",
            "kind": "joint_declaration",
        },
        models.Signatory: {"document": factories.DocumentFactory().pk, "person": person.pk, "country": "FR"},
        models.Source: {"file_name": "new.txt", "text": "A new article.", "language": "en"},
        models.Statement: {
            "summit": summit.pk,
            "slug": "s",
            "speaker": person.pk,
            "kind": "direct",
            "text": "We will be there.",
        },
        models.Commitment: {
            "summit": summit.pk,
            "slug": "c",
            "organisation": organisation.pk,
            "category": "sanctions",
            "stance": "pledge",
            "status": "announced",
            "description": "Additional sanctions.",
        },
        models.Discrepancy: {"summit": summit.pk, "slug": "d", "topic": "Who signed", "description": "Two versions."},
        models.Citation: {
            "source": factories.SourceFactory().pk,
            "commitment": factories.CommitmentFactory().pk,
            "quote": "after a ceasefire",
            "relation": "supports",
        },
    }[model]


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_every_model_can_be_created_and_edited_in_the_admin(admin_client, model):
    fields = creatable(model)
    before = model.objects.count()
    response = admin_client.post(url(model, "add"), add_form_data(admin_client, model, fields))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert model.objects.count() == before + 1
    record = model.objects.latest("pk")
    page = admin_client.get(url(model, "change", record.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
    data["notes" if "notes" in form.fields else "note"] = "Checked against the article."
    assert admin_client.post(url(model, "change", record.pk), data).status_code == 302
    record.refresh_from_db()
    assert getattr(record, "notes", getattr(record, "note", None)) == "Checked against the article."
