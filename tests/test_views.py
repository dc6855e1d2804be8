import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from coalition import pagination
from coalition.models import Citation, Commitment
from coalition.selectors.actors import ACTOR_COMMITMENT_ORDER

from . import factories

pytestmark = pytest.mark.django_db


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, address
    return response.content.decode()


# --- the real data -------------------------------------------------------------------------------


def test_home_lists_the_paris_summit(client, seeded):
    html = page(client, "/")
    assert "Coalition of the Willing summit" in html
    assert reverse("summit-detail", args=["paris-2026"]) in html


def test_summit_page_shows_the_position_matrix_with_cells_linking_to_the_commitments(client, seeded):
    html = page(client, "/summits/paris-2026/")
    assert "Positions: who will do what" in html
    assert "/commitments/?summit=paris-2026&amp;country=IT&amp;category=troops" in html
    assert "/commitments/?summit=paris-2026&amp;country=GB&amp;category=troops" in html
    assert "stance-refusal" in html and "stance-conditional" in html


def test_summit_page_shows_participants_representatives_documents_and_signatories(client, seeded):
    html = page(client, "/summits/paris-2026/")
    assert "Steve Witkoff" in html and "Jared Kushner" in html
    assert "Declaration of Intent" in html
    assert "Friedrich Merz" in html and "disputed" in html


def test_summit_page_makes_the_disagreements_between_sources_visible(client, seeded):
    html = page(client, "/summits/paris-2026/")
    assert "Where the sources disagree" in html
    assert escape("signed by Macron, Starmer, Merz, and Zelensky") in html


def test_matrix_cell_link_lists_exactly_the_commitments_behind_it(client, seeded):
    html = page(client, "/commitments/?summit=paris-2026&country=IT&category=troops")
    expected = Commitment.objects.filter(country="IT", category="troops")
    assert expected.exists()
    for commitment in expected:
        assert escape(commitment.description) in html
    assert "United Kingdom" not in html.split("<tbody>", 1)[1]


def test_italy_page_shows_its_refusal_to_send_troops_with_its_quote(client, seeded):
    html = page(client, "/countries/IT/")
    refusal = Commitment.objects.get(country="IT", category="troops", stance="refusal")
    assert escape(refusal.description) in html and "stance-refusal" in html
    quote = refusal.citations.first()
    assert escape(quote.quote) in html
    assert reverse("source-detail", args=[quote.source.file_name]) in html


@pytest.mark.parametrize("code", ["GB", "DE"])
def test_country_pages_show_pledges_with_conditions_quotes_and_sources(client, seeded, code):
    html = page(client, f"/countries/{code}/")
    conditional = Commitment.objects.filter(country=code, stance="conditional").first()
    assert escape(conditional.condition) in html
    assert f"<dt>Reported by</dt><dd>{conditional.source_count} sources" in html
    citation = conditional.citations.first()
    assert f"#quote-{citation.pk}" in html


def test_country_codes_in_lower_case_redirect_to_the_one_url(client, seeded):
    response = client.get("/countries/gb/")
    assert response.status_code == 301 and response["Location"] == "/countries/GB/"


def test_unknown_country_is_not_found(client, seeded):
    page(client, "/countries/XX/", status=404)


def test_the_coalition_as_a_whole_has_its_page(client, seeded):
    html = page(client, "/organisations/coalition-of-the-willing/")
    assert "Coalition of the Willing" in html and "Commitments" in html
    assert escape(Commitment.objects.filter(organisation__slug="coalition-of-the-willing").first().description) in html


def test_country_list_counts_commitments_by_stance(client, seeded):
    html = page(client, "/countries/?stance=refusal")
    assert "Italy" in html and "Croatia" in html
    assert "Belgium" not in html  # Belgium pledged, it refused nothing


def test_source_page_highlights_every_cited_quote_and_links_it(client, seeded):
    html = page(client, "/sources/000_3c7132a909154011.txt/")
    citations = Citation.objects.filter(source__file_name="000_3c7132a909154011.txt")
    assert html.count("<mark") >= 1
    for citation in citations:
        assert f'id="quote-{citation.pk}"' in html
        assert f'href="#quote-{citation.pk}"' in html
    assert "not stated in the article" in html  # outlet, author, URL


