"""URL filters and sortable columns of the public lists: the one definition the pages, CSVs and API all use."""

import django_filters
from django.db.models import Q

from . import search
from .filter_fields import AnyChoiceFilter, NameFilter, Names, SortFilter, Sorting
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
    StanceTally,
    Statement,
    Summit,
)  # fmt: skip


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that matches nothing when a filter is invalid, instead of silently ignoring it."""

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs


class SearchFilter(django_filters.CharFilter):
    """Words to look for in the full-text index, e.g. ?q=refuse troops (see coalition/search for the syntax)."""

    def __init__(self, **kwargs):
        super().__init__(label="Words", **kwargs)

    def filter(self, qs, value):
        return search.matching(qs, value) if value else qs


# What each name filter may be given, and where a reader finds the valid values when nothing matches.
COUNTRIES = Names(
    Country, exact=("code", "name"), partial=("name",), noun="country",
    hint="Give an ISO code (e.g. FR) or a country's English name, or part of it; /countries/ lists them.",
)  # fmt: skip
SUMMITS = Names(
    Summit, exact=("slug", "name"), partial=("name",), noun="summit",
    hint="Give a summit's short name (e.g. paris-2026) or its name; the home page lists the summits.",
)  # fmt: skip
ORGANISATIONS = Names(
    Organisation, exact=("slug", "name", "short_name"), partial=("name", "short_name"), noun="organisation",
    hint="Give an organisation's short name or part of its name; /organisations/ lists them.",
)  # fmt: skip
PEOPLE = Names(
    Person, exact=("name",), partial=("name", "name_variants"), noun="speaker",
    hint="Give part of the speaker's name, e.g. Starmer.",
)  # fmt: skip

# The lists' orders, each ending with the id so that every row has one place (see pagination.py). Commitments
# come by summit (newest first, as Summit's own order), then actor, category and slug, as the model orders them.
COMMITMENT_ORDER = (
    "-summit__start_date", "summit__name", "summit_id", "country__name", "organisation__name", "category", "slug", "pk",
)  # fmt: skip
STATEMENT_ORDER = ("summit__start_date", "speaker__name", "slug", "pk")
SOURCE_ORDER = ("file_name", "pk")
ACTOR_ORDER = ("name", "pk")

_SUMMIT_COLUMNS = ("summit__start_date", "summit__name", "summit_id")

# The columns each list sorts by (?sort=column, ?sort=-column), named as the vocabulary names them.
COMMITMENT_SORTING = Sorting(
    columns={
        "actor": ("country__name", "organisation__name"),
        "category": ("category",),
        "stance": ("stance",),
        "condition": ("condition",),
        "status": ("status",),
        "sources": ("source_count",),
        "summit": _SUMMIT_COLUMNS,
    },
    default=COMMITMENT_ORDER,
)
STATEMENT_SORTING = Sorting(
    columns={
        "speaker": ("speaker__name",),
        "kind": ("kind",),
        "said_on": ("said_on",),
        "sources": ("source_count",),
        "summit": _SUMMIT_COLUMNS,
    },
    default=STATEMENT_ORDER,
)
SOURCE_SORTING = Sorting(
    columns={
        "title": ("title", "file_name"),
        "outlet": ("outlet",),
        "author": ("author",),
        "published_on": ("published_on",),
        "citations": ("citation_count",),
    },
    default=SOURCE_ORDER,
)
# Countries and organisations sort by name: their counts are summed per page from the stance tally.
ACTOR_SORTING = Sorting(columns={"name": ("name",)}, default=ACTOR_ORDER)


def _commitment_choices(name: str, **kwargs) -> AnyChoiceFilter:
    field = Commitment._meta.get_field(name)
    return AnyChoiceFilter(choices=field.choices, label=field.verbose_name.capitalize(), **kwargs)


class CommitmentFilter(StrictFilterSet):
    q = SearchFilter()
    summit = NameFilter("summit", names=SUMMITS, label="Summit")
    country = NameFilter("country", names=COUNTRIES, label="Country (code or name)")
    organisation = NameFilter("organisation", names=ORGANISATIONS, label="Organisation")
    category = _commitment_choices("category")
    stance = _commitment_choices("stance")
    status = _commitment_choices("status")
    sort = SortFilter(COMMITMENT_SORTING)

    class Meta:
        model = Commitment
        fields = ["summit", "country", "organisation", "category", "stance", "status"]


class StatementFilter(StrictFilterSet):
    q = SearchFilter()
    summit = NameFilter("summit", names=SUMMITS, label="Summit")
    country = NameFilter("speaker__country", names=COUNTRIES, label="Speaker's country (code or name)")
    speaker = NameFilter("speaker", names=PEOPLE, label="Speaker (part of the name)")
    kind = AnyChoiceFilter(choices=Statement.Kind.choices, label="Kind")
    sort = SortFilter(STATEMENT_SORTING)

    class Meta:
        model = Statement
        fields = ["summit", "country", "speaker", "kind"]


SUBJECT_TYPES = [("commitment", "Commitment"), ("statement", "Statement"), ("discrepancy", "Discrepancy")]


class CitationFilter(StrictFilterSet):
    q = SearchFilter()
    summit = NameFilter(names=SUMMITS, method="filter_summit", label="Summit")
    country = NameFilter(names=COUNTRIES, method="filter_country", label="Country (code or name)")
    source = django_filters.CharFilter("source__file_name", label="Source file")
    subject_type = AnyChoiceFilter(choices=SUBJECT_TYPES, method="filter_subject_type", label="Backs")
    category = _commitment_choices("category", field_name="commitment__category")
    stance = _commitment_choices("stance", field_name="commitment__stance")
    relation = AnyChoiceFilter(choices=Citation.Relation.choices, label="Relation")

    class Meta:
        model = Citation
        fields = ["summit", "country", "source", "subject_type", "category", "stance", "relation"]

    def filter_summit(self, qs, name, value):
        keys = value.keys
        return qs.filter(
            Q(commitment__summit__in=keys) | Q(statement__summit__in=keys) | Q(discrepancy__summit__in=keys)
        )

    def filter_country(self, qs, name, value):
        return qs.filter(Q(commitment__country__in=value.keys) | Q(statement__speaker__country__in=value.keys))

    def filter_subject_type(self, qs, name, value):
        return qs.filter(**{f"{value}__isnull": False})


class ActorSortFilter(SortFilter):
    """The actor lists' sort: it orders the countries or organisations listed, not the tallies filtered here."""

    def filter(self, qs, value):
        return qs


