"""Admin for commitments, statements, discrepancies and the citations behind them."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from ..models import Citation, Commitment, Discrepancy, Statement
from ..models.citations import SUBJECT_LABEL_RELATED
from .base import CuratedAdmin, ReadableInlineMixin, SummitColumnMixin, quote_in_context, shorten
from .citation_forms import CitationForm
from .concurrency import VersionedInlineFormSet
from .reading import CiteLinkMixin
from .search import FullTextSearchMixin
from .suggestions import SuggestionsMixin


class CitationFormSet(VersionedInlineFormSet):
    """Citation rows: versioned, and two rows of one submit may not cite the same passage (the database would
    refuse it)."""

    def clean(self):
        super().clean()
        # Each row is checked against the saved citations on its own; rows not yet saved only against each other.
        constraint = next(c for c in Citation._meta.constraints if self.fk.name in getattr(c, "fields", ()))
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            citation = form.instance
            if self._should_delete_form(form) or not form.is_valid() or not form.has_changed() and not citation.pk:
                continue
            if citation.source_id is None or citation.start is None:
                continue
            key = (citation.source_id, citation.start)
            if key in seen:
                raise ValidationError(
                    f"{constraint.violation_error_message} Citations {seen[key]} and {number} here quote "
                    f"“{citation.source.file_name}” from the same character ({citation.start}): keep one of them.",
                    code="duplicate",
                )
            seen[key] = number


class CitationInline(ReadableInlineMixin, admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    fields = [("source", "relation"), "quote", "occurrence", "quote_in_context", "note"]
    readonly_fields = ["quote_in_context"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    @admin.display(description="in the source")
    def quote_in_context(self, obj):
        return quote_in_context(obj)


class SourceCountMixin(SummitColumnMixin):
    """The list of a record that citations back: newest first, its stored source counts as sortable columns."""

    # Newest first, read from the primary key's index; every sortable column has an index on (column, id).
    ordering = ["-pk"]
    list_per_page = 50

    def get_queryset(self, request):
        # What each row's label reads (see the models' __str__), for the autocomplete too: it is not a changelist,
        # so list_select_related does not apply there, and each label would read its summit and actor on its own.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(Commitment)
class CommitmentAdmin(CiteLinkMixin, SuggestionsMixin, FullTextSearchMixin, SourceCountMixin, CuratedAdmin):
    list_display = [
        "actor_display", "category", "stance", "condition", "status", "summit_display", "source_count",
        "contradicting_count",
    ]  # fmt: skip
    sortable_by = [
        "actor_display", "category", "stance", "status", "summit_display", "source_count", "contradicting_count"
    ]  # fmt: skip
    # Countries and summits are small tables (their lists of choices are short); no DISTINCT over commitments.
    list_filter = ["summit", "stance", "category", "status", "country", "organisation"]
    # The document too: the export writes it on every row.
    list_select_related = ["summit", "country", "organisation", "document"]
    search_fields = ["slug", "description", "condition"]
    # Besides the words of the text: the slug, the country's or organisation's name (see FullTextSearchMixin).
    search_keys = ["slug", "country__name", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["summit", "country", "organisation", "document"]
    fieldsets = [
        (None, {"fields": ["summit", "slug", ("country", "organisation")]}),
        ("Position", {"fields": [("category", "stance", "status"), "condition", "description", "document"]}),
        ("Editorial", {"fields": ["notes"]}),
        ("For the linkers", {"fields": ["suggested_passages"]}),
    ]
    readonly_fields = ["suggested_passages"]
    inlines = [CitationInline]

    # By the country's code (its key, indexed here), organisations after the countries.
    @admin.display(description="country or organisation", ordering="country_id")
    def actor_display(self, obj):
        return obj.actor_name


@admin.register(Statement)
class StatementAdmin(CiteLinkMixin, SuggestionsMixin, FullTextSearchMixin, SourceCountMixin, CuratedAdmin):
    list_display = [
        "speaker_display", "short_text", "kind", "context", "said_on", "summit_display", "source_count",
        "contradicting_count",
    ]  # fmt: skip
    sortable_by = ["speaker_display", "kind", "said_on", "summit_display", "source_count", "contradicting_count"]
    # No filter by speaker: people can be a hundred thousand; search finds a speaker's statements.
    list_filter = ["summit", "kind"]
    list_select_related = ["summit", "speaker"]
    search_fields = ["slug", "text", "context", "speaker__name"]
    search_keys = ["slug", "speaker__name"]
    autocomplete_fields = ["summit", "speaker"]
    fields = ["summit", "slug", "speaker", ("kind", "said_on"), "text", "context", "notes", "suggested_passages"]
    readonly_fields = ["suggested_passages"]
    inlines = [CitationInline]

    @admin.display(description="speaker", ordering="speaker_id")
    def speaker_display(self, obj):
        return obj.speaker

    @admin.display(description="statement")
    def short_text(self, obj):
        return shorten(obj.text)


@admin.register(Discrepancy)
class DiscrepancyAdmin(CiteLinkMixin, SuggestionsMixin, SourceCountMixin, CuratedAdmin):
    list_display = ["topic", "summit_display", "source_count", "contradicting_count"]
    list_filter = ["summit"]
    list_select_related = ["summit"]
    search_fields = ["slug", "topic", "description"]
    autocomplete_fields = ["summit"]
    fields = ["summit", "slug", "topic", "description", "notes", "suggested_passages"]
    readonly_fields = ["suggested_passages"]
    inlines = [CitationInline]


@admin.register(Citation)
class CitationAdmin(FullTextSearchMixin, CuratedAdmin):
    list_display = ["short_quote", "subject_display", "source_display", "relation", "start", "end"]
    sortable_by = ["source_display", "relation"]
    ordering = ["-pk"]
    # No filter by source (sources can be a hundred thousand): search by the file name instead.
    list_filter = ["relation"]
    list_select_related = ["source", *SUBJECT_LABEL_RELATED]
    search_fields = ["quote", "note", "source__file_name"]
    autocomplete_fields = ["source", "commitment", "statement", "discrepancy"]
    readonly_fields = ["quote_in_context", "start", "end"]
    form = CitationForm
    fieldsets = [
        ("What the quote backs (exactly one)", {"fields": ["commitment", "statement", "discrepancy"]}),
        (
            None,
            {"fields": [("source", "relation"), "quote", "occurrence", "quote_in_context", ("start", "end"), "note"]},
        ),  # fmt: skip
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The changelist shows no source text; the change page needs it for the context.
        return queryset.defer("source__text") if request.resolver_match.url_name.endswith("changelist") else queryset

    @admin.display(description="quote")
    def short_quote(self, obj):
        return shorten(obj.quote, 70)

    @admin.display(description="source", ordering="source_id")
    def source_display(self, obj):
        return obj.source

    @admin.display(description="backs")
    def subject_display(self, obj):
        return f"{obj.subject_type}: {obj.subject}" if obj.subject_type else "—"

    @admin.display(description="in the source")
    def quote_in_context(self, obj):
        return quote_in_context(obj)