def test_statements_page_filters_by_speaker_country(client, seeded):
    html = page(client, "/statements/?country=DE")
    assert "Friedrich Merz" in html
    assert "Steve Witkoff" not in html


def test_an_invalid_filter_is_refused_with_a_message_not_ignored(client, seeded):
    html = page(client, "/commitments/?stance=maybe", status=400)
    assert "Select a valid choice" in html
    assert "No commitments match" in html


def test_citations_csv_refuses_a_stance_or_category_it_does_not_know(client, seeded):
    assert "Select a valid choice" in page(client, "/citations.csv?stance=maybe", status=400)
    page(client, "/citations.csv?category=nonsense", status=400)
    response = client.get("/citations.csv?stance=refusal&country=IT")
    rows = response.getvalue().decode().splitlines()[1:]
    assert response.status_code == 200 and rows and all('"refusal"' in row for row in rows)


# --- pages of long lists ---------------------------------------------------------------------------


@pytest.fixture
def many_commitments():
    """120 commitments of Britain's over three summits, in several categories, among 30 of France's."""
    summits = [factories.SummitFactory(start_date=datetime.date(2025 + n % 2, 1 + n, 6)) for n in range(3)]
    categories = [Commitment.Category.TROOPS, Commitment.Category.SANCTIONS, Commitment.Category.OTHER]
    for n in range(150):
        factories.CommitmentFactory(
            summit=summits[n % 3],
            country=factories.CountryFactory(code="GB" if n % 5 else "FR"),
            category=categories[n % 7 % 3],
            slug=f"pledge-{(n * 37) % 150:03d}",
            description=f"Commitment number {n}.",
        )


def listed(html: str) -> list[str]:
    """Return the commitments' descriptions in a page, in the order shown."""
    return re.findall(r"<(?:td[^>]*|strong)>(Commitment number \d+\.)</", html)


def test_page_two_of_a_filtered_list_holds_rows_51_to_100_of_the_whole_list_with_the_filters_kept(
    client, many_commitments
):
    old_order = [c.description for c in Commitment.objects.filter(country="GB")]  # the model's own order
    assert len(old_order) == 120
    first = page(client, "/commitments/?country=gb")
    assert listed(first) == old_order[:50]
    assert "Showing 50 of 120 commitments" in first and 'rel="first"' not in first
    address = "/commitments/" + next_link(first)
    assert "country=gb" in address
    second = page(client, address)
    assert listed(second) == old_order[50:100]
    assert 'rel="first" href="?country=gb"' in second
    third = page(client, "/commitments/" + next_link(second))
    assert listed(third) == old_order[100:] and 'rel="next"' not in third


def test_pages_of_a_countrys_commitments_follow_one_another(client, many_commitments):
    shown = []
    address = "/countries/GB/"
    while True:
        html = page(client, address)
        shown += listed(html)
        if 'aria-label="Pages of commitments"' not in html or 'rel="next"' not in html.split("Pages of commitments")[1]:
            break
        address = "/countries/GB/" + next_link(html, "commitments")
    expected = Commitment.objects.filter(country="GB").order_by(*ACTOR_COMMITMENT_ORDER)  # newest summit first
    assert [c.description for c in expected] == shown


@pytest.mark.parametrize(
    "address",
    ["/commitments/?after=nonsense", "/?after=W10:abc:def", "/countries/GB/?commitments_after=x", "/sources/?after=x"],
)
def test_a_page_link_changed_by_hand_is_refused_with_a_message(client, many_commitments, address):
    assert "This page link is not valid" in page(client, address, status=400)


# --- query counts ---------------------------------------------------------------------------------