class CountryListFilter(StrictFilterSet):
    """Filters for the country and organisation lists: which commitments to count (read from the stance tally)."""

    summit = NameFilter("summit", names=SUMMITS, label="Summit")
    category = _commitment_choices("category")
    stance = _commitment_choices("stance")
    sort = ActorSortFilter(ACTOR_SORTING)

    class Meta:
        model = StanceTally
        fields = ["summit", "category", "stance"]


class SourceFilter(StrictFilterSet):
    """The sources list takes no filters, only a sort."""

    sort = SortFilter(SOURCE_SORTING)

    class Meta:
        model = Source
        fields = []


# The filters of the per-country and per-organisation summaries (the public tables name theirs in the vocabulary).
SUMMARY_FILTERS = {"countries": CountryListFilter, "organisations": CountryListFilter}


# The filters of the dataset's other downloads (coalition.vocabulary): each narrows its rows to one summit.


class SummitRowsFilter(StrictFilterSet):
    """Rows of one summit, e.g. ?summit=paris-2026."""

    summit = NameFilter("summit", names=SUMMITS, label="Summit")


class ParticipantFilter(SummitRowsFilter):
    country = NameFilter("country", names=COUNTRIES, label="Country (code or name)")
    organisation = NameFilter("organisation", names=ORGANISATIONS, label="Organisation")
    role = AnyChoiceFilter(choices=Participant.Role.choices, label="Role")
    level = AnyChoiceFilter(choices=Participant.Level.choices, label="Level of representation")

    class Meta:
        model = Participant
        fields = ["summit", "country", "organisation", "role", "level"]


class RepresentativeFilter(StrictFilterSet):
    summit = NameFilter("participant__summit", names=SUMMITS, label="Summit")

    class Meta:
        model = Participant.representatives.through
        fields = ["summit"]


class DocumentFilter(SummitRowsFilter):
    kind = AnyChoiceFilter(choices=Document.Kind.choices, label="Kind")

    class Meta:
        model = Document
        fields = ["summit", "kind"]


class SignatoryFilter(StrictFilterSet):
    summit = NameFilter("document__summit", names=SUMMITS, label="Summit")

    class Meta:
        model = Signatory
        fields = ["summit"]


class DiscrepancyFilter(SummitRowsFilter):
    class Meta:
        model = Discrepancy
        fields = ["summit"]
