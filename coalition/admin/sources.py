"""Admin for sources: the article text with every cited quote highlighted."""

from django.contrib import admin
from django.db.models import Count

from ..models import Source
from .base import CuratedAdmin, highlighted_text


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    list_display = ["file_name", "outlet", "title", "author", "published_on", "language", "citation_count"]
    list_filter = ["language", "outlet"]
    search_fields = ["file_name", "outlet", "title", "author", "url", "text"]
    readonly_fields = ["text_sha256", "cited_text"]
    fieldsets = [
        (None, {"fields": ["file_name", ("outlet", "language"), "title", "author", "url", "published_on", "notes"]}),
        ("Text", {"fields": ["text", "text_sha256", "cited_text"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(citation_total=Count("citations"))
        return queryset.defer("text") if request.resolver_match.url_name.endswith("changelist") else queryset

    def get_readonly_fields(self, request, obj=None):
        # Once quotes are cited against it, the text may not change under them.
        cited = getattr(obj, "citation_total", None)  # not annotated on a history revert page
        if obj is not None and (cited if cited is not None else obj.citations.exists()):
            return ["text", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

    @admin.display(description="cited passages")
    def cited_text(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        spans = list(obj.citations.values_list("start", "end"))
        return highlighted_text(obj.text, spans)
