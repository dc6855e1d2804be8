"""Read queries behind the public pages: each returns what one page shows, related rows loaded."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from .filters import CitationFilter, CommitmentFilter, CountryListFilter, StatementFilter
from .models import (
    Citation,
    Commitment,
    Country,
    Discrepancy,
    Document,
    Organisation,
    Participant,
    Person,
    Signatory,
    Source,
    Statement,
    Summit,
)

STANCES = [value for value, _ in Commitment.Stance.choices]

# Citations as the pages show them: the source's details but not its (long) text.
CITATIONS_WITH_SOURCES = Citation.objects.select_related("source").defer("source__text").order_by("source", "start")


def _supporting_sources() -> Count:
    return Count("citations__source", filter=Q(citations__relation=Citation.Relation.SUPPORTS), distinct=True)


def _contradicting_sources() -> Count:
    return Count("citations__source", filter=Q(citations__relation=Citation.Relation.CONTRADICTS), distinct=True)


def commitments_with_counts() -> QuerySet[Commitment]:
    """Return commitments with summit, actor and document loaded and their source counts annotated."""
    return Commitment.objects.select_related("summit", "country", "organisation", "document").annotate(
        sources_count=_supporting_sources(), contradicting_count=_contradicting_sources()
    )


def summit_list() -> QuerySet[Summit]:
    """Return every summit, newest first, with how many participants and commitments it has."""
    return Summit.objects.select_related("host_country").annotate(
        participant_count=Count("participants", distinct=True), commitment_count=Count("commitments", distinct=True)
    )


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
        commitment_count=len(commitments),
        statement_count=summit.statements.count(),
    )


def commitment_list(*, params: Mapping[str, str]) -> CommitmentFilter:
    """Return the commitment filter for `params`; its `.qs` holds the matching commitments, counts annotated."""
    return CommitmentFilter(params, queryset=commitments_with_counts())


def statement_list(*, params: Mapping[str, str]) -> StatementFilter:
    """Return the statement filter for `params`; its `.qs` holds the statements with speakers and quotes."""
    statements = (
        Statement.objects.select_related("summit", "speaker__country", "speaker__organisation")
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES))
        .annotate(sources_count=Count("citations__source", distinct=True))
        .order_by("summit__start_date", "speaker__name", "slug")
    )
    return StatementFilter(params, queryset=statements)


def citation_list(*, params: Mapping[str, str]) -> CitationFilter:
    """Return the citation filter for `params`; its `.qs` holds citations with what they back and their source."""
    citations = (
        Citation.objects.select_related(
            "source",
            "commitment__summit",
            "commitment__country",
            "commitment__organisation",
            "statement__summit",
            "statement__speaker__country",
            "discrepancy__summit",
        )
        .defer("source__text")
        .order_by("pk")
    )
    return CitationFilter(params, queryset=citations)


@dataclass(frozen=True)
class CountryRow:
    """A country or organisation with how many commitments of each stance it made."""

    actor: Country | Organisation
    counts: dict[str, int]
    total: int


def _actor_rows(actors) -> list[CountryRow]:
    return [
        CountryRow(
            actor=actor,
            counts={stance: getattr(actor, f"{stance}_count") for stance in STANCES},
            total=sum(getattr(actor, f"{stance}_count") for stance in STANCES),
        )
        for actor in actors
    ]


def _actor_list(model, *, params: Mapping[str, str]) -> tuple[CountryListFilter, list[CountryRow]]:
    filterset = CountryListFilter(params, queryset=Commitment.objects.all())
    matching = filterset.qs  # empty when the filter is invalid
    counts = {
        f"{stance}_count": Count("commitments", filter=Q(commitments__in=matching, commitments__stance=stance))
        for stance in STANCES
    }
    actors = model.objects.annotate(**counts, matching_count=Count("commitments", filter=Q(commitments__in=matching)))
    return filterset, _actor_rows(actors.filter(matching_count__gt=0).order_by("name"))


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


def source_list() -> QuerySet[Source]:
    """Return every source with how many citations quote it, without the texts."""
    return Source.objects.defer("text").annotate(citation_count=Count("citations"))


@dataclass(frozen=True)
class Piece:
    """A stretch of a source's text: the citations quoting it, and the footnotes that end after it."""

    text: str
    citation_numbers: tuple[int, ...]
    footnotes: tuple[tuple[int, int], ...]  # (number, citation id) of citations ending here


@dataclass(frozen=True)
class SourcePage:
    source: Source
    citations: list[Citation]  # numbered 1… in order of appearance
    pieces: list[Piece]


def _pieces(text: str, citations: list[Citation]) -> list[Piece]:
    boundaries = sorted({0, len(text), *(c.start for c in citations), *(c.end for c in citations)})
    pieces = []
    for start, end in zip(boundaries, boundaries[1:], strict=False):
        covering = tuple(n for n, c in enumerate(citations, 1) if c.start <= start and end <= c.end)
        ending = tuple((n, c.pk) for n, c in enumerate(citations, 1) if c.end == end)
        pieces.append(Piece(text=text[start:end], citation_numbers=covering, footnotes=ending))
    return pieces


def source_detail(*, file_name: str) -> SourcePage:
    """Return a source, its citations (with what each backs) and its text cut into highlighted pieces."""
    source = get_object_or_404(Source, file_name=file_name)
    citations = list(
        source.citations.select_related(
            "commitment__summit",
            "commitment__country",
            "commitment__organisation",
            "statement__summit",
            "statement__speaker",
            "discrepancy__summit",
        ).order_by("start", "end", "pk")
    )
    return SourcePage(source=source, citations=citations, pieces=_pieces(source.text, citations))


def commitment_export(*, params: Mapping[str, str]) -> CommitmentFilter:
    """Return the commitment filter for `params` over plain rows, for the CSV (the columns are computed in SQL)."""
    return CommitmentFilter(params, queryset=Commitment.objects.all())


def statement_export(*, params: Mapping[str, str]) -> StatementFilter:
    """Return the statement filter for `params` over plain rows, for the CSV."""
    return StatementFilter(params, queryset=Statement.objects.all())


def citation_export(*, params: Mapping[str, str]) -> CitationFilter:
    """Return the citation filter for `params` over plain rows, for the CSV."""
    return CitationFilter(params, queryset=Citation.objects.all())


def source_export() -> QuerySet[Source]:
    """Return every source, for the CSV (its text is not exported: the seeds folder holds it)."""
    return Source.objects.all()
