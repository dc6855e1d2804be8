"""Derived rows the database keeps up to date itself (see coalition/aggregates): counts and the data version."""

from django.db import models
from django.db.models import Q

from .actors import Country, Organisation
from .base import DERIVED_HELP, count_field, one_of
from .records import Commitment
from .summits import Summit


class StanceTally(models.Model):
    """How many commitments of one stance and category one country or organisation made at one summit."""

    summit = models.ForeignKey(
        Summit,
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the indexes below lead with it or with the actor
        help_text="The summit counted.",
    )
    country = models.ForeignKey(
        Country,
        verbose_name="country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stance_tallies",
        db_index=False,
        help_text="The country counted, or empty for an organisation.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stance_tallies",
        db_index=False,
        help_text="The organisation counted, or empty for a country.",
    )
    category = models.CharField(
        "category", max_length=30, choices=Commitment.Category.choices, help_text="The commitments' category."
    )
    stance = models.CharField(
        "stance", max_length=20, choices=Commitment.Stance.choices, help_text="The commitments' stance."
    )
    commitment_count = count_field("commitments", "commitments of this stance and category it made there")

    class Meta:
        ordering = ["summit", "country", "organisation", "category", "stance"]
        verbose_name = "stance tally"
        verbose_name_plural = "stance tallies"
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=one_of("country", "organisation"), name="stancetally_one_actor"),
            models.CheckConstraint(condition=Q(commitment_count__gt=0), name="stancetally_counts_something"),
            # Partial, so that the triggers' upserts can name them; the lists read them by actor first.
            models.UniqueConstraint(
                fields=["country", "summit", "category", "stance"],
                condition=Q(country__isnull=False),
                name="stancetally_country_key",
            ),
            models.UniqueConstraint(
                fields=["organisation", "summit", "category", "stance"],
                condition=Q(organisation__isnull=False),
                name="stancetally_organisation_key",
            ),
        ]
        indexes = [
            models.Index(fields=["summit", "category", "stance"], name="stancetally_by_summit"),
            # /countries/ and /organisations/: a page of actors' sums by stance, read from the index alone
            models.Index(fields=["country", "stance", "commitment_count"], name="stancetally_country_sums"),
            models.Index(fields=["organisation", "stance", "commitment_count"], name="stancetally_org_sums"),
        ]

    def __str__(self):
        actor = self.country_id or self.organisation_id
        return f"{actor} at summit {self.summit_id}: {self.commitment_count} × {self.stance} {self.category}"


class DataVersion(models.Model):
    """The one row whose version goes up with every write to the public data: what page caches are keyed on."""

    version = models.BigIntegerField("version", default=0, help_text=f"Goes up by one per write. {DERIVED_HELP}")
    changed_at = models.DateTimeField("changed at", null=True, help_text=f"When the data last changed. {DERIVED_HELP}")

    class Meta:
        ordering = ["pk"]
        verbose_name = "data version"
        verbose_name_plural = "data versions"
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=Q(id=1), name="dataversion_single_row")]

    def __str__(self):
        return f"version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})" if self.changed_at else "version 0"


# Rows the database derives from the others: never backed up, imported, loaded or compared as records.
DERIVED_MODELS = (StanceTally, DataVersion)
