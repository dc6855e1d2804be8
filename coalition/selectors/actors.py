"""Countries and organisations: the lists with counts by stance, and each one's page."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from ..filters import CountryListFilter
from ..models import (
    Commitment,
    Country,
    Organisation,
    Participant,
    Person,
    StanceTally,
    Statement,
)
from .common import CITATIONS_WITH_SOURCES, STANCES, commitments_with_counts


@dataclass(frozen=True)
class CountryRow:
    """A country or organisation with how many commitments of each stance it made."""

    actor: Country | Organisation
    counts: dict[str, int]
    total: int


def _actor_list(model, *, params: Mapping[str, str]) -> tuple[CountryListFilter, list[CountryRow]]:
    # The stance tally has the filter's columns (summit, category, stance), so the one filter serves both.
    filterset = CountryListFilter(params, queryset=StanceTally.objects.all())
    actor = "country" if model is Country else "organisation"
    sums = {stance: Sum("commitment_count", filter=Q(stance=stance), default=0) for stance in STANCES}
    tallies = filterset.qs.filter(**{f"{actor}__isnull": False}).values(actor).annotate(**sums).order_by()
    counts = {row[actor]: {stance: row[stance] for stance in STANCES} for row in tallies}  # none if invalid
    actors = model.objects.filter(pk__in=list(counts)).order_by("name")
    return filterset, [CountryRow(actor=a, counts=counts[a.pk], total=sum(counts[a.pk].values())) for a in actors]


def country_list(*, params: Mapping[str, str]) -> tuple[CountryListFilter, list[CountryRow]]:
    """Return the filter and every country with commitments matching it, with counts by stance."""
    return _actor_list(Country, params=params)


def organisation_list(*, params: Mapping[str, str]) -> tuple[CountryListFilter, list[CountryRow]]:
    """Return the filter and every organisation with commitments matching it, with counts by stance."""
    return _actor_list(Organisation, params=params)


@dataclass(frozen=True)
class CategoryGroup:
    value: str
    label: str
    commitments: list[Commitment]


@dataclass(frozen=True)
class ActorPage:
    """A country's or an organisation's commitments grouped by category, and its people's statements."""

    actor: Country | Organisation
    groups: list[CategoryGroup]
    statements: list[Statement]
    participations: list[Participant]
    filter_query: str = field(default="")


def _group_by_category(commitments: list[Commitment]) -> list[CategoryGroup]:
    groups = []
    for value, label in Commitment.Category.choices:
        members = [c for c in commitments if c.category == value]
        if members:
            groups.append(CategoryGroup(value=value, label=label, commitments=members))
    return groups


def actor_detail(
    *, country: str | None = None, organisation: str | None = None, summit: str | None = None
) -> ActorPage:
    """Return a country's (ISO code) or an organisation's (slug) page, optionally limited to one summit."""
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
    commitments = list(
        commitments_with_counts()
        .filter(**actor_filter, **summit_filter)
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES))
        .order_by("summit__start_date", "slug")
    )
    statements = list(
        Statement.objects.filter(people, **summit_filter)
        .select_related("summit", "speaker")
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES))
        .order_by("summit__start_date", "speaker__name", "slug")
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
        groups=_group_by_category(commitments),
        statements=statements,
        participations=participations,
        filter_query=query,
    )
