"""Pieces every coalition model shares."""

from django.db import models
from django.db.models import Q

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
