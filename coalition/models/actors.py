"""Who takes part in summits: countries, organisations and people."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.text import slugify
from django_countries import countries
from simple_history.models import HistoricalRecords

from ..constraints import NamesExistingRecord
from .base import DEFAULT_PERMISSIONS, SlugManager


def validate_country_code(code: str) -> None:
    """Raise ValidationError unless `code` is an ISO 3166-1 alpha-2 code known to django-countries."""
    if code not in countries:
        raise ValidationError(f"“{code}” is not an ISO 3166-1 alpha-2 country code.", code="invalid_country")


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(NamesExistingRecord, models.Model):
    """A country, identified by its ISO 3166-1 alpha-2 code (loaded from django-countries)."""

    # A plain two-letter key (not a CountryField) so that foreign keys, URLs and CSVs carry "GB".
    code = models.CharField(
        "ISO code",
        primary_key=True,
        max_length=2,
        validators=[validate_country_code],
        help_text="ISO 3166-1 alpha-2 code, e.g. GB for the United Kingdom.",
    )
    # Stored (not only derived from the code) so that searches, ordering and the read-only
    # research layer can use the name in SQL.
    name = models.CharField(
        "name",
        max_length=100,
        unique=True,
        help_text="The country's common English name, as ISO 3166 and django-countries give it.",
    )
    notes = models.TextField(
        "notes", blank=True, help_text="Editorial notes; not shown to the public. Anything editors should know."
    )

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "country"
        verbose_name_plural = "countries"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 2) & Q(code=Upper("code")),
                name="country_code_is_two_capitals",
                violation_error_message="A country code is two capital letters, e.g. GB.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.name and self.code in countries:
            self.name = countries.name(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.code])

    def natural_key(self):
        return (self.code,)


class Organisation(NamesExistingRecord, models.Model):
    """An international organisation, alliance or informal format such as the Coalition of the Willing."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", "International organisation (e.g. the EU)"
        ALLIANCE = "alliance", "Military alliance (e.g. NATO)"
        COALITION = "coalition", "Informal coalition or format"
        GOVERNMENT_BODY = "government_body", "Government body or office"
        OTHER = "other", "Other"

    name = models.CharField("name", max_length=200, unique=True, help_text="Full name, e.g. “European Union”.")
    slug = models.SlugField(
        "slug",
        max_length=100,
        unique=True,
        help_text="Short identifier used in URLs, fixtures and spreadsheets, e.g. “eu”. Lower case.",
    )
    short_name = models.CharField(
        "short name", max_length=50, blank=True, help_text="Abbreviation, e.g. “EU” or “NATO”."
    )
    kind = models.CharField(
        "kind", max_length=20, choices=Kind.choices, default=Kind.OTHER, help_text="What sort of body this is."
    )
    description = models.TextField("description", blank=True, help_text="One or two sentences for readers.")
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        default_permissions = DEFAULT_PERMISSIONS

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisation-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class PersonManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Person(NamesExistingRecord, models.Model):
    """Somebody who represented a country or organisation, or whom a source quotes."""

    name = models.CharField(
        "name",
        max_length=200,
        unique=True,
        help_text="The name in its most common spelling in the sources, e.g. “Volodymyr Zelenskyy”. "
        "Record other spellings under “other spellings”.",
    )
    name_variants = models.CharField(
        "other spellings",
        max_length=500,
        blank=True,
        help_text="Other spellings the sources use, separated by semicolons, e.g. “Volodymyr Zelensky”.",
    )
    office = models.CharField(
        "office or title",
        max_length=300,
        blank=True,
        help_text="The office or role the sources give, e.g. “Prime Minister of the United Kingdom”.",
    )
    country = models.ForeignKey(
        Country,
        verbose_name="country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The country this person represents or belongs to, if any.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The organisation this person represents or works for, if any.",
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")

    objects = PersonManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        default_permissions = DEFAULT_PERMISSIONS

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["coalition.country", "coalition.organisation"]
