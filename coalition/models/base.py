"""Pieces every coalition model shares."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..constraints import NamesExistingRecord

# Import and export are permissions of their own so that researchers can export without
# being able to import (see IMPORT_EXPORT_*_PERMISSION_CODE in settings).
DEFAULT_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")


DERIVED_HELP = "Kept up to date by the database whenever the rows it counts change; never typed."


def count_field(verbose_name: str, counted: str) -> models.PositiveIntegerField:
    """Return a stored count column that the database's triggers keep equal to a fresh count of `counted`."""
    return models.PositiveIntegerField(
        verbose_name, default=0, editable=False, help_text=f"How many {counted}. {DERIVED_HELP}"
    )


# Derived counts are left out of the history: the database keeps them, and a revert takes the current ones.
SOURCE_COUNTS = ["source_count", "contradicting_count"]


def source_count_fields() -> tuple[models.PositiveIntegerField, models.PositiveIntegerField]:
    """Return the stored counts of distinct sources supporting and contradicting a record."""
    return (
        count_field("sources", "different sources support it"),
        count_field("contradicting sources", "different sources contradict it"),
    )


def column_index(prefix: str, field: str) -> models.Index:
    """Return an index on (`field`, id): a changelist filtered or sorted by `field` (ties broken by id in the same
    direction) reads its first and last pages from the two ends of it, without a sort."""
    return models.Index(fields=[field, "id"], name=f"{prefix}_{field}_id_idx")


class SlugManager(models.Manager):
    """Finds a record by its slug, the natural key used in fixtures and imports."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SummitSlugManager(models.Manager):
    """Finds a record by its summit's slug and its own slug, unique within that summit."""

    def get_by_natural_key(self, summit_slug, slug):
        return self.get(summit__slug=summit_slug, slug=slug)


def one_of(*fields: str) -> Q:
    """Return a condition that holds when exactly one of the nullable `fields` is set."""
    condition = Q()
    for chosen in fields:
        branch = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return condition


class Actor:
    """Mixin for records made by a country or an organisation (exactly one of the two)."""

    @property
    def actor(self):
        """Return the country or organisation this record belongs to."""
        return self.country if self.country_id else self.organisation

    @property
    def actor_name(self) -> str:
        actor = self.actor
        return actor.name if actor is not None else ""


SLUG_HELP = "Short identifier, unique within the summit, used in fixtures and spreadsheets, e.g. “{}”."


def summit_field(related_name: str, help_text: str) -> models.ForeignKey:
    """Return the summit a summit record belongs to (deleted with it)."""
    return models.ForeignKey(
        "coalition.Summit",
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name=related_name,
        help_text=help_text,
    )


def slug_field(help_text: str) -> models.SlugField:
    """Return the slug a summit record is known by within its summit."""
    return models.SlugField("slug", max_length=100, help_text=help_text)


def slug_unique_per_summit(name: str) -> models.UniqueConstraint:
    """Return the constraint that a summit record's slug is unique within its summit."""
    return models.UniqueConstraint(
        fields=["summit", "slug"],
        name=f"{name}_slug_unique_per_summit",
        violation_error_message=f"Another {name} of this summit has this slug.",
    )


def summit_natural_key(*dependencies: str):
    """Return a `natural_key` method giving (summit slug, slug), declaring the models whose keys fixtures need first."""

    def natural_key(self):
        return (self.summit.slug, self.slug)

    natural_key.dependencies = list(dependencies)
    return natural_key


class RecordHistory(HistoricalRecords):
    """History for every model inheriting it, leaving out those of the excluded fields each model has."""

    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        own = {field.name for field in model._meta.local_fields}
        history_model._history_excluded_fields = [name for name in self.excluded_fields if name in own]
        return history_model


def first_words(text: str, count: int = 8) -> str:
    """Return the first `count` words of `text`, with an ellipsis when there are more."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


class SummitRecord(NamesExistingRecord, models.Model):
    """Abstract base of what a summit produced and fixtures name by (summit slug, slug): documents, statements,
    commitments and discrepancies. Each declares its `summit` and `slug` (their help differs) with the helpers
    above, and `slug_unique_per_summit` among its constraints."""

    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")

    objects = SummitSlugManager()
    # Derived counts are not history: excluded where a subclass has them, ignored where it has not.
    history = RecordHistory(inherit=True, excluded_fields=SOURCE_COUNTS)

    class Meta:
        abstract = True
        default_permissions = DEFAULT_PERMISSIONS

    natural_key = summit_natural_key("coalition.summit")

    @property
    def key_label(self) -> str:
        """Return “summit-slug/slug”, which tells this record from every other of its kind (the summit is read
        from the database unless selected with the record)."""
        return f"{self.summit.slug}/{self.slug}"


class SourcedRecord(SummitRecord):
    """Abstract base of the summit records that citations back, with their stored source counts."""

    source_count, contradicting_count = source_count_fields()

    class Meta(SummitRecord.Meta):
        abstract = True
