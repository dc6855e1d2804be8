"""The reading view: citing a selected passage at its offsets, its permissions, its links and its queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.models import Citation, Source

from . import factories

pytestmark = pytest.mark.django_db

QUOTE = "would not send troops"


def read_url(source, query=""):
    return reverse("admin:coalition_source_read", args=[source.pk]) + query


def cite_url(source):
    return reverse("admin:coalition_source_cite", args=[source.pk])


def post(client, source, commitment, start, quote, **extra):
    data = {"subject": f"commitment:{commitment.pk}", "start": start, "end": start + len(quote), "quote": quote}
    return client.post(cite_url(source), {**data, "relation": "supports", "note": "", **extra})


@pytest.fixture
def source():
    return factories.SourceFactory(text=factories.ARTICLE + " Italy would not send troops, it said again.")


def test_a_linker_cites_the_selected_occurrence_and_the_history_names_them(client, linker, source):
    client.force_login(linker)
    commitment = factories.CommitmentFactory()
    second = source.text.rindex(QUOTE)
    assert source.text.index(QUOTE) != second
    response = post(client, source, commitment, second, QUOTE)
    assert response.status_code == 201, response.content
    citation = Citation.objects.get()
    assert (citation.start, citation.end, citation.commitment) == (second, second + len(QUOTE), commitment)
    assert citation.history.get().history_user == linker
    data = response.json()
    assert f'data-citations="{citation.pk}"' in data["text_html"]
    assert f"citation-{citation.pk}" in data["citations_html"]


def test_offsets_count_code_points_as_python_does(client, linker):
    source = factories.SourceFactory(text="Flags 🇺🇦 then: Kyiv welcomed the pledge.")
    client.force_login(linker)
    quote = "Kyiv welcomed"
    start = source.text.index(quote)
    assert post(client, source, factories.CommitmentFactory(), start, quote).status_code == 201
    assert Citation.objects.get().start == start


@pytest.mark.parametrize(
    ("shift", "quote"), [(1, QUOTE), (0, "would not send tanks")], ids=["moved", "different words"]
)
def test_a_selection_that_is_not_the_stored_text_is_refused_with_a_message(client, linker, source, shift, quote):
    client.force_login(linker)
    response = post(client, source, factories.CommitmentFactory(), source.text.index(QUOTE) + shift, quote)
    assert response.status_code == 400
    assert "reload the page and select the passage again" in " ".join(response.json()["errors"])
    assert not Citation.objects.exists()


def test_a_duplicate_is_a_message_naming_the_existing_citation(client, linker, source):
    client.force_login(linker)
    commitment = factories.CommitmentFactory()
    start = source.text.index(QUOTE)
    assert post(client, source, commitment, start, QUOTE).status_code == 201
    response = post(client, source, commitment, start, QUOTE)
    assert response.status_code == 400
    assert "The existing citation" in " ".join(response.json()["errors"])
    assert Citation.objects.count() == 1


def test_a_record_that_is_not_there_is_a_message(client, linker, source):
    client.force_login(linker)
    start = source.text.index(QUOTE)
    data = {"subject": "commitment:999999", "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    response = client.post(cite_url(source), {**data, "relation": "supports"})
    assert response.status_code == 400
    assert "no longer exists" in " ".join(response.json()["errors"])


def test_a_researcher_may_read_but_not_cite(client, researcher, source):
    client.force_login(researcher)
    assert client.get(read_url(source)).status_code == 200
    assert 'id="cite-form"' not in client.get(read_url(source)).content.decode()
    start = source.text.index(QUOTE)
    assert post(client, source, factories.CommitmentFactory(), start, QUOTE).status_code == 403
    assert not Citation.objects.exists()


def test_saving_takes_a_post_with_the_csrf_token(linker, source):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(linker)
    assert client.get(cite_url(source)).status_code == 405
    assert post(client, source, factories.CommitmentFactory(), source.text.index(QUOTE), QUOTE).status_code == 403


def test_the_record_search_finds_each_kind_by_its_words(client, linker):
    client.force_login(linker)
    commitment = factories.CommitmentFactory(description="Will patrol the Black Sea.")
    statement = factories.StatementFactory(text="We will patrol the Black Sea together.")
    response = client.get(reverse("admin:coalition_source_records"), {"q": "black patrol"})
    keys = [result["key"] for result in response.json()["results"]]
    assert keys == [f"commitment:{commitment.pk}", f"statement:{statement.pk}"]


def test_a_record_page_links_to_citing_it_with_the_record_chosen(admin_client, source):
    commitment = factories.CommitmentFactory()
    page = admin_client.get(reverse("admin:coalition_commitment_change", args=[commitment.pk])).content.decode()
    picker = reverse("admin:coalition_source_pick") + f"?commitment={commitment.pk}"
    assert f'href="{picker}"' in page
    listed = admin_client.get(picker).content.decode()
    assert f'href="{read_url(source, f"?commitment={commitment.pk}")}"' in listed
    reading = admin_client.get(read_url(source, f"?commitment={commitment.pk}")).content.decode()
    assert f'<option value="commitment:{commitment.pk}" selected>' in reading


def test_the_source_list_and_page_link_to_the_reading_view(admin_client, source):
    assert read_url(source) in admin_client.get(reverse("admin:coalition_source_changelist")).content.decode()
    change_page = admin_client.get(reverse("admin:coalition_source_change", args=[source.pk])).content.decode()
    assert read_url(source) in change_page


def test_the_text_is_rendered_with_each_piece_at_its_offset_and_carriage_returns_kept(admin_client):
    source = factories.SourceFactory(text="One.\r\nTwo <b> three.")
    citation = factories.CitationFactory(source=source, quote="Two <b>")
    page = admin_client.get(read_url(source)).content.decode()
    assert '<span data-start="0">One.&#13;\n</span>' in page
    assert f'data-start="{citation.start}" data-citations="{citation.pk}"' in page
    assert "Two &lt;b&gt;" in page


def test_malformed_or_missing_sources_are_404(admin_client):
    assert admin_client.get("/admin/coalition/source/abc/read/").status_code == 404
    assert admin_client.get("/admin/coalition/source/999999/read/").status_code == 404


def query_count(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_reading_view_queries_do_not_grow_with_citations(admin_client, source):
    factories.CitationFactory(source=source)
    few = query_count(admin_client, read_url(source))
    for _ in range(4):
        factories.CitationFactory(source=source, commitment=factories.CommitmentFactory())
    assert query_count(admin_client, read_url(source)) == few
    statement = factories.StatementFactory()
    factories.CitationFactory(source=source, commitment=None, statement=statement, quote="Leaders met in Paris")
    assert query_count(admin_client, read_url(source)) == few
    assert Source.objects.count() == 1


def test_a_passage_named_in_the_address_is_handed_to_the_page_when_it_is_in_the_text(admin_client, source):
    page = admin_client.get(read_url(source, "?start=5&end=9")).content.decode()
    assert 'data-select-start="5" data-select-end="9"' in page
    for query in ("?start=9&end=5", f"?start=0&end={len(source.text) + 1}", "?start=x&end=2"):
        assert "data-select-start" not in admin_client.get(read_url(source, query)).content.decode()


def test_the_reading_view_shows_the_cited_share_of_the_source(admin_client, seeded):
    from coalition.selectors.coverage import source_coverage

    source = Source.objects.get(file_name="003_956742e99323d69f.txt")
    share = source_coverage(source=source)
    assert 0 < share < 1
    page = admin_client.get(read_url(source)).content.decode()
    assert f"Cited share (as the page loaded): {round(100 * share)}%" in page
