"""URL filters for the public list pages and their CSV downloads (django-filter)."""

import django_filters
from django.db.models import Q

from . import search
from .models import Citation, Commitment, Discrepancy, Document, Participant, Signatory, Statement


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that matches nothing when a filter is invalid, instead of silently ignoring it."""

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs


class SlugFilter(django_filters.CharFilter):
    """An exact match on a slug or code typed into the URL, e.g. ?summit=paris-2026 or ?country=GB."""

    def __init__(self, field_name, **kwargs):
        super().__init__(field_name=field_name, lookup_expr="exact", **kwargs)


def upper(value: str) -> str:
    return value.strip().upper()


class CountryFilter(SlugFilter):
    """Country codes are matched in capitals whatever the case in the URL (?country=gb works)."""

    def filter(self, qs, value):
        return super().filter(qs, upper(value) if value else value)


class SearchFilter(django_filters.CharFilter):
    """Words to look for in the full-text index, e.g. ?q=refuse troops (see coalition/search for the syntax)."""

    def __init__(self, **kwargs):
        super().__init__(label="Words", **kwargs)

    def filter(self, qs, value):
        return search.matching(qs, value) if value else qs


class CommitmentFilter(StrictFilterSet):
    q = SearchFilter()
    summit = SlugFilter("summit__slug", label="Summit")
    country = CountryFilter("country_id", label="Country (ISO code)")
    organisation = SlugFilter("organisation__slug", label="Organisation")
    category = django_filters.ChoiceFilter(choices=Commitment.Category.choices, label="Category")
    stance = django_filters.ChoiceFilter(choices=Commitment.Stance.choices, label="Stance")
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices, label="Status")

    class Meta:
        model = Commitment
        fields = ["summit", "country", "organisation", "category", "stance", "status"]


class StatementFilter(StrictFilterSet):
    q = SearchFilter()
    summit = SlugFilter("summit__slug", label="Summit")
    country = CountryFilter("speaker__country_id", label="Speaker's country (ISO code)")
    speaker = SlugFilter("speaker__name", label="Speaker")
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices, label="Kind")

    class Meta:
        model = Statement
        fields = ["summit", "country", "speaker", "kind"]


SUBJECT_TYPES = [("commitment", "Commitment"), ("statement", "Statement"), ("discrepancy", "Discrepancy")]


class CitationFilter(StrictFilterSet):
    q = SearchFilter()
    summit = django_filters.CharFilter(method="filter_summit", label="Summit")
    country = django_filters.CharFilter(method="filter_country", label="Country (ISO code)")
    source = SlugFilter("source__file_name", label="Source file")
    subject_type = django_filters.ChoiceFilter(choices=SUBJECT_TYPES, method="filter_subject_type", label="Backs")
    category = django_filters.ChoiceFilter(
        field_name="commitment__category", choices=Commitment.Category.choices, label="Category"
    )
    stance = django_filters.ChoiceFilter(
        field_name="commitment__stance", choices=Commitment.Stance.choices, label="Stance"
    )
    relation = django_filters.ChoiceFilter(choices=Citation.Relation.choices, label="Relation")

    class Meta:
        model = Citation
        fields = ["summit", "country", "source", "subject_type", "category", "stance", "relation"]

    def filter_summit(self, qs, name, value):
        return qs.filter(
            Q(commitment__summit__slug=value) | Q(statement__summit__slug=value) | Q(discrepancy__summit__slug=value)
        )

    def filter_country(self, qs, name, value):
        code = upper(value)
        return qs.filter(Q(commitment__country_id=code) | Q(statement__speaker__country_id=code))

    def filter_subject_type(self, qs, name, value):
        return qs.filter(**{f"{value}__isnull": False})


class CountryListFilter(StrictFilterSet):
    """Filters for the country list: which commitments to count."""

    summit = SlugFilter("summit__slug", label="Summit")
    category = django_filters.ChoiceFilter(choices=Commitment.Category.choices, label="Category")
    stance = django_filters.ChoiceFilter(choices=Commitment.Stance.choices, label="Stance")

    class Meta:
        model = Commitment
        fields = ["summit", "category", "stance"]


# The filters of the dataset's other downloads (coalition.vocabulary): each narrows its rows to one summit.


class SummitRowsFilter(StrictFilterSet):
    """Rows of one summit, e.g. ?summit=paris-2026."""

    summit = SlugFilter("summit__slug", label="Summit")


class ParticipantFilter(SummitRowsFilter):
    country = CountryFilter("country_id", label="Country (ISO code)")
    organisation = SlugFilter("organisation__slug", label="Organisation")
    role = django_filters.ChoiceFilter(choices=Participant.Role.choices, label="Role")
    level = django_filters.ChoiceFilter(choices=Participant.Level.choices, label="Level of representation")

    class Meta:
        model = Participant
        fields = ["summit", "country", "organisation", "role", "level"]


class RepresentativeFilter(StrictFilterSet):
    summit = SlugFilter("participant__summit__slug", label="Summit")

    class Meta:
        model = Participant.representatives.through
        fields = ["summit"]


class DocumentFilter(SummitRowsFilter):
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, label="Kind")

    class Meta:
        model = Document
        fields = ["summit", "kind"]


class SignatoryFilter(StrictFilterSet):
    summit = SlugFilter("document__summit__slug", label="Summit")

    class Meta:
        model = Signatory
        fields = ["summit"]


class DiscrepancyFilter(SummitRowsFilter):
    class Meta:
        model = Discrepancy
        fields = ["summit"]
