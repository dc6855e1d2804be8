import csv
import io

import pytest

from coalition.models import Commitment, Source
from coalition.selectors.table_json import API_PAGE_MAX
from coalition.spreadsheet import neutralise
from coalition.vocabulary import TABLES

pytestmark = pytest.mark.django_db


def csv_rows(client, address) -> list[dict]:
    response = client.get(address)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"), newline="")))


def as_csv_cell(value) -> str:
    """Return how the CSV writes a JSON value: null as an empty cell, text guarded against formulas."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else str(value)


def test_a_filtered_list_holds_the_rows_of_the_same_csv_with_json_types(client, seeded):
    query = "?country=FR&stance=conditional"
    expected = csv_rows(client, "/commitments.csv" + query)
    assert expected, "the seed data holds conditional French offers"

    response = client.get("/api/v1/commitments/" + query)

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [item["id"] for item in body["items"]] == [int(row["id"]) for row in expected]
    for item, row in zip(body["items"], expected, strict=True):
        assert list(item) == list(row) == TABLES["commitments"].column_names
        assert {name: as_csv_cell(value) for name, value in item.items()} == row
        assert isinstance(item["id"], int) and isinstance(item["sources"], int)
        assert item["country_code"] == "FR" and item["stance"] == "conditional"
        assert item["organisation"] is None  # missing, not an empty string


def test_dates_are_iso_dates_and_missing_dates_null(client, seeded):
    items = client.get(f"/api/v1/statements/?limit={API_PAGE_MAX}").json()["items"]
    rows = {int(row["id"]): row for row in csv_rows(client, "/statements.csv")}
    assert len(items) == len(rows)
    for item in items:
        assert (item["said_on"] or "") == rows[item["id"]]["said_on"]


def test_paging_with_next_visits_every_row_once(client, seeded):
    expected = [int(row["id"]) for row in csv_rows(client, "/citations.csv")]
    assert len(expected) > 6
    seen, address, pages = [], "/api/v1/citations/?limit=3", 0
    while address:
        response = client.get(address)
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 3
        seen += [item["id"] for item in body["items"]]
        address, pages = body["next"], pages + 1
        if address:
            assert address.startswith("http://testserver/api/v1/citations/?") and "limit=3" in address
    assert seen == expected
    assert pages == -(-len(expected) // 3)


def test_paging_keeps_the_filters(client, seeded):
    expected = [int(row["id"]) for row in csv_rows(client, "/commitments.csv?stance=pledge")]
    first = client.get("/api/v1/commitments/?stance=pledge&limit=1").json()
    second = client.get(first["next"]).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == expected[:2]


@pytest.mark.parametrize("sort", ["sources", "-sources", "actor"])
def test_sort_orders_the_rows_as_the_list_page_and_paging_keeps_it(client, seeded, sort):
    seen, address = [], f"/api/v1/commitments/?sort={sort}&limit=7"
    while address:
        body = client.get(address).json()
        seen += body["items"]
        address = body["next"]
    assert sorted(item["id"] for item in seen) == sorted(Commitment.objects.values_list("pk", flat=True))
    if sort == "actor":  # countries by name, then organisations (the page's order)
        types = [item["actor_type"] for item in seen]
        countries = [item["actor"] for item in seen if item["actor_type"] == "country"]
        assert types == sorted(types) and countries == sorted(countries)
        assert [item["id"] for item in seen] != sorted(item["id"] for item in seen)
    else:
        counts = [item["sources"] for item in seen]
        assert counts == sorted(counts, reverse=sort.startswith("-")) and len(set(counts)) > 1


def test_one_row_by_its_id_or_primary_key(client, seeded):
    commitment = Commitment.objects.order_by("pk").last()
    response = client.get(f"/api/v1/commitments/{commitment.pk}")
    assert response.status_code == 200
    assert response.json() == client.get(f"/api/v1/commitments/?limit={API_PAGE_MAX}").json()["items"][-1]
    assert response.json()["slug"] == commitment.slug

    source = Source.objects.order_by("pk").first()
    body = client.get(f"/api/v1/sources/{source.file_name}").json()
    assert body["file_name"] == source.file_name and body["sha256"] == source.text_sha256


def test_a_row_that_does_not_exist_is_a_json_404(client, seeded):
    missing = Commitment.objects.order_by("pk").last().pk + 1000
    for address in (f"/api/v1/commitments/{missing}", "/api/v1/sources/no-such-article.txt"):
        response = client.get(address)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert "No row of" in response.json()["detail"]


def test_an_invalid_filter_is_refused_naming_the_parameter_and_its_valid_values(client, seeded):
    response = client.get("/api/v1/commitments/?stance=promise")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["stance"]
    assert body["detail"].startswith("stance: ")
    assert "Valid values: pledge, conditional, refusal, support." in body["detail"]


def test_an_unknown_parameter_is_refused_listing_the_accepted_ones(client, seeded):
    response = client.get("/api/v1/commitments/?stanse=pledge")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("stanse: unknown parameter")
    for accepted in ("stance", "country", "summit", "after", "limit"):
        assert accepted in detail
    assert client.get("/api/v1/commitments/1?stance=pledge").status_code == 400


@pytest.mark.parametrize(
    ("address", "accepted"),
    [("/api/v1/changes/", "after, limit"), ("/api/v1/annotations/", "source, summit, after, limit")],
)
def test_the_feed_and_the_annotations_refuse_an_unknown_parameter_too(client, seeded, address, accepted):
    response = client.get(address + "?sumit=paris-2026")
    assert response.status_code == 400
    assert response.json()["detail"] == f"sumit: unknown parameter; the parameters accepted here are: {accepted}"


@pytest.mark.parametrize("limit", ["0", "-1", "abc", str(API_PAGE_MAX + 1), "1.5"])
def test_a_limit_outside_its_range_is_refused(client, seeded, limit):
    response = client.get(f"/api/v1/commitments/?limit={limit}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"limit: must be a whole number from 1 to {API_PAGE_MAX}")


def test_a_changed_cursor_is_refused(client, seeded):
    cursor = client.get("/api/v1/commitments/?limit=1").json()["next"].split("after=")[1]
    for after in (cursor[:-2] + "xx", "not-a-cursor"):
        response = client.get(f"/api/v1/commitments/?after={after}")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("after: This page link is not valid")
    # The cursor as it was given is taken.
    assert client.get(f"/api/v1/commitments/?after={cursor}").status_code == 200


def test_an_id_that_is_not_a_number_is_a_json_400(client, seeded):
    response = client.get("/api/v1/commitments/abc")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id"]


def test_a_control_character_is_refused_as_json_on_the_api(client, seeded):
    response = client.get("/api/v1/commitments/?q=a%00b")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The address contains a control character")


def test_api_lists_are_served_with_the_page_cache_validators(client, seeded):
    response = client.get("/api/v1/commitments/?stance=pledge")
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    again = client.get("/api/v1/commitments/?stance=pledge", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    Commitment.objects.filter(stance="pledge").update(description="Changed")
    changed = client.get("/api/v1/commitments/?stance=pledge", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert {item["description"] for item in changed.json()["items"]} == {"Changed"}
