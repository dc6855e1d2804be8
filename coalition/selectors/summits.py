"""Summits: the list, and a summit's page with its position matrix."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode

from ..models import (
    Commitment,
    Country,
    Discrepancy,
    Document,
    Organisation,
    Participant,
    Person,
    Signatory,
    StanceTally,
    Summit,
)
from ..pagination import KeysetPage, keyset_page
from .common import CITATIONS_WITH_SOURCES, STANCES, commitments_with_counts
from .records import statements_with_quotes

SUMMIT_ORDER = ("-start_date", "name", "pk")
# A summit's own commitments and statements: as in the lists of all of them, within one summit.
SUMMIT_COMMITMENT_ORDER = ("country__name", "organisation__name", "category", "slug", "pk")
SUMMIT_STATEMENT_ORDER = ("speaker__name", "slug", "pk")


def summit_list(*, params: Mapping[str, str], after: str | None = None) -> KeysetPage:
    """Return the page of summits (newest first) after the cursor `after`, with their stored counts and total."""
    page = keyset_page(Summit.objects.select_related("host_country"), ordering=SUMMIT_ORDER, after=after)
    return page.linked(params, total=Summit.objects.count())  # summits number hundreds, not millions


@dataclass(frozen=True)
class MatrixCell:
    """The stances one actor took in one category, and the query string of the commitments behind them."""

    stances: tuple[tuple[str, str], ...]  # (value, label), in the order of Commitment.Stance
    query: str
    href: str  # the commitment list with that query


@dataclass(frozen=True)
class MatrixRow:
    actor: Country | Organisation
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class PositionMatrix:
    """Countries and organisations × categories: who pledged, conditioned, refused or supported what."""

    categories: tuple[tuple[str, str], ...]
    rows: tuple[MatrixRow, ...]


def position_matrix(tallies: list[tuple], summit_slug: str) -> PositionMatrix:
    """Return the actor × category matrix of a summit's stance tallies (countries first, then organisations).

    Each tally is (country code, country name, organisation slug, organisation name, category, stance).
    """
    used = {tally[4] for tally in tallies}
    categories = tuple((value, label) for value, label in Commitment.Category.choices if value in used)
    stance_labels = dict(Commitment.Stance.choices)
    by_actor: dict[tuple[int, str], dict[str, set[str]]] = {}
    actors: dict[tuple[int, str], Country | Organisation] = {}
    for code, country_name, slug, organisation_name, category, stance in tallies:
        key = (0, country_name) if code else (1, organisation_name)
        if key not in actors:
            actors[key] = (
                Country(code=code, name=country_name) if code else Organisation(slug=slug, name=organisation_name)
            )
        by_actor.setdefault(key, {}).setdefault(category, set()).add(stance)
    commitment_list = reverse("commitment-list")
    rows = []
    for key in sorted(by_actor):
        actor = actors[key]
        actor_param = {"country": actor.code} if isinstance(actor, Country) else {"organisation": actor.slug}
        cells = []
        for category, _ in categories:
            query = urlencode({"summit": summit_slug, **actor_param, "category": category})
            taken = by_actor[key].get(category, set())
            cells.append(
                MatrixCell(
                    stances=tuple((s, stance_labels[s]) for s in STANCES if s in taken),
                    query=query,
                    href=f"{commitment_list}?{query}",
                )
            )
        cells = tuple(cells)
        rows.append(MatrixRow(actor=actor, cells=cells))
    return PositionMatrix(categories=categories, rows=tuple(rows))


@dataclass(frozen=True)
class SummitPage:
    summit: Summit
    participants: list[Participant]
    documents: list[Document]
    matrix: PositionMatrix
    discrepancies: list[Discrepancy]
    commitments: KeysetPage
    statements: KeysetPage
    commitment_count: int
    statement_count: int


def summit_detail(*, slug: str, params: Mapping[str, str] | None = None) -> SummitPage:
    """Return a summit with its participants, documents and signatories, position matrix and discrepancies,
    and a page each of its commitments and statements (cursors `commitments_after`, `statements_after` in `params`).
    """
    params = params or {}
    summit = get_object_or_404(Summit.objects.select_related("host_country"), slug=slug)
    participants = list(
        summit.participants.select_related("country", "organisation").prefetch_related(
            Prefetch("representatives", queryset=Person.objects.order_by("name"))
        )
    )
    # The host first, then members, guests and observers; countries before organisations.
    role_order = [value for value, _ in Participant.Role.choices]
    participants.sort(key=lambda p: (role_order.index(p.role), p.organisation_id is not None, p.actor_name))
    documents = list(
        summit.documents.prefetch_related(
            Prefetch("signatories", queryset=Signatory.objects.select_related("person", "country", "organisation"))
        )
    )
    # The matrix needs only which stances each actor took per category: the stance tally holds exactly that.
    tallies = list(
        StanceTally.objects.filter(summit=summit).values_list(
            "country_id", "country__name", "organisation__slug", "organisation__name", "category", "stance"
        )
    )
    commitments = keyset_page(
        commitments_with_counts().filter(summit=summit),
        ordering=SUMMIT_COMMITMENT_ORDER,
        after=params.get("commitments_after"),
    )
    statements = keyset_page(
        statements_with_quotes().filter(summit=summit),
        ordering=SUMMIT_STATEMENT_ORDER,
        after=params.get("statements_after"),
    )
    discrepancies = list(summit.discrepancies.prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES)))
    return SummitPage(
        summit=summit,
        participants=participants,
        documents=documents,
        matrix=position_matrix(tallies, summit.slug),
        discrepancies=discrepancies,
        commitments=commitments.linked(params, param="commitments_after", total=summit.commitment_count),
        statements=statements.linked(params, param="statements_after", total=summit.statement_count),
        commitment_count=summit.commitment_count,
        statement_count=summit.statement_count,
    )
