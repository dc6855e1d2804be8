"""Citations as annotations: a filtered page of them with their sources' texts and their first and last times."""

from dataclasses import dataclass

from django.db.models import Max, Min

from ..filters import CitationFilter
from ..models import Citation, Source, Summit
from ..models.citations import SUBJECT_LABEL_RELATED
from ..pagination import KeysetPage, keyset_page

ANNOTATIONS_PAGE_SIZE = 50
ANNOTATIONS_MAX_PAGE_SIZE = 500


class UnknownFilterValue(ValueError):
    """A filter naming a source or summit that does not exist."""


@dataclass(frozen=True)
class AnnotatedCitations:
    """A page of citations with what their annotations need: source texts by id, (created, modified) by id."""

    page: KeysetPage
    texts: dict[int, str]
    times: dict[int, tuple]
    total: int


def _citations():
    return Citation.objects.select_related("source", *SUBJECT_LABEL_RELATED).defer("source__text")


def _extras(citations: list) -> tuple[dict, dict]:
    texts = dict(Source.objects.filter(pk__in={c.source_id for c in citations}).values_list("pk", "text"))
    times = (
        Citation.history.filter(id__in=[c.pk for c in citations])
        .values("id")
        .annotate(created=Min("history_date"), modified=Max("history_date"))
        .order_by()
    )
    return texts, {row["id"]: (row["created"], row["modified"]) for row in times}


def annotations_page(
    *, source: str | None, summit: str | None, after: str | None, limit: int = ANNOTATIONS_PAGE_SIZE
) -> AnnotatedCitations:
    """Return the citations of `source` (file name) and `summit` (slug) after the cursor `after`, by id.

    Raises UnknownFilterValue for a source or summit that does not exist, InvalidCursor for a bad cursor.
    """
    if source is not None and not Source.objects.filter(file_name=source).exists():
        raise UnknownFilterValue(f"source: there is no source with the file name {source!r}.")
    if summit is not None and not Summit.objects.filter(slug=summit).exists():
        raise UnknownFilterValue(f"summit: there is no summit with the slug {summit!r}.")
    # The citations list's own filters, so that ?summit= and ?source= mean the same here as in the CSV.
    params = {name: value for name, value in (("source", source), ("summit", summit)) if value is not None}
    citations = CitationFilter(params, queryset=_citations()).qs
    page = keyset_page(citations, ordering=["pk"], after=after, size=limit)
    texts, times = _extras(page.rows)
    return AnnotatedCitations(page=page, texts=texts, times=times, total=citations.count())


def annotated_citation(*, pk: int) -> AnnotatedCitations | None:
    """Return the one citation `pk` as a page, or None when there is none."""
    citation = _citations().filter(pk=pk).first()
    if citation is None:
        return None
    texts, times = _extras([citation])
    return AnnotatedCitations(
        page=KeysetPage(rows=[citation], next_cursor=None, is_first=True), texts=texts, times=times, total=1
    )
