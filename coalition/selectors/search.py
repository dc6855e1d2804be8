"""The search page: matching commitments, statements, quotes and sources, each kind a page of its own."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from .. import search
from ..filters import CitationFilter, CommitmentFilter, SearchFilter, StatementFilter, StrictFilterSet
from ..models import Citation, Commitment, Source, Statement
from ..models.citations import SUBJECT_LABEL_RELATED
from .common import commitments_with_counts

# The list filters the search page offers; a kind is searched only if it has every one given.
FILTERS = ("summit", "country", "organisation", "category", "stance")
PREVIEW = 10  # results of each kind on the page of all kinds
PAGE = 50  # results on the page of one kind


class SourceFilter(StrictFilterSet):
    """Sources have none of the list filters: only the words."""

    q = SearchFilter()

    class Meta:
        model = Source
        fields: list[str] = []


@dataclass(frozen=True)
class Kind:
    """One kind of result: its name in the URL, its heading, its filters and the rows it searches."""

    name: str
    label: str
    filterset: type[StrictFilterSet]
    rows: QuerySet


def kinds() -> list[Kind]:
    """Return the kinds of result in the order the page shows them."""
    return [
        Kind("commitments", "Commitments and refusals", CommitmentFilter, commitments_with_counts()),
        Kind("statements", "Statements", StatementFilter, Statement.objects.select_related("summit", "speaker")),
        Kind(
            "quotes",
            "Quotes",
            CitationFilter,
            Citation.objects.select_related("source", *SUBJECT_LABEL_RELATED).defer("source__text"),
        ),
        Kind("sources", "Sources", SourceFilter, Source.objects.defer("text")),
    ]


@dataclass(frozen=True)
class Hit:
    """A matching record and its searched texts with the matched words marked."""

    record: Commitment | Statement | Citation | Source
    marked: dict[str, SafeString]


@dataclass(frozen=True)
class ResultGroup:
    kind: str
    label: str
    hits: list[Hit]
    next_query: str  # the query string of the following results, empty when there are none


@dataclass(frozen=True)
class SearchPage:
    """What was searched, the filters, and the results grouped by kind (one kind only when `show` names it)."""

    text: str
    searched: bool  # False when the text holds no word to look for
    filter: CommitmentFilter  # the form of the words and filters, as the lists show theirs
    groups: list[ResultGroup]
    errors: list[str]
    query: str = ""  # the words and filters as a query string, for the CSVs of the same rows

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _applies(kind: Kind, params: Mapping[str, str]) -> bool:
    return all(name in kind.filterset.base_filters for name in FILTERS if params.get(name))


def _group(kind: Kind, params: Mapping[str, str], *, size: int, after: int | None) -> ResultGroup:
    rows = kind.filterset(params, queryset=kind.rows).qs.order_by("-pk")
    if after is not None:
        rows = rows.filter(pk__lt=after)
    found = list(rows[: size + 1])
    shown = found[:size]
    marked = search.highlights(kind.filterset._meta.model, params.get("q", ""), [r.pk for r in shown])
    hits = [Hit(record=r, marked=marked.get(r.pk, {})) for r in shown]
    kept = {name: params[name] for name in ("q", *FILTERS) if params.get(name)}
    next_query = urlencode({**kept, "show": kind.name, "after": shown[-1].pk}) if len(found) > size else ""
    return ResultGroup(kind=kind.name, label=kind.label, hits=hits, next_query=next_query)


def search_results(*, params: Mapping[str, str]) -> SearchPage:
    """Return the search page for `params`: q, the list filters, and show and after for one kind's next page."""
    text = params.get("q", "")
    form_filter = CommitmentFilter(params, queryset=Commitment.objects.none())
    errors = [f"{field}: {' '.join(messages)}" for field, messages in form_filter.errors.items()]
    # Not "kind": statements have a filter of that name.
    kind_name, after = params.get("show", ""), params.get("after", "")
    every = kinds()
    if kind_name and kind_name not in {kind.name for kind in every}:
        errors.append(f"show: there is no kind of result called “{kind_name}”.")
    if after and not after.isdigit():
        errors.append("after: give the number of the last result seen.")
    searched = search.parse(text) is not None
    query = urlencode({name: params[name] for name in ("q", *FILTERS) if params.get(name)})
    if errors or not searched:
        return SearchPage(text=text, searched=searched, filter=form_filter, groups=[], errors=errors, query=query)
    chosen = [kind for kind in every if kind.name == kind_name] if kind_name else every
    groups = [
        _group(kind, params, size=PAGE if kind_name else PREVIEW, after=int(after) if after else None)
        for kind in chosen
        if _applies(kind, params)
    ]
    return SearchPage(text=text, searched=True, filter=form_filter, groups=groups, errors=[], query=query)
