"""Filters as researchers type them (names, any case), sorting by column, and downloads named after their filters."""

import re

import pytest
from django.utils.html import escape

from coalition import pagination
from coalition.filters import COMMITMENT_SORTING, CommitmentFilter
from coalition.models import Citation, Commitment, Source, Statement

from . import factories
from .test_views import listed, next_link, page

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> str:
    return html.split("<tbody>", 1)[1] if "<tbody>" in html else html


def csv_of(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, address
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


def filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


# --- choices render as dropdowns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "names"),
    [
        ("/commitments/", ["category", "stance", "status"]),
        ("/statements/", ["kind"]),
        ("/countries/", ["category", "stance"]),
    ],
)
def test_choice_filters_are_dropdowns_whose_empty_option_reads_any(client, seeded, address, names):
    html = page(client, address)
    for name in names:
        select = html.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>Any</option>' in select
    assert "---------" not in html


def test_a_chosen_value_stays_selected_in_its_dropdown(client, seeded):
    html = page(client, "/commitments/?stance=refusal")
    select = html.split('<select name="stance"', 1)[1].split("</select>", 1)[0]
    assert '<option value="refusal" selected>' in select


# --- countries, summits, speakers, organisations by name ------------------------------------------------------


def test_a_country_by_code_or_name_in_any_case_lists_the_same_commitments(client, seeded):
    french = {escape(c.description) for c in Commitment.objects.filter(country="FR")}
    by_code = rows_of(page(client, "/commitments/?country=FR"))
    assert french and all(description in by_code for description in french)
    assert by_code.count("<tr>") == len(french)
    for value in ("France", "fr", "fRaNcE", "  France "):
        assert rows_of(page(client, f"/commitments/?country={value}")) == by_code, value


def test_a_code_picks_its_country_only_not_every_name_it_is_part_of(client, seeded):
    # "de" is Germany's code and part of many names (e.g. Bangladesh): the code wins.
    shown = rows_of(page(client, "/commitments/?country=de"))
    assert "Germany" in shown and "France" not in shown


def test_the_csvs_take_a_country_by_name_as_the_pages_do(client, seeded):
    for kind in ("commitments", "citations", "statements"):
        by_code = csv_of(client, f"/{kind}.csv?country=FR")[1]
        assert csv_of(client, f"/{kind}.csv?country=france")[1] == by_code
        assert len(by_code.splitlines()) > 1, kind
    assert len(csv_of(client, "/citations.csv?country=FR")[1].splitlines()) - 1 == (
        Citation.objects.filter(commitment__country="FR").count()
        + Citation.objects.filter(statement__speaker__country="FR").count()
    )


def test_statements_by_part_of_the_speakers_name_in_any_case(client, seeded):
    starmers = Statement.objects.filter(speaker__name="Keir Starmer").count()
    assert starmers
    for value in ("starmer", "STARMER", "Keir Starmer", "keir"):
        html = page(client, f"/statements/?speaker={value}")
        assert html.count('<div class="card"') == starmers, value
        assert "Keir Starmer" in html and "Volodymyr Zelenskyy" not in html, value


def test_statements_by_the_speakers_country_name(client, seeded):
    html = page(client, "/statements/?country=united kingdom")
    assert html.count('<div class="card"') == Statement.objects.filter(speaker__country="GB").count()
    assert "Keir Starmer" in html and "Emmanuel Macron" not in html


def test_commitments_by_part_of_an_organisations_name(client, seeded):
    shown = rows_of(page(client, "/commitments/?organisation=commission"))
    expected = Commitment.objects.filter(organisation__slug="european-commission")
    assert expected.exists()
    for commitment in expected:
        assert escape(commitment.description) in shown
    assert shown.count("<tr>") == expected.count()


def test_a_summit_by_its_slug_or_its_name_in_any_case(client, seeded):
    by_slug = rows_of(page(client, "/commitments/?summit=paris-2026"))
    assert rows_of(page(client, "/commitments/?summit=COALITION OF THE WILLING SUMMIT")) == by_slug
    assert rows_of(page(client, "/commitments/?summit=Paris-2026")) == by_slug
    assert by_slug.count("<tr>") == Commitment.objects.count()


