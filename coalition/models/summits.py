"""Summits, who took part in them, and the documents they produced."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..constraints import NamesExistingRecord
from .actors import Country, Organisation, Person
from .base import (
    DEFAULT_PERMISSIONS,
    Actor,
    SlugManager,
    SummitRecord,
    count_field,
    one_of,
    slug_field,
    slug_unique_per_summit,
    summit_field,
)


class Summit(NamesExistingRecord, models.Model):
    """A diplomatic meeting: where and when it took place, and what the sources say of its size."""

    name = models.CharField(
        "name", max_length=200, help_text="The name the sources use, e.g. “Coalition of the Willing summit”."
    )
    slug = models.SlugField(
        "slug",
        max_length=100,
        unique=True,
        help_text="Short identifier used in URLs, fixtures and spreadsheets, e.g. “paris-2026-01-06”.",
    )
    start_date = models.DateField("start date", help_text="The first day of the summit.")
    end_date = models.DateField(
        "end date", help_text="The last day of the summit; the same as the start date for a one-day meeting."
    )
    city = models.CharField("city", max_length=100, help_text="Where the summit was held, e.g. “Paris”.")
    host_country = models.ForeignKey(
        Country,
        verbose_name="host country",
        on_delete=models.PROTECT,
        related_name="hosted_summits",
        help_text="The country in which the summit took place.",
    )
    reported_country_count = models.PositiveSmallIntegerField(
        "countries taking part (as reported)",
        null=True,
        blank=True,
        help_text="How many countries the sources say took part. Leave empty if no source says.",
    )
    reported_leader_count = models.PositiveSmallIntegerField(
        "heads of state or government (as reported)",
        null=True,
        blank=True,
        help_text="How many countries the sources say were represented by a head of state or government.",
    )
    description = models.TextField("description", blank=True, help_text="A short account for readers.")
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")
    participant_count = count_field("participants", "countries and organisations take part")
    commitment_count = count_field("commitments", "commitments and refusals were made there")
    statement_count = count_field("statements", "statements were made there")

    objects = SlugManager()
    history = HistoricalRecords(excluded_fields=["participant_count", "commitment_count", "statement_count"])

    class Meta:
        ordering = ["-start_date", "name"]
        # The home page's order, and the first columns of the commitment and statement lists (by summit): read
        # from this index, a list page walks the summits in order and sorts only one summit's rows at a time.
        indexes = [models.Index(fields=["-start_date", "name", "id"], name="summit_list_order")]
        verbose_name = "summit"
        verbose_name_plural = "summits"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="summit_ends_on_or_after_start",
                violation_error_message="A summit cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(reported_leader_count__isnull=True)
                | Q(reported_country_count__isnull=True)
                | Q(reported_leader_count__lte=F("reported_country_count")),
                name="summit_leaders_not_more_than_countries",
                violation_error_message="More leaders than countries cannot have taken part.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.start_date:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("summit-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["coalition.country"]


class ParticipantManager(models.Manager):
    def get_by_natural_key(self, summit_slug, country_code, organisation_slug):
        return self.get(summit__slug=summit_slug, country=country_code, organisation__slug=organisation_slug)


class Participant(Actor, NamesExistingRecord, models.Model):
    """A country or an organisation (exactly one) taking part in a summit, and who represented it."""

    class Role(models.TextChoices):
        HOST = "host", "Host"
        MEMBER = "member", "Member"
        GUEST = "guest", "Guest or envoy of a non-member"
        OBSERVER = "observer", "Observer"

    class Level(models.TextChoices):
        HEAD = "head", "Head of state or government"
        MINISTER = "minister", "Minister"
        ENVOY = "envoy", "Envoy"
        OFFICIAL = "official", "Official or military commander"
        NOT_REPORTED = "not_reported", "Not reported by the sources"

    summit = models.ForeignKey(
        Summit,
        verbose_name="summit",
        on_delete=models.CASCADE,
        related_name="participants",
        help_text="The summit taken part in.",
    )
    country = models.ForeignKey(
        Country,
        verbose_name="country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The participating country. Fill in this or the organisation, not both.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The participating organisation. Fill in this or the country, not both.",
    )
    role = models.CharField(
        "role", max_length=20, choices=Role.choices, default=Role.MEMBER, help_text="Its part in the summit."
    )
    level = models.CharField(
        "level of representation",
        max_length=20,
        choices=Level.choices,
        default=Level.NOT_REPORTED,
        help_text="The highest rank of those who represented it, as the sources report.",
    )
    representatives = models.ManyToManyField(
        Person,
        verbose_name="representatives",
        blank=True,
        related_name="participations",
        help_text="The people who represented it at the summit.",
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")

    objects = ParticipantManager()
    history = HistoricalRecords(m2m_fields=[representatives])

    class Meta:
        ordering = ["summit", "country__name", "organisation__name"]
        verbose_name = "participant"
        verbose_name_plural = "participants"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=one_of("country", "organisation"),
                name="participant_is_country_or_organisation",
                violation_error_message="A participant is either a country or an organisation: fill in exactly one.",
            ),
            models.UniqueConstraint(
                fields=["summit", "country"],
                name="participant_country_once_per_summit",
                violation_error_message="This country already takes part in this summit.",
            ),
            models.UniqueConstraint(
                fields=["summit", "organisation"],
                name="participant_organisation_once_per_summit",
                violation_error_message="This organisation already takes part in this summit.",
            ),
        ]

    def __str__(self):
        return f"{self.actor_name or '(no actor)'} at {self.summit.name}"

    def natural_key(self):
        return (self.summit.slug, self.country_id, self.organisation.slug if self.organisation_id else None)

    natural_key.dependencies = ["coalition.summit", "coalition.country", "coalition.organisation"]


class Document(SummitRecord):
    """A text a summit produced, e.g. the Paris Declaration or a declaration of intent."""

    class Kind(models.TextChoices):
        JOINT_DECLARATION = "joint_declaration", "Joint declaration"
        DECLARATION_OF_INTENT = "declaration_of_intent", "Declaration (letter) of intent"
        STATEMENT = "statement", "Statement"
        OTHER = "other", "Other"

    summit = summit_field("documents", "The summit that produced the document.")
    slug = slug_field("Short identifier, unique within the summit, e.g. “paris-declaration”.")
    title = models.CharField(
        "title", max_length=300, help_text="The title as the sources give it, e.g. “Paris Declaration”."
    )
    kind = models.CharField("kind", max_length=30, choices=Kind.choices, help_text="What sort of document it is.")
    signed_on = models.DateField(
        "signed on", null=True, blank=True, help_text="When it was signed or adopted; empty if no source says."
    )
    description = models.TextField("description", blank=True, help_text="What the document sets out.")

    class Meta(SummitRecord.Meta):
        ordering = ["summit", "title"]
        verbose_name = "document"
        verbose_name_plural = "documents"
        constraints = [slug_unique_per_summit("document")]

    def __str__(self):
        return self.title


class SignatoryManager(models.Manager):
    def get_by_natural_key(self, summit_slug, document_slug, person_name):
        return self.get(document__summit__slug=summit_slug, document__slug=document_slug, person__name=person_name)


class Signatory(NamesExistingRecord, models.Model):
    """A person who signed a document, and the country or organisation they signed for."""

    document = models.ForeignKey(
        Document,
        verbose_name="document",
        on_delete=models.CASCADE,
        related_name="signatories",
        help_text="The document signed.",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="person",
        on_delete=models.PROTECT,
        related_name="signatures",
        help_text="The person who signed.",
    )
    country = models.ForeignKey(
        Country,
        verbose_name="on behalf of (country)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        help_text="The country the person signed for, if any.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="on behalf of (organisation)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        help_text="The organisation the person signed for, if any.",
    )
    disputed = models.BooleanField(
        "disputed",
        default=False,
        help_text="Tick when the sources disagree whether this person signed; record the disagreement "
        "as a discrepancy with a citation from each side.",
    )
    notes = models.TextField("notes", blank=True, help_text="Editorial notes; not shown to the public.")

    objects = SignatoryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "person__name"]
        verbose_name = "signatory"
        verbose_name_plural = "signatories"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["document", "person"],
                name="signatory_once_per_document",
                violation_error_message="This person is already a signatory of this document.",
            ),
            models.CheckConstraint(
                condition=~Q(country__isnull=False, organisation__isnull=False),
                name="signatory_signs_for_one_actor",
                violation_error_message="A signatory signs for a country or an organisation, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.document}"

    def natural_key(self):
        return (*self.document.natural_key(), self.person.name)

    natural_key.dependencies = ["coalition.document", "coalition.person"]
