"""Public pages come from a cache that every write invalidates, and clients can revalidate them (ETag, 304)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition import caching
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


def test_a_small_download_is_stored_once_streamed_and_served_again_whole_with_one_query(
    client, django_assert_num_queries
):
    factories.CommitmentFactory(description="Troops for the reassurance force.")
    first = client.get(reverse("commitments-csv"))
    assert first.streaming and first["Content-Disposition"] == 'attachment; filename="commitments.csv"'
    content = first.getvalue()  # streamed to its end: now it is stored
    with django_assert_num_queries(1):  # the data version only
        again = client.get(reverse("commitments-csv"))
    assert not again.streaming and again.content == content and b"Troops for the reassurance force." in content
    for header in ("Content-Type", "Content-Disposition"):
        assert again[header] == first[header]
    assert client.get(reverse("commitments-csv"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_large_download_streams_every_row_and_is_not_stored(client, monkeypatch):
    for number in range(5):
        factories.CommitmentFactory(slug=f"pledge-{number}", description=f"Pledge number {number}.")
    monkeypatch.setattr(caching, "SMALL_DOWNLOAD", 200)  # a few rows are "large" here
    streamed = client.get(reverse("commitments-csv")).getvalue()
    assert len(streamed) > 200 and all(f"Pledge number {n}.".encode() in streamed for n in range(5))
    again = client.get(reverse("commitments-csv"))
    assert again.streaming and again.getvalue() == streamed  # made afresh: no copy was kept


def test_a_download_does_not_read_the_database_before_the_middleware_is_done(admin_client, monkeypatch):
    # A logged-in client's session is read after the view: had a large download's query begun in the view, the
    # session's query would wait on the same connection for its last row, for ever (PostgreSQL's COPY).
    monkeypatch.setattr(caching, "SMALL_DOWNLOAD", 200)
    for number in range(5):
        factories.CommitmentFactory(slug=f"pledge-{number}", description=f"Troops for the reassurance force {number}.")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("commitments-csv"))
    assert not any("csv_0" in query["sql"] for query in queries)  # the rows' query has not begun
    assert response.streaming and b"reassurance force 4." in response.getvalue()
