"""Resources for summits, participants, documents and signatories."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from ..models import Document, Participant, Person, Signatory, Summit
from .actors import country_field, organisation_field, person_field
from .base import CoalitionResource, NaturalKeyWidget, SummitScopedWidget

NAME_SEPARATOR = ";"


def summit_field() -> fields.Field:
    """Return a column holding a summit's slug that reads into a Summit."""
    return fields.Field(
        attribute="summit", column_name="summit", widget=NaturalKeyWidget(Summit, "slug", "summit slug")
    )


class SummitResource(CoalitionResource):
    host_country = country_field("host_country")
    export_related = ("host_country",)

    class Meta(CoalitionResource.Meta):
        model = Summit
        fields = [
            "slug", "name", "start_date", "end_date", "city", "host_country", "reported_country_count",
            "reported_leader_count", "description", "notes",
        ]  # fmt: skip
        import_id_fields = ["slug"]


class RepresentativesWidget(widgets.ManyToManyWidget):
    """People's names separated by semicolons; an unknown name is an error, not silently dropped."""

    def __init__(self):
        super().__init__(Person, separator=NAME_SEPARATOR, field="name")
        self.preloaded: dict | None = None

    @staticmethod
    def names(value) -> list[str]:
        """Return the names a cell lists."""
        return [name.strip() for name in str(value or "").split(NAME_SEPARATOR) if name.strip()]

    def preload(self, rows, column: str) -> None:
        """Read everyone the rows name at once; `clean` then needs no query."""
        names = {name for row in rows for name in self.names(row.get(column))}
        self.preloaded = {person.name: person for person in Person.objects.filter(name__in=names)}

    def clean(self, value, row=None, **kwargs):
        names = self.names(value)
        if self.preloaded is not None:
            people = [self.preloaded[name] for name in dict.fromkeys(names) if name in self.preloaded]
        else:
            people = list(Person.objects.filter(name__in=names))
        unknown = sorted(set(names) - {person.name for person in people})
        if unknown:
            raise ValueError(f"unknown person(s): {', '.join(unknown)}")
        return people

    def render(self, value, obj=None, **kwargs):
        return NAME_SEPARATOR.join(sorted(person.name for person in value.all())) if value is not None else ""


class ParticipantResource(CoalitionResource):
    summit = summit_field()
    country = country_field()
    organisation = organisation_field()
    representatives = fields.Field(
        attribute="representatives", column_name="representatives", widget=RepresentativesWidget(), m2m_add=False
    )
    export_related = ("summit", "country", "organisation")
    export_prefetch = ("representatives",)

    class Meta(CoalitionResource.Meta):
        model = Participant
        fields = ["summit", "country", "organisation", "role", "level", "representatives", "notes"]
        import_id_fields = ["summit", "country", "organisation"]

    def before_import_row(self, row, **kwargs):
        # Many-to-many values are saved after validation: check the names first so the row is refused whole.
        try:
            self.fields["representatives"].clean(row)
        except ValueError as error:
            raise ValidationError({"representatives": str(error)}) from None
        except KeyError:
            pass
        super().before_import_row(row, **kwargs)


class DocumentResource(CoalitionResource):
    summit = summit_field()
    export_related = ("summit",)

    class Meta(CoalitionResource.Meta):
        model = Document
        fields = ["summit", "slug", "title", "kind", "signed_on", "description", "notes"]
        import_id_fields = ["summit", "slug"]


class SignatoryResource(CoalitionResource):
    summit = fields.Field(attribute="document__summit__slug", column_name="summit", readonly=True)
    document = fields.Field(
        attribute="document", column_name="document", widget=SummitScopedWidget(Document, "slug", "document slug")
    )
    person = person_field("person")
    country = country_field()
    organisation = organisation_field()
    export_related = ("document__summit", "person", "country", "organisation")

    class Meta(CoalitionResource.Meta):
        model = Signatory
        fields = ["summit", "document", "person", "country", "organisation", "disputed", "notes"]
        import_id_fields = ["document", "person"]

    def required_columns(self):
        return ["summit", *super().required_columns()]
