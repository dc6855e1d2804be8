"""Admin for sources: the article text with every cited quote highlighted."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from ..models import Source
from .base import CuratedAdmin, highlighted_text
from .reading import CiteLinkMixin, ReadingViewMixin
from .scale import IndexedValuesFilter
from .search import FullTextSearchMixin
from .suggestions import CoverageMixin


@admin.register(Source)
class SourceAdmin(ReadingViewMixin, CiteLinkMixin, CoverageMixin, FullTextSearchMixin, CuratedAdmin):
    list_display = [
        "file_name", "outlet", "title", "author", "published_on", "language", "citation_count", "coverage_column",
        "read_link",
    ]  # fmt: skip
    sortable_by = ["file_name", "outlet", "published_on", "language", "citation_count"]
    list_filter = [("language", IndexedValuesFilter), ("outlet", IndexedValuesFilter)]
    search_fields = ["file_name", "outlet", "title", "author", "url", "text"]
    readonly_fields = ["text_sha256", "coverage", "cited_text", "worklist"]
    fieldsets = [
        (None, {"fields": ["file_name", ("outlet", "language"), "title", "author", "url", "published_on", "notes"]}),
        ("Text", {"fields": ["text", "text_sha256", "coverage", "cited_text"]}),
        ("For the linkers", {"fields": ["worklist"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.defer("text") if request.resolver_match.url_name.endswith("changelist") else queryset

    def get_readonly_fields(self, request, obj=None):
        # Once quotes are cited against it, the text may not change under them. The stored count is not in the
        # history: a revert page asks the database.
        cited = getattr(obj, "citation_count", None)
        if obj is not None and (cited if cited is not None else obj.citations.exists()):
            return ["text", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="cited passages")
    def cited_text(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        spans = list(obj.citations.values_list("start", "end"))
        return highlighted_text(obj.text, spans)

    @admin.display(description="cite")
    def read_link(self, obj):
        return format_html('<a href="{}">Read and cite</a>', reverse("admin:coalition_source_read", args=[obj.pk]))