class SummitBuilder:
    """Grows one summit country by country: a participant, a signatory, commitments, a statement, citations."""

    def __init__(self):
        self.summit = factories.SummitFactory(slug="s")
        self.source = factories.SourceFactory()
        self.organisation = factories.OrganisationFactory(slug="coalition")
        self.document = factories.DocumentFactory(summit=self.summit)

    def add(self, *codes):
        for code in codes:
            country = factories.CountryFactory(code=code)
            person = factories.PersonFactory(country=country)
            factories.ParticipantFactory(summit=self.summit, country=country, representatives=[person])
            factories.SignatoryFactory(document=self.document, person=person)
            for actor in ({"country": country}, {"country": None, "organisation": self.organisation}):
                commitment = factories.CommitmentFactory(summit=self.summit, **actor)
                factories.CitationFactory(source=self.source, commitment=commitment)
            statement = factories.StatementFactory(summit=self.summit, speaker=person)
            factories.CitationFactory(source=self.source, commitment=None, statement=statement, quote="Italy said")
            discrepancy = factories.DiscrepancyFactory(summit=self.summit)
            factories.CitationFactory(source=self.source, commitment=None, discrepancy=discrepancy, quote="Leaders")


# A name filter (here ?summit=s) costs one query on its small table, resolving the name to the summit's key.
PAGES = {
    "home": ("/", 3),
    "summit": ("/summits/s/", 12),
    "commitments": ("/commitments/?summit=s", 4),
    "statements": ("/statements/?summit=s", 5),
    "sorted commitments": ("/commitments/?summit=s&sort=-actor", 4),
    "sorted statements": ("/statements/?sort=speaker", 4),
    "countries": ("/countries/", 3),
    "organisations": ("/organisations/", 3),
    "country": ("/countries/GB/", 9),
    "organisation": ("/organisations/coalition/", 7),
    "sources": ("/sources/", 2),
    "sorted sources": ("/sources/?sort=-citations", 2),
    "source": ("/sources/{source}/", 3),
    "commitments.csv": ("/commitments.csv", 2),
    "citations.csv": ("/citations.csv", 2),
    "statements.csv": ("/statements.csv", 2),
    "sources.csv": ("/sources.csv", 2),
    "countries.csv": ("/countries.csv", 3),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_number_of_rows(client, django_assert_num_queries, name):
    address, queries = PAGES[name]
    builder = SummitBuilder()
    for codes in (["GB", "FR"], ["DE", "IT", "PL", "UA", "US", "BE"]):
        builder.add(*codes)
        with django_assert_num_queries(queries):
            response = client.get(address.format(source=builder.source.file_name))
            assert response.status_code == 200
            response.getvalue()


# Lists of more than one page: the second page, reached by its "next" link, runs as many queries as the first.
PAGED = {
    "home": ("/", 3),
    "summit commitments": ("/summits/s/", 12),
    "summit statements": ("/summits/s/", 12),
    "commitments": ("/commitments/?summit=s", 4),
    "statements": ("/statements/?summit=s", 5),
    "sorted commitments": ("/commitments/?summit=s&sort=-category", 4),
    "sorted statements": ("/statements/?sort=-said_on", 4),
    "countries": ("/countries/", 3),
    "sorted countries": ("/countries/?sort=-name", 3),
    "country statements": ("/countries/GB/", 9),
    "organisation commitments": ("/organisations/coalition/", 7),
    "sources": ("/sources/", 2),
    "sorted sources": ("/sources/?sort=published_on", 2),
}


def next_link(html: str, noun: str | None = None) -> str:
    """Return the address of the first "next page" link (of the list of `noun`, if given) in a page."""
    if noun:
        html = html.split(f'aria-label="Pages of {noun}"', 1)[1]
    return html.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


@pytest.mark.parametrize("name", PAGED)
def test_a_second_page_runs_a_fixed_number_of_queries_too(client, django_assert_num_queries, monkeypatch, name):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 1)
    address, queries = PAGED[name]
    builder = SummitBuilder()
    for summit in range(3):  # the home page lists summits: make more than one page of them
        factories.SummitFactory(slug=f"extra-{summit}")
    for index in range(3):  # more than one page of sources
        factories.SourceFactory(file_name=f"extra_{index}.txt")
    noun = name.split()[-1] if " " in name else None
    for codes in (["GB", "FR"], ["DE", "IT", "PL", "UA", "US", "BE"]):
        builder.add(*codes)
        factories.StatementFactory(summit=builder.summit, speaker=factories.PersonFactory(country_id="GB"))
        first = page(client, address)
        second = address.split("?")[0] + next_link(first, noun)
        with django_assert_num_queries(queries):
            page(client, second)


def test_an_unknown_address_gets_the_sites_not_found_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()
