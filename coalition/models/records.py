"""What was said and promised at a summit: statements, commitments and refusals, and discrepancies."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from .actors import Country, Organisation, Person
from .base import (
    SLUG_HELP,
    Actor,
    SourcedRecord,
    column_index,
    first_words,
    one_of,
    slug_field,
    slug_unique_per_summit,
    summit_field,
    summit_natural_key,
)
from .summits import Document


class Statement(SourcedRecord):
    """Something a person said at or about a summit, as a direct quote or a paraphrase."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARAPHRASE = "paraphrase", "Paraphrase"

    summit = summit_field("statements", "The summit the statement was made at or is about.")
    slug = slug_field(SLUG_HELP.format("witkoff-security-protocols"))
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

    class Meta(SourcedRecord.Meta):
        ordering = ["summit", "speaker__name", "slug"]
        verbose_name = "statement"
        verbose_name_plural = "statements"
        indexes = [
            # The admin's statements: filtered by summit (newest first) or sorted by summit.
            column_index("st", "summit"),
            # The admin's statements sorted by speaker.
            column_index("st", "speaker"),
            # The admin's statements filtered or sorted by kind.
            column_index("st", "kind"),
            # The admin's statements sorted by the date said.
            column_index("st", "said_on"),
            # The admin's statements sorted by their stored source counts.
            column_index("st", "source_count"),
            column_index("st", "contradicting_count"),
        ]
        constraints = [
            slug_unique_per_summit("statement"),
            models.CheckConstraint(
                condition=Q(text__gt=""), name="statement_has_text", violation_error_message="Say what was said."
            ),
        ]

    def __str__(self):
        # Speaker, kind, the first words and the key: two statements never read alike where one is picked.
        return f"{self.speaker} · {self.get_kind_display().lower()} — “{first_words(self.text)}” ({self.key_label})"

    def get_absolute_url(self):
        return f"{reverse('statement-list')}?{urlencode({'summit': self.summit.slug})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"statement-{self.summit.slug}-{self.slug}"

    natural_key = summit_natural_key("coalition.summit", "coalition.person")


class Commitment(Actor, SourcedRecord):
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

    summit = summit_field("commitments", "The summit at which the position was taken.")
    slug = slug_field(SLUG_HELP.format("gb-troops-after-ceasefire"))
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

    class Meta(SourcedRecord.Meta):
        ordering = ["summit", "country__name", "organisation__name", "category", "slug"]
        # The public lists' filters and orders (coalition/selectors): each lets a page read only its own rows.
        indexes = [
            # /commitments/?category=, ?stance=, ?status=: per summit, in the list's summit order
            models.Index(fields=["summit", "category"], name="commitment_summit_category"),
            models.Index(fields=["summit", "stance"], name="commitment_summit_stance"),
            models.Index(fields=["summit", "status"], name="commitment_summit_status"),
            # /countries/XX/ and /organisations/<slug>/: their commitments summit by summit, by category and slug,
            # the page's ids read from the index alone (selectors.actors, a narrow keyset page); and by their
            # first two columns, /commitments/?country= (?organisation=) and an actor's page for one summit
            models.Index(fields=["country", "summit", "category", "slug", "id"], name="commitment_country_page"),
            models.Index(fields=["organisation", "summit", "category", "slug", "id"], name="commitment_org_page"),
            # The admin's commitments: filtered by summit (newest first) or sorted by summit.
            column_index("cm", "summit"),
            # The admin's commitments filtered by country, or sorted by country or organisation.
            column_index("cm", "country"),
            # The admin's commitments filtered by organisation.
            column_index("cm", "organisation"),
            # The admin's commitments filtered or sorted by category, stance or status.
            column_index("cm", "category"),
            column_index("cm", "stance"),
            column_index("cm", "status"),
            # The admin's commitments sorted by their stored source counts.
            column_index("cm", "source_count"),
            column_index("cm", "contradicting_count"),
        ]
        verbose_name = "commitment"
        verbose_name_plural = "commitments"
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
            slug_unique_per_summit("commitment"),
        ]

    def __str__(self):
        # Actor, stance, category, the first words and the key: two commitments never read alike where one is
        # picked (the admin selects the summit and actor with the rows it lists).
        return (
            f"{self.actor_name} · {self.get_stance_display().lower()} · {self.get_category_display().lower()} — "
            f"{first_words(self.description)} ({self.key_label})"
        )

    def get_absolute_url(self):
        return f"{self.actor.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"commitment-{self.summit.slug}-{self.slug}"

    natural_key = summit_natural_key("coalition.summit", "coalition.country", "coalition.organisation")


class Discrepancy(SourcedRecord):
    """A point on which the sources disagree; each version is a citation of it."""

    summit = summit_field("discrepancies", "The summit the disagreement is about.")
    slug = slug_field(SLUG_HELP.format("who-signed-trilateral"))
    topic = models.CharField(
        "topic", max_length=300, help_text="What the sources disagree on, e.g. “Who signed the declaration of intent”."
    )
    description = models.TextField(
        "description", help_text="The versions the sources give, in plain words. Do not resolve it here."
    )

    class Meta(SourcedRecord.Meta):
        ordering = ["summit", "topic"]
        verbose_name = "discrepancy between sources"
        verbose_name_plural = "discrepancies between sources"
        indexes = [
            # The admin's discrepancies: filtered by summit (newest first) or sorted by summit.
            column_index("di", "summit"),
            # The admin's discrepancies sorted by topic.
            column_index("di", "topic"),
            # The admin's discrepancies sorted by their stored source counts.
            column_index("di", "source_count"),
            column_index("di", "contradicting_count"),
        ]
        constraints = [
            slug_unique_per_summit("discrepancy"),
        ]

    def __str__(self):
        return f"{self.topic} — {first_words(self.description, 6)} ({self.key_label})"

    def get_absolute_url(self):
        return f"{self.summit.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"discrepancy-{self.slug}"

    natural_key = summit_natural_key("coalition.summit")
