"""Summits: the list, and a summit's page with its position matrix."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
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
    Summit,
)
from .common import CITATIONS_WITH_SOURCES, STANCES


def summit_list() -> QuerySet[Summit]:
    """Return every summit, newest first, with how many participants and commitments it has (stored counts)."""
    return Summit.objects.select_related("host_country")


@dataclass(frozen=True)
class MatrixCell:
    """The stances one actor took in one category, and the query string of the commitments behind them."""

    stances: tuple[str, ...]
    query: str


@dataclass(frozen=True)
class MatrixRow:
    actor: Country | Organisation
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class PositionMatrix:
    """Countries and organisations × categories: who pledged, conditioned, refused or supported what."""

    categories: tuple[tuple[str, str], ...]
    rows: tuple[MatrixRow, ...]


def position_matrix(commitments: list[Commitment], summit_slug: str) -> PositionMatrix:
    """Return the actor × category matrix of the given commitments (countries first, then organisations)."""
    used = {c.category for c in commitments}
    categories = tuple((value, label) for value, label in Commitment.Category.choices if value in used)
    by_actor: dict[tuple[int, str], dict[str, set[str]]] = {}
    actors: dict[tuple[int, str], Country | Organisation] = {}
    for commitment in commitments:
        key = (0, commitment.country.name) if commitment.country_id else (1, commitment.organisation.name)
        actors[key] = commitment.actor
        by_actor.setdefault(key, {}).setdefault(commitment.category, set()).add(commitment.stance)
    rows = []
    for key in sorted(by_actor):
        actor = actors[key]
        actor_param = {"country": actor.code} if isinstance(actor, Country) else {"organisation": actor.slug}
        cells = tuple(
            MatrixCell(
                stances=tuple(s for s in STANCES if s in by_actor[key].get(category, set())),
                query=urlencode({"summit": summit_slug, **actor_param, "category": category}),
            )
            for category, _ in categories
        )
        rows.append(MatrixRow(actor=actor, cells=cells))
    return PositionMatrix(categories=categories, rows=tuple(rows))


@dataclass(frozen=True)
class SummitPage:
    summit: Summit
    participants: list[Participant]
    documents: list[Document]
    matrix: PositionMatrix
    discrepancies: list[Discrepancy]
    commitment_count: int
    statement_count: int


def summit_detail(*, slug: str) -> SummitPage:
    """Return a summit with its participants, documents and signatories, position matrix and discrepancies."""
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
    commitments = list(summit.commitments.select_related("country", "organisation"))
    discrepancies = list(summit.discrepancies.prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES)))
    return SummitPage(
        summit=summit,
        participants=participants,
        documents=documents,
        matrix=position_matrix(commitments, summit.slug),
        discrepancies=discrepancies,
        commitment_count=summit.commitment_count,
        statement_count=summit.statement_count,
    )
