"""Admin for summits, their participants, documents and signatories."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Prefetch, Subquery

from ..models import Document, Participant, Person, Signatory, Summit
from .base import CuratedAdmin, ReadableInlineMixin, SummitColumnMixin


class ParticipantInline(ReadableInlineMixin, admin.TabularInline):
    model = Participant
    fields = ["country", "organisation", "role", "level", "representatives"]
    autocomplete_fields = ["country", "organisation", "representatives"]

    def get_queryset(self, request):
        # Each row's form reads its representatives: one query for all rows rather than one per row.
        rows = super().get_queryset(request).select_related("summit", "country", "organisation")
        return rows.prefetch_related("representatives")


class DocumentInline(ReadableInlineMixin, admin.TabularInline):
    model = Document
    fields = ["title", "slug", "kind", "signed_on"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("summit")


class SignatoryInline(ReadableInlineMixin, admin.TabularInline):
    model = Signatory
    fields = ["person", "country", "organisation", "disputed", "notes"]
    autocomplete_fields = ["person", "country", "organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "country", "organisation")


@admin.register(Summit)
class SummitAdmin(CuratedAdmin):
    list_display = [
        "name", "city", "host_country", "start_date", "end_date", "participant_count", "commitment_count",
        "statement_count",
    ]  # fmt: skip
    list_filter = ["start_date", ("host_country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["host_country"]
    search_fields = ["name", "slug", "city", "description"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host_country"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", ("start_date", "end_date"), ("city", "host_country")]}),
        ("As the sources report it", {"fields": [("reported_country_count", "reported_leader_count"), "description"]}),
        ("Editorial", {"fields": ["notes"]}),
    ]
    inlines = [ParticipantInline, DocumentInline]


@admin.register(Participant)
class ParticipantAdmin(SummitColumnMixin, CuratedAdmin):
    list_display = ["actor_display", "summit_display", "role", "level", "representative_names"]
    ordering = ["-pk"]
    list_filter = ["summit", "role", "level"]
    list_select_related = ["summit", "country", "organisation"]
    search_fields = ["country__name", "organisation__name", "organisation__short_name", "representatives__name"]
    autocomplete_fields = ["summit", "country", "organisation", "representatives"]
    fields = ["summit", "country", "organisation", "role", "level", "representatives", "notes"]

    def get_queryset(self, request):
        people = Prefetch("representatives", queryset=Person.objects.only("name").order_by("name"))
        return super().get_queryset(request).prefetch_related(people)

    @admin.display(description="country or organisation", ordering="country_id")
    def actor_display(self, obj):
        return obj.actor_name

    @admin.display(description="represented by")
    def representative_names(self, obj):
        return ", ".join(person.name for person in obj.representatives.all())


@admin.register(Document)
class DocumentAdmin(SummitColumnMixin, CuratedAdmin):
    list_display = ["title", "kind", "summit_display", "signed_on", "signatory_count"]
    ordering = ["-pk"]
    list_filter = ["kind", "summit"]
    list_select_related = ["summit"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["summit"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["summit", "title", "slug", "kind", "signed_on", "description", "notes"]
    inlines = [SignatoryInline]

    def get_queryset(self, request):
        # A correlated count: the database computes it for the rows shown only (the column is not sortable).
        signatories = Signatory.objects.filter(document=OuterRef("pk")).order_by().values("document")
        return (
            super()
            .get_queryset(request)
            .annotate(signatory_total=Subquery(signatories.annotate(total=Count("pk")).values("total")))
        )

    @admin.display(description="signatories")
    def signatory_count(self, obj):
        return obj.signatory_total or 0


@admin.register(Signatory)
class SignatoryAdmin(CuratedAdmin):
    list_display = ["person", "document", "country", "organisation", "disputed"]
    ordering = ["-pk"]
    sortable_by = ["disputed"]
    list_filter = ["disputed", "document"]
    list_select_related = ["person", "document", "country", "organisation"]
    search_fields = ["person__name", "document__title", "country__name", "organisation__name"]
    autocomplete_fields = ["document", "person", "country", "organisation"]
    fields = ["document", "person", "country", "organisation", "disputed", "notes"]
