"""Citations: the exact quote in a source behind a commitment, a statement or a discrepancy."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from ..constraints import NamesExistingRecord
from ..quotes import QuoteNotFound, context, explain_mismatch, locate
from .base import DEFAULT_PERMISSIONS, column_index, one_of
from .records import Commitment, Discrepancy, Statement
from .sources import Source

SUBJECTS = ("commitment", "statement", "discrepancy")


# The joins that the label of the record a citation backs reads (actor or speaker, summit: see their __str__).
SUBJECT_LABEL_RELATED = (
    "commitment__summit",
    "commitment__country",
    "commitment__organisation",
    "statement__summit",
    "statement__speaker",
    "discrepancy__summit",
)


class CitationManager(models.Manager):
    def get_by_natural_key(self, subject_type, summit_slug, subject_slug, file_name, start):
        if subject_type not in SUBJECTS:
            raise self.model.DoesNotExist(f"Unknown subject type {subject_type!r}.")
        return self.get(
            **{f"{subject_type}__summit__slug": summit_slug, f"{subject_type}__slug": subject_slug},
            source__file_name=file_name,
            start=start,
        )


class Citation(NamesExistingRecord, models.Model):
    """Links one commitment, statement or discrepancy to one source by the exact quote that reports it."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"

    source = models.ForeignKey(
        Source,
        verbose_name="source",
        on_delete=models.PROTECT,
        related_name="citations",
        help_text="The article the quote comes from.",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name="commitment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The commitment the quote reports. Fill in exactly one of commitment, statement, discrepancy.",
    )
    statement = models.ForeignKey(
        Statement,
        verbose_name="statement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The statement the quote reports. Fill in exactly one of commitment, statement, discrepancy.",
    )
    discrepancy = models.ForeignKey(
        Discrepancy,
        verbose_name="discrepancy",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The disagreement this quote gives one version of. "
        "Fill in exactly one of commitment, statement, discrepancy.",
    )
    quote = models.TextField(
        "quote",
        help_text="Copy the words from the source text exactly, character for character — curly quotes, "
        "dashes and all. A quote that is not verbatim in the source is refused.",
    )
    start = models.PositiveIntegerField(
        "start", editable=False, help_text="Where the quote starts in the source text (computed on save)."
    )
    end = models.PositiveIntegerField(
        "end", editable=False, help_text="Where the quote ends in the source text (computed on save)."
    )
    relation = models.CharField(
        "relation",
        max_length=20,
        choices=Relation.choices,
        default=Relation.SUPPORTS,
        help_text="Whether the source supports the record or contradicts it.",
    )
    note = models.CharField(
        "note",
        max_length=500,
        blank=True,
        help_text="Shown to the public with the quote (it is not an editorial note): what this source's version "
        "says, in a few words — useful for discrepancies.",
    )

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "start"]
        verbose_name = "citation"
        verbose_name_plural = "citations"
        indexes = [
            # The admin's citations sorted by source.
            column_index("ci", "source"),
            # The admin's citations filtered or sorted by relation (supports, contradicts).
            column_index("ci", "relation"),
        ]
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=one_of(*SUBJECTS),
                name="citation_has_one_subject",
                violation_error_message="A citation supports exactly one commitment, statement or discrepancy.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")) & Q(end__gt=F("start")),
                name="citation_offsets_span_quote",
                violation_error_message="The offsets must span the quote exactly.",
            ),
            *(
                models.UniqueConstraint(
                    fields=[subject, "source", "start"],
                    name=f"citation_unique_per_{subject}_source_start",
                    violation_error_message=f"This quote is already cited for this {subject}.",
                )
                for subject in SUBJECTS
            ),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:59] + "…"
        return f"“{quote}” ({self.source.file_name if self.source_id else 'no source'})"

    def save(self, *args, **kwargs):
        # Offsets are always computed, never typed: a quote that is not verbatim cannot be saved.
        self.locate()
        super().save(*args, **kwargs)

    @property
    def subject_type(self) -> str:
        return next((name for name in SUBJECTS if getattr(self, f"{name}_id")), "")

    @property
    def subject(self):
        return getattr(self, self.subject_type) if self.subject_type else None

    def natural_key(self):
        subject = self.subject
        return (self.subject_type, subject.summit.slug, subject.slug, self.source.file_name, self.start)

    natural_key.dependencies = [
        "coalition.source",
        "coalition.commitment",
        "coalition.statement",
        "coalition.discrepancy",
    ]

    def locate(self):
        """Set `start` and `end` from where the quote occurs in the source, or raise ValidationError."""
        try:
            self.start, self.end = locate(self.source.text, self.quote, self.start)
        except QuoteNotFound:
            mismatch = explain_mismatch(self.source.text, self.quote)
            raise ValidationError({"quote": mismatch.message(f"source “{self.source.file_name}”")}) from None
        self._located = (self.source_id, self.quote)

    def clean(self):
        if self.source_id is not None and self.quote:
            self.locate()

    def validate_constraints(self, exclude=None):
        # Forms leave out `start` and `end` (computed, not typed), and an inline form its parent's key, so Django
        # would skip every constraint naming them and a duplicate would reach the database as an IntegrityError.
        # Once clean() has located this very quote in this very source, the offsets are known: check them too.
        exclude = set(exclude or ())
        if getattr(self, "_located", None) == (self.source_id, self.quote):
            exclude -= {"start", "end"}
            exclude -= {name for name in SUBJECTS if getattr(self, f"{name}_id") is not None}
        super().validate_constraints(exclude=exclude)

    def in_context(self, width: int = 160) -> tuple[str, str, str]:
        """Return the source text before the quote, the quote as it stands there, and the text after it."""
        return context(self.source.text, self.start, self.end, width)
