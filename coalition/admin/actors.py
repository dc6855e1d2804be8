"""Admin for countries, organisations and people."""

from django.contrib import admin

from ..models import Country, Organisation, Person
from .base import CuratedAdmin


@admin.register(Country)
class CountryAdmin(CuratedAdmin):
    # Countries come from ISO 3166 (django-countries) in a migration: editors annotate them,
    # they neither type new ones nor delete them.
    list_display = ["name", "code", "has_notes"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "name"]
    fields = ["code", "name", "notes"]

    @admin.display(description="notes", boolean=True)
    def has_notes(self, obj):
        return bool(obj.notes)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdmin):
    list_display = ["name", "short_name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    fields = ["name", "short_name", "slug", "kind", "description", "notes"]


@admin.register(Person)
class PersonAdmin(CuratedAdmin):
    list_display = ["name", "office", "country", "organisation"]
    # Sorting by a related column would join and sort every person; the name is unique and indexed.
    sortable_by = ["name"]
    # The choices are the (small) country and organisation tables, not a DISTINCT over every person.
    list_filter = ["country", "organisation"]
    list_select_related = ["country", "organisation"]
    search_fields = ["name", "name_variants", "office"]
    autocomplete_fields = ["country", "organisation"]
    fields = ["name", "name_variants", "office", "country", "organisation", "notes"]
