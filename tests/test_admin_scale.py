"""The editing interface at scale: fixed query counts for every list, filter, sort and export; deep pages right."""

import csv
import io

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition import models
from coalition.admin import scale

from . import factories
from .test_admin import FACTORIES, make, url

pytestmark = pytest.mark.django_db

MODELS = [*FACTORIES, models.Country]


def queries_of(client, address, method="get", **data):
    getattr(client, method)(address, data)  # warm the per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(address, data)
        assert response.status_code == 200, address
        response.getvalue()
    return len(queries), response


def list_addresses(client, model) -> list[str]:
    """Return the changelist's own address, one per filter choice and one per sortable column and direction."""
    base = url(model, "changelist")
    cl = client.get(base).context["cl"]
    addresses = [base]
    for spec in cl.filter_specs:
        chosen = [choice["query_string"] for choice in spec.choices(cl) if not choice["selected"]]
        addresses += [base + query for query in chosen[:1]]
    for number, _header in enumerate(cl.list_display):
        if number and cl.get_ordering_field(_header) and _header in (cl.sortable_by or [_header]):
            addresses += [f"{base}?o={number}", f"{base}?o=-{number}"]
    return addresses


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_filter_and_sort_runs_the_same_queries_for_one_row_as_for_five(admin_client, model):
    make(model)
    addresses = list_addresses(admin_client, model)
    few = {address: queries_of(admin_client, address)[0] for address in addresses}
    for _ in range(4):
        make(model)
    assert {address: queries_of(admin_client, address)[0] for address in addresses} == few


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_export_runs_the_same_queries_for_one_row_as_for_five(admin_client, model):
    make(model)
    address = reverse(f"admin:coalition_{model._meta.model_name}_export")
    page = admin_client.get(address).context["form"]
    data = {name: "on" for name, field in page.fields.items() if getattr(field, "is_selectable_field", False)}
    data |= {"format": "0", "resource": "0"}
    few, response = queries_of(admin_client, address, "post", **data)
    rows = len(list(csv.DictReader(io.StringIO(response.content.decode()))))
    for _ in range(4):
        make(model)
    many, response = queries_of(admin_client, address, "post", **data)
    if model is not models.Country:  # the countries are all there at both sizes
        assert len(list(csv.DictReader(io.StringIO(response.content.decode())))) > rows
    assert many == few


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(admin.site._registry[models.Commitment], "list_per_page", 2)


@pytest.fixture
def seven_commitments():
    summit = factories.SummitFactory()
    stances = ["pledge", "refusal", "support", "pledge", "refusal", "support", "pledge"]
    return [factories.CommitmentFactory(summit=summit, stance=stance, condition="") for stance in stances]


def pages_of(client, query: str, count: int) -> list[list[int]]:
    base = url(models.Commitment, "changelist")
    return [
        [c.pk for c in client.get(f"{base}?{query}p={page}").context["cl"].result_list] for page in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "query, ordering",
    [("", ["-pk"]), ("o=3&", ["stance", "pk"]), ("o=-3&", ["-stance", "-pk"]), ("o=7&", ["source_count", "pk"])],
    ids=["newest first", "by stance", "by stance descending", "by sources"],
)
def test_every_page_holds_the_rows_of_that_page_in_order_also_those_read_from_the_end(
    admin_client, two_per_page, seven_commitments, query, ordering
):
    expected = list(models.Commitment.objects.order_by(*ordering).values_list("pk", flat=True))
    pages = pages_of(admin_client, query, 4)
    assert pages == [expected[0:2], expected[2:4], expected[4:6], expected[6:7]]


def test_the_last_page_is_linked_with_class_end(admin_client, two_per_page, seven_commitments):
    content = admin_client.get(url(models.Commitment, "changelist")).content.decode()
    assert 'href="?p=4" class="end"' in content


def test_past_the_exact_limit_the_count_is_estimated_on_postgresql_and_the_last_page_is_still_the_end(
    admin_client, two_per_page, seven_commitments, monkeypatch
):
    monkeypatch.setattr(scale, "EXACT_COUNT_LIMIT", 3)
    response = admin_client.get(url(models.Commitment, "changelist"))
    cl = response.context["cl"]
    estimated = connection.vendor == "postgresql"
    assert cl.paginator.estimated is estimated
    assert ("about " in response.content.decode()) is estimated
    # The estimate is the planner's (at least what was counted); SQLite counts exactly.
    assert cl.result_count >= 4 if estimated else cl.result_count == 7
    pages = cl.paginator.num_pages
    last = admin_client.get(url(models.Commitment, "changelist"), {"p": pages}).context["cl"]
    newest_first = list(models.Commitment.objects.order_by("-pk").values_list("pk", flat=True))
    shown = cl.result_count - (pages - 1) * 2  # what the last page holds by the (estimated) total
    assert [c.pk for c in last.result_list] == newest_first[-shown:]


def test_stored_source_counts_are_shown_and_sortable(admin_client):
    cited = make(models.Commitment)
    factories.CommitmentFactory(summit=cited.summit)
    response = admin_client.get(url(models.Commitment, "changelist"), {"o": "-7"})
    assert [c.pk for c in response.context["cl"].result_list][0] == cited.pk
    assert cited.source_count == 0 and models.Commitment.objects.get(pk=cited.pk).source_count == 1


def test_the_outlet_filter_lists_each_outlet_once_in_order(admin_client):
    for outlet in ["Le Monde", "BBC", "Le Monde", ""]:
        factories.SourceFactory(outlet=outlet)
    expected = sorted(set(models.Source.objects.values_list("outlet", flat=True)))
    assert scale.distinct_values(models.Source, "outlet") == expected
    cl = admin_client.get(url(models.Source, "changelist")).context["cl"]
    outlets = next(spec for spec in cl.filter_specs if spec.lookup_kwarg == "outlet")
    assert list(outlets.lookup_choices) == expected


def test_a_column_not_offered_for_sorting_is_not_sorted_by_whatever_the_address_says(admin_client):
    for condition in ("b", "a", "c"):
        factories.CommitmentFactory(condition=condition)
    base = url(models.Commitment, "changelist")
    cl = admin_client.get(base).context["cl"]
    column = cl.list_display.index("condition")
    sorted_by_it = admin_client.get(f"{base}?o={column}").context["cl"]
    assert sorted_by_it.get_ordering_field_columns() == {}  # "?o=" naming it is ignored, and not shown as sorted
    assert "condition" not in str(sorted_by_it.queryset.query.order_by)
    assert [c.condition for c in sorted_by_it.result_list] == [c.condition for c in cl.result_list]
    offered = cl.list_display.index("stance")
    by_stance = admin_client.get(f"{base}?o={offered}").context["cl"]
    assert by_stance.get_ordering_field_columns() == {offered: "asc"}
    assert "stance" in str(by_stance.queryset.query.order_by)
