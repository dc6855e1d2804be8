"""Records tell themselves apart wherever one is picked, and the admin's search finds them by what people type."""

from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.models import Commitment, Discrepancy, Statement

from . import factories

pytestmark = pytest.mark.django_db

RECORDS = [Commitment, Statement, Discrepancy]


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_no_two_records_of_the_fixtures_share_a_label(seeded, model):
    records = list(model.objects.all())
    assert len(records) > 1
    same = [(a.slug, b.slug) for a, b in combinations(records, 2) if str(a) == str(b)]
    assert not same


def test_a_commitment_label_says_actor_stance_category_words_and_key(seeded):
    commitment = Commitment.objects.get(slug="fr-troops-after-ceasefire")
    label = str(commitment)
    assert label.startswith("France · conditional · troops — ")
    assert label.endswith(f"({commitment.summit.slug}/fr-troops-after-ceasefire)")


def autocomplete(client, field, term=""):
    """Return the labels the citation form's autocomplete offers for `field` and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "coalition", "model_name": "citation", "field_name": field, "term": term},
        )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]], len(queries)


FACTORIES = {
    Commitment: factories.CommitmentFactory,
    Statement: factories.StatementFactory,
    Discrepancy: factories.DiscrepancyFactory,
}


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_the_autocomplete_offers_distinct_labels_in_the_same_queries_for_more_rows(admin_client, model):
    field = model._meta.model_name
    FACTORIES[model].create_batch(2)
    labels, few = autocomplete(admin_client, field)
    assert len(labels) == len(set(labels)) == 2
    FACTORIES[model].create_batch(15)
    labels, more = autocomplete(admin_client, field)
    assert len(labels) == len(set(labels)) == 17
    assert more == few


@pytest.mark.parametrize(
    "model, term, slug",
    [
        (Commitment, "fr-troops-after-ceasefire", "fr-troops-after-ceasefire"),  # its slug
        (Commitment, "Italy", "it-no-troops"),  # its country's name
        (Commitment, "Coalition of the Willing", None),  # an organisation's name: any of its commitments
        (Commitment, "multinational force", None),  # words of its description
        (Statement, "Macron", None),  # its speaker
    ],
)
def test_admin_search_finds_a_record_by_slug_actor_speaker_or_words(seeded, admin_client, model, term, slug):
    found, _ = autocomplete(admin_client, model._meta.model_name, term)
    listed = admin_client.get(reverse(f"admin:coalition_{model._meta.model_name}_changelist"), {"q": term})
    rows = listed.context["cl"].result_list
    assert found and rows
    assert len(found) == len(rows) or len(found) == 20  # the autocomplete's page
    if slug:
        assert slug in {row.slug for row in rows}
    if model is Statement:  # every one of the speaker's, whatever its text says
        assert set(Statement.objects.filter(speaker__name__endswith=term)) <= set(rows)
