import datetime

import pytest
from django.http import QueryDict
from django.utils.http import urlencode

from coalition.filters import COMMITMENT_ORDER
from coalition.models import Commitment
from coalition.pagination import InvalidCursor, keyset_page

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitments():
    """Commitments over three summits (two on one day), by countries and organisations, in mixed categories."""
    summits = [
        factories.SummitFactory(name="B summit", start_date=datetime.date(2026, 1, 6)),
        factories.SummitFactory(name="A summit", start_date=datetime.date(2026, 1, 6)),
        factories.SummitFactory(name="Older summit", start_date=datetime.date(2025, 3, 2)),
    ]
    organisations = [factories.OrganisationFactory(name=name) for name in ("NATO", "European Union")]
    countries = [factories.CountryFactory(code=code) for code in ("GB", "FR", "DE")]
    categories = [Commitment.Category.TROOPS, Commitment.Category.SANCTIONS]
    rows = []
    for n in range(27):
        actor = {"country": countries[n % 3]} if n % 4 else {"country": None, "organisation": organisations[n % 2]}
        rows.append(
            factories.CommitmentFactory(
                summit=summits[n % 3], category=categories[n % 2], slug=f"c-{(n * 7) % 5}-{n}", **actor
            )
        )
    return rows


def expected_order(rows):
    def key(c):
        return (
            -c.summit.start_date.toordinal(),
            c.summit.name,
            c.summit_id,
            (c.country is None, c.country.name if c.country else ""),
            (c.organisation is None, c.organisation.name if c.organisation else ""),
            c.category,
            c.slug,
            c.pk,
        )

    return [c.pk for c in sorted(rows, key=key)]


def walk(queryset, ordering, size):
    pks, after, pages = [], None, 0
    while True:
        page = keyset_page(queryset, ordering=ordering, after=after, size=size)
        pages += 1
        assert page.is_first == (after is None)
        pks += [row.pk for row in page.rows]
        if not page.has_next:
            return pks, pages
        after = page.next_cursor


def test_pages_in_turn_hold_every_row_once_in_the_lists_order_nulls_last(commitments):
    pks, pages = walk(Commitment.objects.all(), COMMITMENT_ORDER, size=4)
    assert pks == expected_order(commitments)
    assert pages == 7  # 27 rows, 4 a page


def test_descending_nullable_columns_put_nulls_last_too(commitments):
    pks, _ = walk(Commitment.objects.all(), ("-organisation__name", "-pk"), size=5)
    named = sorted((c for c in commitments if c.organisation), key=lambda c: (c.organisation.name, c.pk), reverse=True)
    unnamed = sorted((c for c in commitments if not c.organisation), key=lambda c: c.pk, reverse=True)
    assert pks == [c.pk for c in named + unnamed]


def test_a_full_last_page_has_no_next_page(commitments):
    page = keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=None, size=27)
    assert len(page) == 27 and not page.has_next


def test_a_filtered_queryset_is_paged_within_its_filter(commitments):
    gb = Commitment.objects.filter(country="GB")
    pks, _ = walk(gb, COMMITMENT_ORDER, size=2)
    assert pks == expected_order([c for c in commitments if c.country_id == "GB"])


@pytest.mark.parametrize("cursor", ["garbage", "", "a:b:c", "W10:1sX:abc"])
def test_a_made_up_cursor_is_refused(commitments, cursor):
    if not cursor:
        assert keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=cursor, size=3).is_first
        return
    with pytest.raises(InvalidCursor):
        keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=cursor, size=3)


def test_a_changed_cursor_is_refused(commitments):
    cursor = keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=None, size=3).next_cursor
    changed = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    with pytest.raises(InvalidCursor):
        keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=changed, size=3)


def test_a_cursor_of_one_order_is_refused_by_a_list_in_another(commitments):
    cursor = keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=None, size=3).next_cursor
    with pytest.raises(InvalidCursor):
        keyset_page(Commitment.objects.all(), ordering=("slug", "pk"), after=cursor, size=3)


def test_an_ordering_must_end_with_the_primary_key():
    with pytest.raises(ValueError, match="primary key"):
        keyset_page(Commitment.objects.all(), ordering=("slug",), after=None)


def test_links_keep_every_other_parameter_and_replace_the_cursor(commitments):
    page = keyset_page(Commitment.objects.all(), ordering=COMMITMENT_ORDER, after=None, size=3)
    linked = page.linked(QueryDict("country=GB&category=troops&category=sanctions&after=old"), total=9)
    cursor = urlencode({"after": page.next_cursor})
    assert linked.next_query == f"country=GB&category=troops&category=sanctions&{cursor}"
    assert linked.first_query == "country=GB&category=troops&category=sanctions"
    assert linked.total == 9
