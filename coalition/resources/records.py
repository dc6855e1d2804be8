"""Resources for sources, statements, commitments, discrepancies and citations."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from import_export import fields

from ..models import Citation, Commitment, Discrepancy, Document, Source, Statement
from ..models.citations import SUBJECTS
from ..quotes import occurrences
from .actors import country_field, organisation_field, person_field
from .base import CoalitionResource, NaturalKeyWidget, PlainIntegerWidget, SummitScopedWidget
from .summits import summit_field


class SourceResource(CoalitionResource):
    class Meta(CoalitionResource.Meta):
        model = Source
        fields = ["file_name", "outlet", "title", "author", "url", "published_on", "language", "text", "notes"]
        import_id_fields = ["file_name"]

    def required_columns(self):
        # The text may be left out for an article in the seeds folder: it is read from there.
        return [column for column in super().required_columns() if column != "text"]


class StatementResource(CoalitionResource):
    summit = summit_field()
    speaker = person_field("speaker")
    export_related = ("summit", "speaker")

    class Meta(CoalitionResource.Meta):
        model = Statement
        fields = ["summit", "slug", "speaker", "said_on", "kind", "text", "context", "notes"]
        import_id_fields = ["summit", "slug"]


class CommitmentResource(CoalitionResource):
    summit = summit_field()
    country = country_field()
    organisation = organisation_field()
    document = fields.Field(
        attribute="document", column_name="document", widget=SummitScopedWidget(Document, "slug", "document slug")
    )
    export_related = ("summit", "country", "organisation", "document")

    class Meta(CoalitionResource.Meta):
        model = Commitment
        fields = [
            "summit", "slug", "country", "organisation", "category", "stance", "condition", "status",
            "description", "document", "notes",
        ]  # fmt: skip
        import_id_fields = ["summit", "slug"]


class DiscrepancyResource(CoalitionResource):
    summit = summit_field()
    export_related = ("summit",)

    class Meta(CoalitionResource.Meta):
        model = Discrepancy
        fields = ["summit", "slug", "topic", "description", "notes"]
        import_id_fields = ["summit", "slug"]


SUBJECT_MODELS = {"commitment": Commitment, "statement": Statement, "discrepancy": Discrepancy}


class CitationResource(CoalitionResource):
    """Citations keyed by what they back (summit, subject type, subject slug), their source and their quote."""

    summit = fields.Field(column_name="summit", readonly=True)
    subject_type = fields.Field(column_name="subject_type", readonly=True)
    subject = fields.Field(column_name="subject", readonly=True)
    source = fields.Field(
        attribute="source", column_name="source", widget=NaturalKeyWidget(Source, "file_name", "source file")
    )
    # Imported when given (the occurrence the row means, where the quote occurs more than once); computed otherwise.
    start = fields.Field(attribute="start", column_name="start", widget=PlainIntegerWidget())
    end = fields.Field(attribute="end", column_name="end", readonly=True, widget=PlainIntegerWidget())
    export_related = ("source", *(f"{subject}__summit" for subject in SUBJECTS))
    export_deferred = ("source__text",)
    export_expressions = {
        "summit": Coalesce(*(f"{subject}__summit__slug" for subject in SUBJECTS)),
        "subject_type": Case(
            *(When(**{f"{subject}__isnull": False}, then=Value(subject)) for subject in SUBJECTS), default=Value("")
        ),
        "subject": Coalesce(*(f"{subject}__slug" for subject in SUBJECTS)),
    }

    class Meta(CoalitionResource.Meta):
        model = Citation
        fields = ["summit", "subject_type", "subject", "source", "quote", "relation", "note", "start", "end"]
        import_id_fields = ["summit", "subject_type", "subject", "source", "quote"]

    def dehydrate_summit(self, citation):
        return citation.subject.summit.slug

    def dehydrate_subject_type(self, citation):
        return citation.subject_type

    def dehydrate_subject(self, citation):
        return citation.subject.slug

    def required_columns(self):
        return [c for c in super().required_columns() if c not in ("start", "end")]

    def _subject(self, row):
        """Return (subject type, subject) named by the row, or raise ValidationError naming the column."""
        subject_type = str(row.get("subject_type") or "").strip()
        if subject_type not in SUBJECTS:
            raise ValidationError({"subject_type": f"must be one of {', '.join(SUBJECTS)}, not “{subject_type}”"})
        summit, slug = str(row.get("summit") or "").strip(), str(row.get("subject") or "").strip()
        key = (subject_type, summit, slug)
        subjects = getattr(self, "subjects", {})
        subject = subjects[key] if key in subjects else self._read_subjects([key]).get(key)
        if subject is None:
            raise ValidationError({"subject": f"unknown {subject_type} “{slug}” at summit “{summit}”"})
        return subject_type, subject

    @staticmethod
    def _read_subjects(keys) -> dict:
        """Return the commitments, statements and discrepancies named by (type, summit slug, slug) keys."""
        found = dict.fromkeys(keys)
        for subject_type in {key[0] for key in keys}:
            wanted = {key[1:] for key in keys if key[0] == subject_type}
            records = SUBJECT_MODELS[subject_type].objects.filter(
                summit__slug__in={summit for summit, _ in wanted}, slug__in={slug for _, slug in wanted}
            )
            # Only what a citation's row needs of what it backs: its id, its slug and its summit's slug.
            for record in records.select_related("summit").only("slug", "summit__slug"):
                if (record.summit.slug, record.slug) in wanted:
                    found[(subject_type, record.summit.slug, record.slug)] = record
        return found

    def preload_instances(self, rows, loader):
        # A citation's key is what it backs, its source and its quote (and start): read all of a batch's at once.
        keys = {
            (str(row.get("subject_type") or "").strip(), str(row.get("summit") or "").strip(),
             str(row.get("subject") or "").strip())
            for row in rows
        }  # fmt: skip
        self.subjects = self._read_subjects({key for key in keys if key[0] in SUBJECTS})
        self.saved = defaultdict(list)
        sources = [source.pk for source in (self.fields["source"].widget.preloaded or {}).values() if source]
        for subject_type in SUBJECTS:
            ids = [subject.pk for key, subject in self.subjects.items() if key[0] == subject_type and subject]
            if not ids:
                continue
            same = Citation.objects.filter(**{f"{subject_type}__in": ids}, source__in=sources)
            citations = self.locked(self.filter_export(same))
            for citation in citations.order_by("start"):
                citation._locked_by_import = True
                key = (subject_type, getattr(citation, f"{subject_type}_id"), citation.source_id, citation.quote)
                self.saved[key].append(citation)

    def get_instance(self, instance_loader, row):
        subject_type, subject = self._subject(row)
        source = self.fields["source"].clean(row)
        start = self._start(row)
        if hasattr(self, "saved"):
            same = self.saved.get((subject_type, subject.pk, source.pk if source else None, row.get("quote")), [])
            return next((citation for citation in same if start is None or citation.start == start), None)
        same = Citation.objects.filter(**{subject_type: subject}, source=source, quote=row.get("quote"))
        return (same.filter(start=start) if start is not None else same.order_by("start")).first()

    def duplicate_key_columns(self):
        # The same quote may be cited at two of its occurrences.
        return [*super().duplicate_key_columns(), "start"]

    def _start(self, row) -> int | None:
        """Return the row's `start`, or None when it has none; raise ValidationError naming the column."""
        try:
            return self.fields["start"].clean(row) if "start" in row else None
        except ValueError as error:
            raise ValidationError({"start": str(error)}) from None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        kept = instance.start
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        subject_type, subject = self._subject(row)
        for name in SUBJECTS:
            setattr(instance, name, subject if name == subject_type else None)
        if instance.start is None:
            instance.start = kept  # no start given: an existing citation stays where it is
        elif "start" not in errors and instance.source_id and instance.quote:
            # A quote found nowhere is the quote's error (explained by locate below), not the start's.
            found = occurrences(instance.source.text, instance.quote)
            if found and instance.start not in found:
                errors["start"] = [
                    f"character {instance.start} of source “{instance.source.file_name}” does not begin the quote; "
                    f"it begins at character(s) {', '.join(str(at) for at in found[:10])}"
                ]
        if not errors.keys() & {"source", "quote", "start"} and instance.source_id and instance.quote:
            try:
                instance.locate()  # offsets are computed, and a quote that is not verbatim is refused here
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