def test_a_name_resolves_on_its_small_table_and_the_big_table_is_filtered_by_key(seeded):
    filterset = CommitmentFilter({"country": "france", "summit": "paris-2026"}, queryset=Commitment.objects.all())
    assert filterset.is_valid()
    assert filterset.form.cleaned_data["country"].keys == ("FR",)
    where = str(filterset.qs.query).split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]
    assert "LIKE" not in where.upper() and "coalition_country" not in where and "coalition_summit" not in where


# --- invalid values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/commitments/?stance=maybe", "/commitments.csv?stance=maybe"])
def test_an_unknown_choice_is_refused_with_the_codes_and_their_labels(client, seeded, address):
    html = page(client, address, status=400)
    for code, label in Commitment.Stance.choices:
        assert f"{code} ({label})" in html


@pytest.mark.parametrize("address", ["/commitments/?country=Atlantis", "/statements.csv?country=Atlantis"])
def test_an_unknown_country_is_refused_saying_none_matches_and_where_the_codes_are(client, seeded, address):
    message = page(client, address, status=400)
    assert "No country matches" in message and "Atlantis" in message and "/countries/" in message


def test_an_unknown_speaker_or_summit_is_refused(client, seeded):
    assert "No speaker matches" in page(client, "/statements/?speaker=nobody-of-that-name", status=400)
    assert "No summit matches" in page(client, "/commitments.csv?summit=rome-2031", status=400)


@pytest.mark.parametrize("address", ["/commitments/?sort=colour", "/commitments.csv?sort=colour", "/sources/?sort=x"])
def test_an_unknown_sort_is_refused_with_the_sortable_columns(client, seeded, address):
    message = page(client, address, status=400)
    assert "not a sortable column" in message
    if address.startswith("/commitments"):
        assert ", ".join(COMMITMENT_SORTING.columns) in message


# --- sorting --------------------------------------------------------------------------------------------------


@pytest.fixture
def mixed_commitments():
    """45 commitments: Britain's, France's, Germany's and an organisation's, in three categories, with ties."""
    summit = factories.SummitFactory()
    organisation = factories.OrganisationFactory(name="Alliance of Tests")
    categories = [Commitment.Category.TROOPS, Commitment.Category.SANCTIONS, Commitment.Category.OTHER]
    for n in range(45):
        actor = (
            {"country": None, "organisation": organisation}
            if n % 4 == 0
            else {"country": factories.CountryFactory(code=["GB", "FR", "DE"][n % 3])}
        )
        factories.CommitmentFactory(
            summit=summit,
            category=categories[n * 7 % 3],
            slug=f"c-{n:02d}",
            description=f"Commitment number {n}.",
            **actor,
        )


def walk(client, address):
    """Return the commitments shown on every page of a list, following its "next" links, and the pages' count."""
    shown, pages = [], 0
    while True:
        html = page(client, address)
        shown += listed(html)
        pages += 1
        if 'rel="next"' not in html:
            return shown, pages
        address = address.split("?")[0] + next_link(html, "commitments")


def _by_category(descending=False):
    rows = list(Commitment.objects.values_list("category", "pk", "description"))
    ordered = sorted(rows, key=lambda r: r[1])
    ordered = sorted(ordered, key=lambda r: r[0], reverse=descending)  # stable: ties stay in id order
    return [r[2] for r in ordered]


def _by_actor(descending=False):
    rows = list(Commitment.objects.values_list("country__name", "organisation__name", "pk", "description"))
    ordered = sorted(rows, key=lambda r: r[2])
    ordered = sorted(ordered, key=lambda r: r[1] or "", reverse=descending)
    ordered = sorted(ordered, key=lambda r: r[1] is None)  # NULLs last, either way
    ordered = sorted(ordered, key=lambda r: r[0] or "", reverse=descending)
    ordered = sorted(ordered, key=lambda r: r[0] is None)
    return [r[3] for r in ordered]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("category", lambda: _by_category()),
        ("-category", lambda: _by_category(descending=True)),
        ("actor", lambda: _by_actor()),
        ("-actor", lambda: _by_actor(descending=True)),
    ],
)
def test_sorted_pages_follow_one_another_in_order_with_no_row_lost_or_repeated(
    client, mixed_commitments, monkeypatch, sort, expected
):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 7)
    shown, pages = walk(client, f"/commitments/?sort={sort}")
    assert pages == 7
    assert shown == expected()
    assert len(set(shown)) == Commitment.objects.count() == 45


