"""Commitments, statements, citations and sources: the list pages, the source page and the CSV rows."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ..filters import CitationFilter, CommitmentFilter, StatementFilter
from ..models import (
    Citation,
    Commitment,
    Source,
    Statement,
)
from .common import CITATIONS_WITH_SOURCES, commitments_with_counts


def commitment_list(*, params: Mapping[str, str]) -> CommitmentFilter:
    """Return the commitment filter for `params`; its `.qs` holds the matching commitments, counts annotated."""
    return CommitmentFilter(params, queryset=commitments_with_counts())


def statement_list(*, params: Mapping[str, str]) -> StatementFilter:
    """Return the statement filter for `params`; its `.qs` holds the statements with speakers and quotes."""
    statements = (
        Statement.objects.select_related("summit", "speaker__country", "speaker__organisation")
        .prefetch_related(Prefetch("citations", queryset=CITATIONS_WITH_SOURCES))
        .order_by("summit__start_date", "speaker__name", "slug")
    )
    return StatementFilter(params, queryset=statements)


def source_list() -> QuerySet[Source]:
    """Return every source with how many citations quote it (a stored count), without the texts."""
    return Source.objects.defer("text")


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
