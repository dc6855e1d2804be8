"""Resources for countries, organisations and people."""

from import_export import fields, widgets

from ..models import Country, Organisation, Person
from .base import CoalitionResource, NaturalKeyWidget


def country_field(attribute: str = "country", column: str | None = None) -> fields.Field:
    """Return a column holding an ISO 3166-1 alpha-2 code that reads into a Country."""
    return fields.Field(
        attribute=attribute,
        column_name=column or attribute,
        widget=NaturalKeyWidget(Country, "code", "country code (ISO 3166-1 alpha-2 expected)", upper=True),
    )


def organisation_field(attribute: str = "organisation") -> fields.Field:
    """Return a column holding an organisation's slug that reads into an Organisation."""
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=NaturalKeyWidget(Organisation, "slug", "organisation slug")
    )


def person_field(attribute: str) -> fields.Field:
    """Return a column holding a person's name that reads into a Person."""
    return fields.Field(attribute=attribute, column_name=attribute, widget=NaturalKeyWidget(Person, "name", "person"))


class CountryResource(CoalitionResource):
    bulk_write = False  # a country's name is filled from ISO 3166 as it is saved
    code = fields.Field(attribute="code", column_name="code", widget=widgets.CharWidget())
    # Countries and their names come from ISO 3166 (a migration); only the notes are the editors'.
    name = fields.Field(attribute="name", column_name="name", readonly=True, widget=widgets.CharWidget())

    class Meta(CoalitionResource.Meta):
        model = Country
        fields = ["code", "name", "notes"]
        import_id_fields = ["code"]

    def before_import_row(self, row, **kwargs):
        if isinstance(row.get("code"), str):
            row["code"] = row["code"].upper()
        super().before_import_row(row, **kwargs)


class OrganisationResource(CoalitionResource):
    bulk_write = False  # a missing slug is made from the name as it is saved

    class Meta(CoalitionResource.Meta):
        model = Organisation
        fields = ["slug", "name", "short_name", "kind", "description", "notes"]
        import_id_fields = ["slug"]


class PersonResource(CoalitionResource):
    country = country_field()
    organisation = organisation_field()
    export_related = ("country", "organisation")

    class Meta(CoalitionResource.Meta):
        model = Person
        fields = ["name", "name_variants", "office", "country", "organisation", "notes"]
        import_id_fields = ["name"]
