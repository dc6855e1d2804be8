"""Citing from a source: the source with its citations, and the records a passage can be cited for."""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Model, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Citation, Commitment, Discrepancy, Source, Statement
from ..models.citations import SUBJECT_LABEL_RELATED, SUBJECTS

# Each kind of record a citation backs: how to load it for a label, and the fields one search box looks in.
CITABLE = {
    "commitment": (
        Commitment.objects.select_related("summit", "country", "organisation"),
        ("slug", "description", "condition", "country__name", "organisation__name"),
    ),
    "statement": (
        Statement.objects.select_related("summit", "speaker"),
        ("slug", "text", "context", "speaker__name"),
    ),
    "discrepancy": (Discrepancy.objects.select_related("summit"), ("slug", "topic", "description")),
}
SEARCH_LIMIT = 8  # results per kind of record


@dataclass(frozen=True)
class Citable:
    """A record a passage can be cited for: its kind, the record, and the key the reading view posts back."""

    kind: str
    record: Model

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record.pk}"


@dataclass(frozen=True)
class ReadingPage:
    """A source with its citations, each with the record it backs loaded, in the order of the text."""

    source: Source
    citations: list[Citation]


def _citations_with_subjects() -> QuerySet[Citation]:
    return Citation.objects.select_related(*SUBJECT_LABEL_RELATED).order_by("start", "pk")


def reading_page(*, source_id: int) -> ReadingPage:
    """Return the source (404 if there is none) and its citations, in as few queries as the page needs."""
    source = get_object_or_404(
        Source.objects.prefetch_related(Prefetch("citations", queryset=_citations_with_subjects())), pk=source_id
    )
    return ReadingPage(source=source, citations=list(source.citations.all()))


def source_citations(*, source: Source) -> list[Citation]:
    """Return a source's citations with the records they back, in the order of the text."""
    return list(_citations_with_subjects().filter(source=source))


def citable_get(*, key: str) -> Citable | None:
    """Return the record a key like “commitment:12” names, or None when it names none."""
    kind, _, pk = (key or "").partition(":")
    if kind not in CITABLE or not pk.isdigit() or not 0 < int(pk) < 2**63:
        return None
    record = CITABLE[kind][0].filter(pk=int(pk)).first()
    return Citable(kind, record) if record is not None else None


def citable_search(*, term: str, limit: int = SEARCH_LIMIT) -> list[Citable]:
    """Return the commitments, statements and discrepancies whose fields contain every word of `term`."""
    words = term.split()
    if not words:
        return []
    found = []
    for kind in SUBJECTS:
        queryset, fields = CITABLE[kind]
        condition = reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words))
        found += [Citable(kind, record) for record in queryset.filter(condition).order_by("pk")[:limit]]
    return found
