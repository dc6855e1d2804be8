"""Pieces every coalition model shares."""

from django.db import models
from django.db.models import Q

# Import and export are permissions of their own so that researchers can export without
# being able to import (see IMPORT_EXPORT_*_PERMISSION_CODE in settings).
DEFAULT_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")


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
