"""Editorial notes never reach a public page, CSV or the Data Package."""

import pytest
from django.apps import apps
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import URLPattern, reverse
from simple_history.models import HistoricalChanges

from coalition import models
from coalition.seed import load_seed_data
from coalition.urls import urlpatterns

pytestmark = pytest.mark.django_db

EDITORIAL = "Editorial notes; not shown to the public"
MARKER = "zqxeditorial"


def record_models():
    return [m for m in apps.get_app_config("coalition").get_models() if not issubclass(m, HistoricalChanges)]


def editorial_fields():
    """Return (model, field name) for every field whose help text says it is editorial."""
    return [(m, f.name) for m in record_models() for f in m._meta.concrete_fields if f.help_text.startswith(EDITORIAL)]


def test_every_notes_field_says_it_is_editorial_and_the_citation_note_says_it_is_public():
    notes = [(m, f.name) for m in record_models() for f in m._meta.concrete_fields if f.name == "notes"]
    assert notes and set(notes) <= set(editorial_fields())
    assert models.Citation._meta.get_field("note").help_text.startswith("Shown to the public")


def public_addresses() -> dict[str, list[str]]:
    """Return the addresses of every public page, by URL name: every record's page for the pages that take one."""
    countries = {
        *models.Commitment.objects.values_list("country", flat=True),
        *models.Participant.objects.values_list("country", flat=True),
        *models.Person.objects.values_list("country", flat=True),
    } - {None}
    per_record = {
        "summit-detail": [s.get_absolute_url() for s in models.Summit.objects.all()],
        "country-detail": [reverse("country-detail", args=[code]) for code in sorted(countries)],
        "organisation-detail": [o.get_absolute_url() for o in models.Organisation.objects.all()],
        "source-detail": [s.get_absolute_url() for s in models.Source.objects.all()],
    }
    addresses = {}
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern):  # the editing interface
            continue
        addresses[pattern.name] = per_record[pattern.name] if pattern.pattern.converters else [reverse(pattern.name)]
    return addresses


def test_no_editorial_note_appears_on_any_public_page(client):
    load_seed_data()
    written = 0
    for model, name in editorial_fields():
        written += model.objects.update(**{name: Concat(Value(f"{MARKER}-{model.__name__}-"), Cast("pk", CharField()))})
    assert written > 400  # the seed data's records
    assert models.Signatory.objects.filter(disputed=True).exists()  # whose notes the summit page once showed
    assert models.Source.objects.exclude(notes="").exists()
    pages = public_addresses()
    assert "datapackage" in pages and "summit-detail" in pages
    for name, addresses in pages.items():
        assert addresses, f"no address to fetch for {name}"
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            # Bytes: the published SQLite file is no text.
            assert MARKER.encode() not in response.getvalue(), f"an editorial note is shown on {address}"
