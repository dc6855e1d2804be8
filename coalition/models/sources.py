"""The news articles that report what happened at summits."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..constraints import NamesExistingRecord
from .base import DEFAULT_PERMISSIONS, column_index, count_field


def sha256_of(text: str) -> str:
    """Return the SHA-256 hex digest of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# A plain file name: letters, digits, “.”, “_” and “-”, starting with a letter or digit — so no folder
# (“/”, “\”), no “.” or “..”, no hidden file, no control character. \A and \Z mean the same in Python and
# PostgreSQL, and unlike “$” do not let a trailing newline through.
FILE_NAME_PATTERN = r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z"
FILE_NAME_MESSAGE = (
    "A file name is a plain name such as “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-”, "
    "starting with a letter or a digit — no folder, no “/” or “\\”, no leading dot."
)
validate_file_name = RegexValidator(FILE_NAME_PATTERN, FILE_NAME_MESSAGE, code="invalid_file_name")

TEXT_MISSING = "A source needs its text."


def read_seed_text(file_name: str) -> str:
    """Return the text of the seeds-folder file `file_name`, or raise ValidationError saying why it cannot."""
    try:
        validate_file_name(file_name)
    except ValidationError:
        raise ValidationError(
            {"text": f"{TEXT_MISSING} It is read from the seeds folder only for a plain file name: paste it here."}
        ) from None
    seeds = Path(settings.SEEDS_DIR).resolve()
    path = (seeds / file_name).resolve()
    # Resolved, so that a link in the seeds folder cannot lead outside it; articles only, not the metadata.
    if path.parent != seeds or path.suffix != ".txt" or not path.is_file():
        raise ValidationError(
            {"text": f"{TEXT_MISSING} There is no “{file_name}” in the seeds folder: paste the article's text."}
        )
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"text": f"{TEXT_MISSING} “{file_name}” in the seeds folder is not UTF-8 text (byte {error.start})."}
        ) from None


class SourceManager(models.Manager):
    def get_by_natural_key(self, file_name):
        return self.get(file_name=file_name)


class Source(NamesExistingRecord, models.Model):
    """A news article, its bibliographic details, and its full verbatim text."""

    file_name = models.CharField(
        "file name",
        max_length=200,
        unique=True,
        validators=[validate_file_name],
        help_text="Name of the article's text file in the seeds folder, e.g. “000_3c7132a909154011.txt”: "
        "letters, digits, “.”, “_” and “-” only. It identifies the source in fixtures and spreadsheets.",
    )
    outlet = models.CharField(
        "outlet",
        max_length=200,
        blank=True,
        help_text="The publication, only as the article itself names it. Leave empty and say so in the notes "
        "when the article does not.",
    )
    title = models.CharField(
        "title", max_length=500, blank=True, help_text="The headline, only if the article text gives it."
    )
    author = models.CharField(
        "author", max_length=200, blank=True, help_text="The author, only if the article text names one."
    )
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="The article's address, only if the article text gives it."
    )
    published_on = models.DateField(
        "published on", null=True, blank=True, help_text="Publication date, only if the article text gives it."
    )
    language = models.CharField(
        "language",
        max_length=10,
        default="en",
        help_text="Language of the stored text as an ISO 639-1 code, e.g. “en”.",
    )
    text = models.TextField(
        "text",
        blank=True,
        help_text="The full article text, verbatim. Quotes are checked against it character for character. "
        "For a seed article it is read from the seeds folder; leave it empty there. "
        "Once a quote cites it, it cannot change.",
    )
    text_sha256 = models.CharField(
        "SHA-256 of the text",
        max_length=64,
        editable=False,
        help_text="Fingerprint of the text, computed on save, so that any change to it can be detected.",
    )
    notes = models.TextField(
        "notes",
        blank=True,
        help_text="Editorial notes; not shown to the public. E.g. what the article does not say (outlet, author, "
        "date…) and why those fields stay empty.",
    )
    citation_count = count_field("citations", "citations quote it")

    objects = SourceManager()
    history = HistoricalRecords(excluded_fields=["citation_count"])

    class Meta:
        ordering = ["file_name"]
        verbose_name = "source"
        verbose_name_plural = "sources"
        default_permissions = DEFAULT_PERMISSIONS
        indexes = [
            # The admin's sources filtered or sorted by outlet (and the outlet filter's list of values).
            column_index("so", "outlet"),
            # The admin's sources filtered or sorted by language.
            column_index("so", "language"),
            # The admin's sources sorted by publication date.
            column_index("so", "published_on"),
            # The admin's sources sorted by their stored citation count.
            column_index("so", "citation_count"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(text__gt=""), name="source_has_text", violation_error_message=TEXT_MISSING
            ),
            models.CheckConstraint(
                condition=Q(file_name__regex=FILE_NAME_PATTERN),
                name="source_file_name_is_plain",
                violation_error_message=FILE_NAME_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Exact(Length("text_sha256"), 64),
                name="source_hash_is_sha256",
                violation_error_message="The text fingerprint must be a SHA-256 hex digest.",
            ),
        ]

    def __str__(self):
        label = self.outlet or "outlet not stated"
        return f"{self.file_name} ({label})"

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.file_name])

    def natural_key(self):
        return (self.file_name,)

    @property
    def seed_path(self):
        return settings.SEEDS_DIR / self.file_name

    def fill_text(self):
        """Read an empty text from the seeds folder and fingerprint it; raise ValidationError if it cannot."""
        if not self.text:
            self.text = read_seed_text(self.file_name)
        self.text_sha256 = sha256_of(self.text)

    def refuse_text_change(self):
        """Raise ValidationError if this saved source's text differs from the stored one while quotes cite it."""
        if self.pk is None:
            return
        stored = Source.objects.filter(pk=self.pk).values_list("text_sha256", flat=True).first()
        if stored is None or stored == sha256_of(self.text):
            return
        cited = self.citations.count()
        if cited:
            raise ValidationError(
                {
                    "text": f"{cited} {'citation quotes' if cited == 1 else 'citations quote'} this text, so it "
                    "cannot change: a changed text would no longer contain them. Add the new version as a new source."
                }
            )

    def clean(self):
        self.fill_text()
        self.refuse_text_change()

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as error:
            # A form that does not show the text (read-only once cited, or a revert page) cannot carry an
            # error on it: the reason is then said above the form instead of failing.
            if exclude and "text" in exclude and "text" in getattr(error, "error_dict", {}):
                error.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(error.error_dict.pop("text"))
            raise
