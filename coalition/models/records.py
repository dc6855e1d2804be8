"""What was said and promised at a summit: statements, commitments and refusals, and discrepancies."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from simple_history.models import HistoricalRecords

from .actors import Country, Organisation, Person
from .base import DEFAULT_PERMISSIONS, SOURCE_COUNTS, Actor, SummitSlugManager, one_of, source_count_fields
from .summits import Document, Summit

SLUG_HELP = "Short identifier, unique within the summit, used in fixtures and spreadsheets, e.g. “{}”."


class Statement(models.Model):
    """Something a person said at or about a summit, as a direct quote or a paraphrase."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARAPHRASE = "paraphrase", "Paraphrase"

    summit = models.ForeignKey(
        Summit,
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name="statements",
        help_text="The summit the statement was made at or is about.",
    )
    slug = models.SlugField("slug", max_length=100, help_text=SLUG_HELP.format("witkoff-security-protocols"))
    speaker = models.ForeignKey(
        Person,
        verbose_name="speaker",
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Who said it.",
    )
    said_on = models.DateField("said on", null=True, blank=True, help_text="When it was said; empty if no source says.")
    kind = models.CharField(
        "kind",
        max_length=20,
        choices=Kind.choices,
        default=Kind.DIRECT,
        help_text="A direct quote in the speaker's words, or a source's paraphrase of them.",
    )
    text = models.TextField(
        "statement",
        help_text="What was said, as one source renders it. The exact wording in each source is in its citations.",
    )
    context = models.CharField(
        "where or how",
        max_length=300,
        blank=True,
        help_text="Where it was said, e.g. “joint news conference”, “on X”, “to Fox News”.",
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")
    source_count, contradicting_count = source_count_fields()

    objects = SummitSlugManager()
    history = HistoricalRecords(excluded_fields=SOURCE_COUNTS)

    class Meta:
        ordering = ["summit", "speaker__name", "slug"]
        verbose_name = "statement"
        verbose_name_plural = "statements"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "slug"],
                name="statement_slug_unique_per_summit",
                violation_error_message="Another statement of this summit has this slug.",
            ),
            models.CheckConstraint(
                condition=Q(text__gt=""), name="statement_has_text", violation_error_message="Say what was said."
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.speaker}: “{text}”"

    def get_absolute_url(self):
        return f"{reverse('statement-list')}?{urlencode({'summit': self.summit.slug})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"statement-{self.summit.slug}-{self.slug}"

    def natural_key(self):
        return (self.summit.slug, self.slug)

    natural_key.dependencies = ["coalition.summit", "coalition.person"]


