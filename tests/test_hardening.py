"""Inputs found by probing the served site as an attacker would: each answers with a message or a 404, never a 500."""

import pytest
from django.urls import reverse

from coalition import models

from . import factories
from .test_auth import PASSWORD, log_in, logged_in
from .test_deploy import manage, production_environment
from .test_history import revert_form_data

pytestmark = pytest.mark.django_db


def test_reverting_a_cited_source_to_an_older_text_is_refused_above_the_form(admin_client):
    source = factories.SourceFactory(text="First version of the article.")
    first = source.history.earliest()
    source.text = "Second version: leaders pledged troops."
    source.save()
    factories.CitationFactory(source=source, quote="leaders pledged troops")
    revert = reverse("admin:coalition_source_simple_history", args=[source.pk, first.history_id])
    response = admin_client.post(revert, revert_form_data(admin_client.get(revert)))
    assert response.status_code == 200
    assert "cannot change" in " ".join(response.context["adminform"].form.non_field_errors())
    source.refresh_from_db()
    assert source.text == "Second version: leaders pledged troops."


@pytest.mark.parametrize(
    "address",
    [
        "/admin/coalition/person/abc/history/",
        "/admin/coalition/person/99999999999999999999/history/",
        "/admin/coalition/person/{pk}/history/abc/",
        "/admin/coalition/person/{pk}/history/1e999/",
        "/admin/coalition/person/{pk}/history/99999999999999999999/",
        "/admin/coalition/country/GB/history/%ff/",
    ],
)
def test_malformed_ids_in_history_addresses_are_not_found(admin_client, address):
    person = factories.PersonFactory()
    assert admin_client.get(address.format(pk=person.pk)).status_code == 404


@pytest.mark.parametrize("forwarded", ["not-an-ip", "999.1.1.1", "1.2.3.4, garbage", "a" * 300])
def test_a_malformed_forwarded_address_falls_back_to_the_connections_address(client, researcher, settings, forwarded):
    settings.COALITION_TRUSTED_PROXY_COUNT = 1
    response = log_in(client, "researcher", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert logged_in(response)


def test_the_readmes_placeholder_secret_key_is_refused():
    environment = {**production_environment(), "DJANGO_SECRET_KEY": "replace-with-the-output-of-something"}
    result = manage("check", "--deploy", environment=environment)
    assert result.returncode != 0
    assert "placeholder" in result.stderr and "Traceback" not in result.stderr.split("ImproperlyConfigured")[-1]


def test_only_articles_in_the_seeds_folder_become_source_texts(admin_client):
    response = admin_client.post(
        reverse("admin:coalition_source_add"), {"file_name": "sources.json", "text": "", "language": "en"}
    )
    assert response.status_code == 200
    assert "There is no “sources.json”" in response.content.decode()
    assert not models.Source.objects.filter(file_name="sources.json").exists()