def test_sorted_and_filtered_pages_keep_both_in_their_links(client, mixed_commitments, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 5)
    html = page(client, "/commitments/?country=gb&sort=-category")
    assert "sort=-category" in next_link(html, "commitments") and "country=gb" in next_link(html, "commitments")
    shown, _ = walk(client, "/commitments/?country=gb&sort=-category")
    british = set(Commitment.objects.filter(country="GB").values_list("description", flat=True))
    assert set(shown) == british and len(shown) == len(british)
    assert shown == [d for d in _by_category(descending=True) if d in british]


def test_a_page_link_made_for_one_order_is_refused_in_another(client, mixed_commitments, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 5)
    cursor_link = next_link(page(client, "/commitments/?sort=category"))
    assert "This page link is not valid" in page(
        client, "/commitments/" + cursor_link.replace("sort=category", "sort=actor"), status=400
    )


def test_column_headers_link_to_the_sort_and_toggle_it_keeping_the_filters(client, mixed_commitments):
    html = page(client, "/commitments/?country=GB&stance=pledge")
    assert '<a href="?country=GB&amp;stance=pledge&amp;sort=category">Category</a>' in html
    sorted_html = page(client, "/commitments/?country=GB&sort=category")
    assert 'aria-sort="ascending"' in sorted_html
    assert 'href="?country=GB&amp;sort=-category"' in sorted_html
    assert 'aria-sort="descending"' in page(client, "/commitments/?sort=-category")


def test_sources_countries_and_statements_sort_by_their_columns(client, seeded):
    quotes = [s.citation_count for s in Source.objects.all()]
    html = page(client, "/sources/?sort=-citations")
    counts = [int(n) for n in re.findall(r'<td data-label="Quotes cited" class="num">(\d+)</td>', html)]
    assert counts == sorted(quotes, reverse=True)
    names = re.findall(
        r'data-label="Country" class="what"><a [^>]*>([^<]+)</a>', page(client, "/countries/?sort=-name")
    )
    assert len(names) > 3 and names == sorted(names, reverse=True)
    statements = page(client, "/statements/?sort=-speaker")
    speakers = re.findall(r'<div class="card" id="[^"]*">\s*<h3>([^<]+?)(?: <span|</h3>)', statements)
    assert speakers and speakers == sorted(speakers, reverse=True)


# --- downloads named after their filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("/commitments.csv", "commitments.csv"),
        ("/commitments.csv?country=FR&stance=refusal", "commitments-FR-refusal.csv"),
        ("/commitments.csv?stance=refusal&country=france", "commitments-FR-refusal.csv"),
        ("/commitments.csv?summit=Coalition of the Willing summit&sort=-actor", "commitments-paris-2026.csv"),
        ("/statements.csv?speaker=starmer", "statements-starmer.csv"),
        ("/citations.csv?country=it&relation=supports", "citations-IT-supports.csv"),
        ("/countries.csv?stance=refusal", "countries-refusal.csv"),
    ],
)
def test_a_download_is_named_after_its_filters(client, seeded, address, name):
    response, _ = csv_of(client, address)
    assert filename(response) == name


def test_a_download_name_keeps_safe_characters_only_and_a_bounded_length(client, seeded):
    response, _ = csv_of(client, "/commitments.csv?q=" + "troops \"/;\\ ' " * 20)
    name = filename(response)
    assert re.fullmatch(r"commitments-[a-z0-9-]+\.csv", name) and len(name) <= 84


def test_the_download_links_on_a_page_carry_its_filters(client, seeded):
    html = page(client, "/commitments/?country=France&stance=conditional")
    assert '/commitments.csv?country=France&amp;stance=conditional"' in html
    assert '/citations.csv?country=France&amp;stance=conditional"' in html
