"""Countries and organisations: the lists with counts by stance, and each one's page."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from .. import pagination
from ..filters import ACTOR_SORTING, STATEMENT_ORDER, CountryListFilter
from ..models import (
    Commitment,
    Country,
    Organisation,
    Participant,
    Person,
    StanceTally,
    Statement,
    Summit,
)
from ..pagination import KeysetPage, keyset_page
from .common import (
    CITATIONS_WITH_SOURCES,
    STANCES,
    FilteredPage,
    commitments_with_counts,
    filtered,
    filtered_page,
    independent_outlets,
)

# A country's or organisation's commitments: by summit (newest first, as the lists), then category and slug.
# Summit first, because the page's ids then come summit by summit from the actor's index, in order; by category
# first the database would sort every commitment of a category across all summits (a busy country has 200,000).
ACTOR_COMMITMENT_ORDER = ("-summit__start_date", "summit", "category", "slug", "pk")


@dataclass(frozen=True)
class CountryRow:
    """A country or organisation with how many commitments of each stance it made."""

    actor: Country | Organisation
    counts: dict[str, int]
    total: int


def _actor_name(model) -> str:
    return "country" if model is Country else "organisation"


def _rows(model, tallies: QuerySet, actors) -> list[CountryRow]:
    actor = _actor_name(model)
    sums = {stance: Sum("commitment_count", filter=Q(stance=stance), default=0) for stance in STANCES}
    totals = tallies.filter(**{f"{actor}__in": [a.pk for a in actors]}).values(actor).annotate(**sums).order_by()
    counts = {row[actor]: {stance: row[stance] for stance in STANCES} for row in totals}
    return [CountryRow(actor=a, counts=counts[a.pk], total=sum(counts[a.pk].values())) for a in actors]


def _tallies(model, params: Mapping[str, str]) -> tuple[QuerySet, object]:
    # The stance tally has the filter's columns (summit, category, stance), so the one filter serves both.
    tallies, form = filtered(CountryListFilter, params=params, queryset=StanceTally.objects.all())
    return tallies.filter(**{f"{_actor_name(model)}__isnull": False}), form.cleaned_data


def _actor_page(model, *, params: Mapping[str, str], after: str | None) -> FilteredPage:
    def paginate(tallies, cleaned):
        tallies = tallies.filter(**{f"{_actor_name(model)}__isnull": False})
        # Per actor in name order, does a tally match? The page stops after its rows, instead of reading every tally.
        actors = model.objects.filter(Exists(tallies.filter(**{_actor_name(model): OuterRef("pk")})))
        page = keyset_page(actors, ordering=ACTOR_SORTING.ordering(cleaned.get("sort")), after=after)
        return replace(page, rows=_rows(model, tallies, page.rows)).linked(params)

    return filtered_page(CountryListFilter, params=params, queryset=StanceTally.objects.all(), paginate=paginate)


def country_list(*, params: Mapping[str, str], after: str | None = None) -> FilteredPage:
    """Return the page of countries with commitments matching the filters, with counts by stance."""
    return _actor_page(Country, params=params, after=after)


def organisation_list(*, params: Mapping[str, str], after: str | None = None) -> FilteredPage:
    """Return the page of organisations with commitments matching the filters, with counts by stance."""
    return _actor_page(Organisation, params=params, after=after)


def actor_export(*, kind: str, params: Mapping[str, str]) -> list[CountryRow]:
    """Return every country or organisation (`kind`) with matching commitments, for the CSV; may raise InvalidFilter."""
    model = Country if kind == "countries" else Organisation
    tallies, cleaned = _tallies(model, params)
    actors = model.objects.filter(pk__in=tallies.values(_actor_name(model)))
    actors = actors.order_by(*ACTOR_SORTING.ordering(cleaned.get("sort")))
    return _rows(model, tallies, list(actors))


@dataclass(frozen=True)
class SummitGroup:
    summit: Summit
    commitments: list[Commitment]


@dataclass(frozen=True)
class ActorPage:
    """A country's or an organisation's commitments (a page, grouped by summit) and its people's statements."""

    actor: Country | Organisation
    commitments: KeysetPage
    statements: KeysetPage
    participations: list[Participant]
    filter_query: str = field(default="")

    @property
    def groups(self) -> list[SummitGroup]:
        return _group_by_summit(self.commitments.rows)


def _group_by_summit(commitments: list[Commitment]) -> list[SummitGroup]:
    """Return runs of commitments made at one summit, in the order given."""
    groups: list[SummitGroup] = []
    for commitment in commitments:
        if not groups or groups[-1].summit.pk != commitment.summit_id:
            groups.append(SummitGroup(summit=commitment.summit, commitments=[]))
        groups[-1].commitments.append(commitment)
    return groups


def _actor_total(actor_filter: dict, summit: str | None) -> int:
    tallies = StanceTally.objects.filter(**actor_filter, **({"summit__slug": summit} if summit else {}))
    return tallies.aggregate(total=Sum("commitment_count", default=0))["total"]


def _detail_page_size() -> int:
    # Half a list's page: on a country's page each commitment and statement comes with its quotes.
    return max(1, pagination.PAGE_SIZE // 2)


def actor_detail(
    *,
    country: str | None = None,
    organisation: str | None = None,
    summit: str | None = None,
    params: Mapping[str, str] | None = None,
) -> ActorPage:
    """Return a country's (ISO code) or an organisation's (slug) page, optionally limited to one summit.

    `params` are the URL's: `commitments_after` and `statements_after` are the cursors of the two lists.
    """
    params = params or {}
    if country is not None:
        actor = get_object_or_404(Country, code=country.upper())
        people = Q(speaker__country=actor)
        actor_filter = {"country": actor}
    elif organisation is not None:
        actor = get_object_or_404(Organisation, slug=organisation)
        people = Q(speaker__organisation=actor)
        actor_filter = {"organisation": actor}
    else:
        raise Http404("No country or organisation given.")
    summit_filter = {"summit__slug": summit} if summit else {}
    commitments = keyset_page(
        commitments_with_counts()
        .filter(**actor_filter, **summit_filter)
        .annotate(independent_outlets=independent_outlets("commitment"))
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES)),
        ordering=ACTOR_COMMITMENT_ORDER,
        after=params.get("commitments_after"),
        narrow=True,  # a busy country has hundreds of thousands: the page is picked from its index
        size=_detail_page_size(),
    )
    statements = keyset_page(
        Statement.objects.filter(people, **summit_filter)
        .select_related("summit", "speaker")
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES)),
        ordering=STATEMENT_ORDER,
        after=params.get("statements_after"),
        size=_detail_page_size(),
    )
    participations = list(
        Participant.objects.filter(**actor_filter, **summit_filter)
        .select_related("summit")
        .prefetch_related(Prefetch("representatives", queryset=Person.objects.order_by("name")))
        .order_by("summit__start_date")
    )
    query = urlencode(
        {
            **({"country": actor.code} if country else {"organisation": actor.slug}),
            **({"summit": summit} if summit else {}),
        }
    )
    return ActorPage(
        actor=actor,
        commitments=commitments.linked(params, param="commitments_after", total=_actor_total(actor_filter, summit)),
        statements=statements.linked(params, param="statements_after"),
        participations=participations,
        filter_query=query,
    )
