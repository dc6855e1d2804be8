"""The news articles that report what happened at summits."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import DEFAULT_PERMISSIONS


def sha256_of(text: str) -> str:
    """Return the SHA-256 hex digest of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceManager(models.Manager):
    def get_by_natural_key(self, file_name):
        return self.get(file_name=file_name)


class Source(models.Model):
    """A news article, its bibliographic details, and its full verbatim text."""

    file_name = models.CharField(
        "file name",
        max_length=200,
        unique=True,
        help_text="Name of the article's text file in the seeds folder, e.g. “000_3c7132a909154011.txt”. "
        "It identifies the source in fixtures and spreadsheets.",
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
        "For a seed article it is read from the seeds folder; leave it empty there.",
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
        help_text="What the article does not say (outlet, author, date…) and anything else editors should know.",
    )

    objects = SourceManager()
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["file_name"]
        verbose_name = "source"
        verbose_name_plural = "sources"
        default_permissions = DEFAULT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(text__gt=""), name="source_has_text", violation_error_message="A source needs its text."
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
        """Read the text from the seeds folder when it is empty, and fingerprint it."""
        if not self.text and self.file_name and self.seed_path.is_file():
            self.text = self.seed_path.read_bytes().decode("utf-8")
        self.text_sha256 = sha256_of(self.text) if self.text else ""

    def clean(self):
        self.fill_text()
        if not self.text:
            raise ValidationError({"text": f"Paste the article's text, or put “{self.file_name}” in the seeds folder."})