class Commitment(Actor, models.Model):
    """A position a country or an organisation (exactly one) took at a summit: a pledge, a condition, a refusal."""

    class Category(models.TextChoices):
        TROOPS = "troops", "Troops"
        CEASEFIRE_MONITORING = "ceasefire_monitoring", "Ceasefire monitoring"
        MILITARY_HUBS = "military_hubs", "Military hubs and infrastructure"
        AIR_NAVAL = "air_naval", "Air and naval support"
        TRAINING_EQUIPMENT = "training_equipment", "Training and equipment"
        FINANCIAL_POLITICAL = "financial_political", "Financial and political support"
        SANCTIONS = "sanctions", "Sanctions"
        COORDINATION = "coordination", "Coordination cell or headquarters"
        BACKSTOP = "backstop", "Backstop and security guarantee"
        OTHER = "other", "Other"

    class Stance(models.TextChoices):
        PLEDGE = "pledge", "Pledge"
        CONDITIONAL = "conditional", "Conditional"
        REFUSAL = "refusal", "Refusal"
        SUPPORT = "support", "Support"

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        UNDER_DISCUSSION = "under_discussion", "Under discussion"
        FORMALISED = "formalised", "Formalised in a signed document"
        IN_PROGRESS = "in_progress", "Being carried out"
        FULFILLED = "fulfilled", "Fulfilled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    summit = models.ForeignKey(
        Summit,
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name="commitments",
        help_text="The summit at which the position was taken.",
    )
    slug = models.SlugField("slug", max_length=100, help_text=SLUG_HELP.format("gb-troops-after-ceasefire"))
    country = models.ForeignKey(
        Country,
        verbose_name="country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="The country that took the position. Fill in this or the organisation, not both.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="The organisation (or the coalition as a whole) that took the position. "
        "Fill in this or the country, not both.",
    )
    category = models.CharField(
        "category", max_length=30, choices=Category.choices, help_text="What kind of contribution it concerns."
    )
    stance = models.CharField(
        "stance",
        max_length=20,
        choices=Stance.choices,
        help_text="Pledge: will do it. Conditional: will do it only if the condition holds. "
        "Refusal: will not do it. Support: backs it without a contribution of its own.",
    )
    condition = models.CharField(
        "condition",
        max_length=300,
        blank=True,
        help_text="The condition the sources attach, e.g. “after a ceasefire” or “troops based in a "
        "neighbouring country”. Required for a conditional stance.",
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=Status.choices,
        default=Status.ANNOUNCED,
        help_text="How far the commitment has come.",
    )
    description = models.TextField("description", help_text="The commitment or refusal in one or two sentences.")
    document = models.ForeignKey(
        Document,
        verbose_name="document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="The summit document that records the commitment, if any.",
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")
    source_count, contradicting_count = source_count_fields()

    objects = SummitSlugManager()
    history = HistoricalRecords(excluded_fields=SOURCE_COUNTS)

    class Meta:
        ordering = ["summit", "country__name", "organisation__name", "category", "slug"]
        verbose_name = "commitment"
        verbose_name_plural = "commitments"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=one_of("country", "organisation"),
                name="commitment_is_by_country_or_organisation",
                violation_error_message="A commitment is made by a country or an organisation: fill in exactly one.",
            ),
            models.CheckConstraint(
                condition=~Q(stance="conditional") | ~Q(condition=""),
                name="commitment_conditional_has_condition",
                violation_error_message="A conditional commitment needs its condition.",
            ),
            models.UniqueConstraint(
                fields=["summit", "slug"],
                name="commitment_slug_unique_per_summit",
                violation_error_message="Another commitment of this summit has this slug.",
            ),
        ]

    def __str__(self):
        return f"{self.actor_name}: {self.get_stance_display().lower()} — {self.get_category_display().lower()}"

    def get_absolute_url(self):
        return f"{self.actor.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"commitment-{self.summit.slug}-{self.slug}"

    def natural_key(self):
        return (self.summit.slug, self.slug)

    natural_key.dependencies = ["coalition.summit", "coalition.country", "coalition.organisation"]


class Discrepancy(models.Model):
    """A point on which the sources disagree; each version is a citation of it."""

    summit = models.ForeignKey(
        Summit,
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name="discrepancies",
        help_text="The summit the disagreement is about.",
    )
    slug = models.SlugField("slug", max_length=100, help_text=SLUG_HELP.format("who-signed-trilateral"))
    topic = models.CharField(
        "topic", max_length=300, help_text="What the sources disagree on, e.g. “Who signed the declaration of intent”."
    )
    description = models.TextField(
        "description", help_text="The versions the sources give, in plain words. Do not resolve it here."
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")
    source_count, contradicting_count = source_count_fields()

    objects = SummitSlugManager()
    history = HistoricalRecords(excluded_fields=SOURCE_COUNTS)

    class Meta:
        ordering = ["summit", "topic"]
        verbose_name = "discrepancy between sources"
        verbose_name_plural = "discrepancies between sources"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "slug"],
                name="discrepancy_slug_unique_per_summit",
                violation_error_message="Another discrepancy of this summit has this slug.",
            ),
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return f"{self.summit.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"discrepancy-{self.slug}"

    def natural_key(self):
        return (self.summit.slug, self.slug)

    natural_key.dependencies = ["coalition.summit"]
