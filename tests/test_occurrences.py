"""The position is the user's choice: a quote found several times in its source is placed where the user says."""

import pytest
from django.urls import reverse

from coalition.formats import CSV
from coalition.importers import ImportRefused, import_dataset
from coalition.models import Citation
from coalition.quotes import occurrences
from coalition.resources import CitationResource

from . import factories

pytestmark = pytest.mark.django_db

TWICE = "Leaders met. Italy would not send troops. Later, Italy would not send troops, it said again."
QUOTE = "Italy would not send troops"
SECOND = TWICE.rindex(QUOTE)


@pytest.fixture
def source():
    return factories.SourceFactory(text=TWICE)


def test_occurrences_lists_every_start_overlapping_ones_too():
    assert occurrences("aaa", "aa") == [0, 1]
    assert occurrences(TWICE, QUOTE) == [TWICE.index(QUOTE), SECOND]
    assert occurrences(TWICE, "tanks") == []


def add(client, source, commitment, **extra):
    data = {"commitment": commitment.pk, "source": source.pk, "relation": "supports", "quote": QUOTE, "note": ""}
    return client.post(reverse("admin:coalition_citation_add"), {**data, **extra})


def test_the_citation_form_asks_which_occurrence_showing_each_in_context(admin_client, source):
    commitment = factories.CommitmentFactory()
    response = add(admin_client, source, commitment)
    assert response.status_code == 200
    page = response.content.decode()
    assert "occurs 2 times in source" in page
    assert f'value="{SECOND}"' in page and f"at character {SECOND}: " in page and "<mark>" in page
    assert not Citation.objects.exists()
    assert add(admin_client, source, commitment, occurrence=SECOND).status_code == 302
    assert Citation.objects.get().start == SECOND


def test_a_quote_found_once_needs_no_choice(admin_client):
    source = factories.SourceFactory(text="Only once: Italy would not send troops.")
    assert add(admin_client, source, factories.CommitmentFactory()).status_code == 302
    assert Citation.objects.get().start == source.text.index(QUOTE)


def test_editing_keeps_the_chosen_occurrence_and_offers_it_checked(admin_client, source):
    citation = factories.CitationFactory(source=source, quote=QUOTE, start=SECOND)
    assert citation.start == SECOND
    url = reverse("admin:coalition_citation_change", args=[citation.pk])
    page = admin_client.get(url).content.decode()
    assert f'value="{SECOND}"' in page and "checked" in page
    form = {"commitment": citation.commitment_id, "source": source.pk, "relation": "supports", "quote": QUOTE}
    assert admin_client.post(url, {**form, "note": "kept"}).status_code == 302
    citation.refresh_from_db()
    assert (citation.start, citation.note) == (SECOND, "kept")


def test_the_commitment_inline_asks_too(admin_client, source):
    commitment = factories.CommitmentFactory()
    url = reverse("admin:coalition_commitment_change", args=[commitment.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    management = {"citations-TOTAL_FORMS": 1, "citations-INITIAL_FORMS": 0, "citations-MIN_NUM_FORMS": 0}
    row = {"citations-0-source": source.pk, "citations-0-quote": QUOTE, "citations-0-relation": "supports"}
    response = admin_client.post(url, {**data, **management, **row})
    assert "occurs 2 times in source" in response.content.decode()
    assert admin_client.post(url, {**data, **management, **row, "citations-0-occurrence": SECOND}).status_code == 302
    assert Citation.objects.get().start == SECOND


def test_a_researcher_sees_a_citation_page_without_the_choice(client, researcher, source):
    citation = factories.CitationFactory(source=source, quote=QUOTE, start=SECOND)
    client.force_login(researcher)
    assert client.get(reverse("admin:coalition_citation_change", args=[citation.pk])).status_code == 200


HEADER = "summit,subject_type,subject,source,quote,relation,note,start"


def rows(commitment, source, *starts):
    key = f"{commitment.summit.slug},commitment,{commitment.slug},{source.file_name},{QUOTE},supports,"
    return CSV().create_dataset("\n".join([HEADER, *(f"{key},{start}" for start in starts)]) + "\n")


def test_import_keeps_the_start_given_and_places_a_row_without_one_first(source):
    commitment = factories.CommitmentFactory()
    import_dataset(CitationResource, rows(commitment, source, ""), label="f")
    assert list(Citation.objects.values_list("start", flat=True)) == [TWICE.index(QUOTE)]
    import_dataset(CitationResource, rows(commitment, source, SECOND), label="f")
    assert sorted(Citation.objects.values_list("start", flat=True)) == occurrences(TWICE, QUOTE)
    for start in (SECOND, ""):  # the same rows again name the citations they made
        result = import_dataset(CitationResource, rows(commitment, source, start), label="f")
        assert result.totals["new"] == 0 and Citation.objects.count() == 2


def test_import_refuses_a_start_that_does_not_begin_the_quote(source):
    with pytest.raises(ImportRefused) as refused:
        import_dataset(CitationResource, rows(factories.CommitmentFactory(), source, SECOND + 1), label="f")
    assert f"does not begin the quote; it begins at character(s) {TWICE.index(QUOTE)}, {SECOND}" in str(
        refused.value.messages if hasattr(refused.value, "messages") else refused.value
    )
    assert not Citation.objects.exists()
