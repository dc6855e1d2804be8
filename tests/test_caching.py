"""Public pages come from a cache that every write invalidates, and clients can revalidate them (ETag, 304)."""

import pytest
from django.urls import reverse

from coalition.models import Commitment

from . import factories

pytestmark = pytest.mark.django_db


def test_a_page_is_rendered_once_then_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    factories.CommitmentFactory(description="Will send engineers.")
    first = client.get("/commitments/")
    assert "Will send engineers." in first.content.decode()
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get("/commitments/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_any_write_makes_every_page_afresh(client):
    commitment = factories.CommitmentFactory(description="Will send engineers.")
    before = client.get("/commitments/")
    Commitment.objects.filter(pk=commitment.pk).update(description="Will send medics.")  # not even through save()
    after = client.get("/commitments/")
    assert "Will send medics." in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_client_with_the_current_copy_gets_not_modified_and_after_a_write_the_page(client):
    summit = factories.SummitFactory()
    page = client.get("/")
    assert page["Cache-Control"] == "public, no-cache"
    assert client.get("/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]).status_code == 304
    summit.city = "Versailles"
    summit.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200


def test_each_address_has_its_own_etag_and_its_own_cached_page(client):
    factories.CommitmentFactory(stance="pledge", condition="", description="A pledge.")
    factories.CommitmentFactory(stance="refusal", condition="", description="A refusal.")
    pledges = client.get("/commitments/?stance=pledge")
    refusals = client.get("/commitments/?stance=refusal")
    assert pledges["ETag"] != refusals["ETag"]
    assert "A refusal." not in client.get("/commitments/?stance=pledge").content.decode()
    assert client.get("/commitments/?stance=refusal", HTTP_IF_NONE_MATCH=pledges["ETag"]).status_code == 200


def test_refusals_and_missing_pages_are_not_cached(client):
    assert client.get("/commitments/?stance=maybe").status_code == 400
    assert client.get("/countries/XX/").status_code == 404
    factories.SummitFactory(slug="later")
    assert client.get("/summits/later/").status_code == 200


def test_downloads_stream_with_validators_and_a_current_copy_is_not_sent_again(client):
    factories.CommitmentFactory()
    download = client.get(reverse("commitments-csv"))
    assert download.streaming and download["ETag"]
    b"".join(download.streaming_content)
    assert client.get(reverse("commitments-csv"), HTTP_IF_NONE_MATCH=download["ETag"]).status_code == 304
