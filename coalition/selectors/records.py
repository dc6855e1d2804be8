"""Commitments, statements, citations and sources: the list pages, the source page and the CSV rows."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from ..filters import (
    COMMITMENT_SORTING,
    SOURCE_SORTING,
    STATEMENT_SORTING,
    CommitmentFilter,
    SourceFilter,
    StatementFilter,
)
from ..models import (
    Citation,
    Source,
    StanceTally,
    Statement,
    Summit,
)
from ..models.citations import SUBJECT_LABEL_RELATED
from ..pagination import keyset_page
from .common import CITATIONS_WITH_SOURCES, FilteredPage, commitments_with_counts, filtered_page

# The commitment filters that the stance tally has columns for, and the tally's lookups for them (name filters
# hold the keys of the rows they matched).
_TALLIED = {
    "summit": lambda v: {"summit__in": v.keys},
    "country": lambda v: {"country__in": v.keys},
    "organisation": lambda v: {"organisation__in": v.keys},
    "category": lambda v: {"category": v},
    "stance": lambda v: {"stance": v},
}


def _used(cleaned: Mapping) -> dict:
    return {name: value for name, value in cleaned.items() if value not in (None, "")}


def _summit_total(column: str, used: Mapping) -> int:
    summits = Summit.objects.filter(pk__in=used["summit"].keys) if "summit" in used else Summit.objects.all()
    return summits.aggregate(total=Sum(column, default=0))["total"]


def commitment_total(cleaned: Mapping) -> int | None:
    """Return how many commitments the filters match, from stored counts; None when no stored count gives it."""
    used = _used(cleaned)
    used.pop("sort", None)  # the order does not change the count
    if not set(used) <= set(_TALLIED):
        return None
    if set(used) <= {"summit"}:
        return _summit_total("commitment_count", used)
    if not used.keys() & {"summit", "country", "organisation"}:
        return None  # the tally is read by summit or by actor: a category or stance alone would scan it all
    lookups = {key: value for name, value in used.items() for key, value in _TALLIED[name](value).items()}
    return StanceTally.objects.filter(**lookups).aggregate(total=Sum("commitment_count", default=0))["total"]


def statement_total(cleaned: Mapping) -> int | None:
    """Return how many statements the filters match when a stored count gives it (all, or one summit's)."""
    used = _used(cleaned)
    used.pop("sort", None)
    return _summit_total("statement_count", used) if set(used) <= {"summit"} else None


def commitment_list(*, params: Mapping[str, str], after: str | None = None) -> FilteredPage:
    """Return the page of commitments matching the URL filters after the cursor `after`, with their total."""

    def paginate(commitments, cleaned):
        page = keyset_page(commitments, ordering=COMMITMENT_SORTING.ordering(cleaned.get("sort")), after=after)
        return page.linked(params, total=commitment_total(cleaned))

    return filtered_page(CommitmentFilter, params=params, queryset=commitments_with_counts(), paginate=paginate)


def statements_with_quotes() -> QuerySet[Statement]:
    """Return statements with their summit, speaker and quotes (with their sources) loaded."""
    return Statement.objects.select_related("summit", "speaker__country", "speaker__organisation").prefetch_related(
        Prefetch("citations", queryset=CITATIONS_WITH_SOURCES)
    )


def statement_list(*, params: Mapping[str, str], after: str | None = None) -> FilteredPage:
    """Return the page of statements matching the URL filters after the cursor `after`, speakers and quotes loaded."""

    def paginate(statements, cleaned):
        page = keyset_page(statements, ordering=STATEMENT_SORTING.ordering(cleaned.get("sort")), after=after)
        return page.linked(params, total=statement_total(cleaned))

    return filtered_page(StatementFilter, params=params, queryset=statements_with_quotes(), paginate=paginate)


def source_list(*, params: Mapping[str, str], after: str | None = None) -> FilteredPage:
    """Return the page of sources after the cursor `after`, in the order asked, with their stored quote counts."""

    def paginate(sources, cleaned):
        return keyset_page(sources, ordering=SOURCE_SORTING.ordering(cleaned.get("sort")), after=after).linked(params)

    return filtered_page(SourceFilter, params=params, queryset=Source.objects.defer("text"), paginate=paginate)


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
    citations = list(source.citations.select_related(*SUBJECT_LABEL_RELATED).order_by("start", "end", "pk"))
    return SourcePage(source=source, citations=citations, pieces=_pieces(source.text, citations))
