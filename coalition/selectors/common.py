"""What the page queries share: stances in order, citations and commitments as pages show them, filtered lists."""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from ..filter_fields import download_name as name_from_filters
from ..filters import SUMMARY_FILTERS
from ..models import (
    Citation,
    Commitment,
)
from ..pagination import KeysetPage
from ..vocabulary import TABLES

STANCES = [value for value, _ in Commitment.Stance.choices]

# Citations as the pages show them: the source's details but not its (long) text.
CITATIONS_WITH_SOURCES = Citation.objects.select_related("source").defer("source__text").order_by("source", "start")

NO_ROWS = KeysetPage(rows=[], next_cursor=None, is_first=True)


def commitments_with_counts() -> QuerySet[Commitment]:
    """Return commitments with summit, actor and document loaded (their source counts are stored columns)."""
    return Commitment.objects.select_related("summit", "country", "organisation", "document")


def independent_outlets(record: str) -> Coalesce:
    """Return an expression counting the distinct outlets named by the sources that support each `record` row.

    Sources whose outlet the article does not state are left out: they may all come from one outlet, so only
    named, different outlets are independent. A correlated subquery keeps it to the page's one query.
    """
    outlets = (
        Citation.objects.filter(**{record: OuterRef("pk")}, relation=Citation.Relation.SUPPORTS)
        .exclude(source__outlet="")
        .order_by()
        .values(record)
        .annotate(count=Count(Lower("source__outlet"), distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(outlets, output_field=IntegerField()), 0)


class InvalidFilter(ValueError):
    """URL parameters a list's filters refuse; `form` holds them with their messages."""

    def __init__(self, form: forms.Form):
        super().__init__(form.errors.as_text())
        self.form = form


def filtered(filterset_class, *, params: Mapping[str, str], queryset: QuerySet) -> tuple[QuerySet, forms.Form]:
    """Return `queryset` narrowed by the URL filters in `params`, and their form; raise InvalidFilter if refused."""
    filterset = filterset_class(params, queryset=queryset)
    if not filterset.is_valid():
        raise InvalidFilter(filterset.form)
    return filterset.qs, filterset.form


@dataclass(frozen=True)
class FilteredPage:
    """One page of a filtered list, with the filters' form (bound, with any messages) to show above it."""

    form: forms.Form
    page: KeysetPage

    @property
    def errors(self):
        return self.form.errors


def filtered_page(filterset_class, *, params: Mapping[str, str], queryset: QuerySet, paginate) -> FilteredPage:
    """Return the page `paginate(filtered queryset, cleaned filters)` makes, or no rows and the form's messages."""
    try:
        rows, form = filtered(filterset_class, params=params, queryset=queryset)
    except InvalidFilter as refused:
        return FilteredPage(form=refused.form, page=NO_ROWS)
    return FilteredPage(form=form, page=paginate(rows, form.cleaned_data))


def download_name(*, base: str, params: Mapping[str, str]) -> str:
    """Return the file name stem of the `base` download with the URL filters `params`, e.g. commitments-FR-refusal."""
    filterset_class = TABLES[base].filterset if base in TABLES else SUMMARY_FILTERS.get(base)
    if filterset_class is None or not params:
        return base
    filterset = filterset_class(params, queryset=filterset_class._meta.model.objects.none())
    return name_from_filters(base, filterset.form.cleaned_data) if filterset.is_valid() else base
