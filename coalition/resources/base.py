"""What every coalition resource shares: readable keys, strict checks, all-or-nothing imports."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from import_export import resources, widgets

from .batches import BatchedImportMixin
from .results import CoalitionResult
from .versioning import VersionedResourceMixin
from .writes import computed_fields


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Reads a related record by a readable key (ISO code, slug, file name, name) and says when it is unknown.

    A batched import calls `preload` with a batch's rows first: `clean` then finds each row's record in memory.
    """

    def __init__(self, model, field: str, label: str, *, upper: bool = False, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.upper = upper
        self.preloaded: dict | None = None

    def key(self, value, row) -> object | None:
        """Return the key a cell names (None for an empty cell), as `preload` files the record under it."""
        if value is None or str(value).strip() == "":
            return None
        key = str(value).strip()
        return key.upper() if self.upper else key

    def load(self, keys: set) -> dict:
        """Return the records named by `keys`, by key, read with one query."""
        records = self.model.objects.filter(**{f"{self.field}__in": keys})
        return {getattr(record, self.field): record for record in records}

    def preload(self, rows, column: str) -> None:
        """Read the records that `column` names in `rows` at once; keys not found are then unknown without a query."""
        keys = {self.key(row.get(column), row) for row in rows} - {None}
        # Consecutive batches mostly name the same records (a file sorted by summit, say): only the others are read.
        kept = self.preloaded or {}
        found = self.load({key for key in keys if key not in kept})
        self.preloaded = {key: kept[key] if key in kept else found.get(key) for key in keys}

    def clean(self, value, row=None, **kwargs):
        key = self.key(value, row)
        if key is None:
            return None
        if self.preloaded is not None and key in self.preloaded:
            record = self.preloaded[key]
            if record is None:
                raise ValueError(self.unknown(value, row))
            return record
        try:
            return self.get_queryset(value, row).get(**{self.field: self.stored(key)})
        except self.model.DoesNotExist:
            raise ValueError(self.unknown(value, row)) from None

    def stored(self, key):
        """Return the value of the model's `field` that `key` stands for."""
        return key

    def unknown(self, value, row) -> str:
        """Return the message for a key that names no record."""
        return f"unknown {self.label} “{self.key(value, row)}”"

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class SummitScopedWidget(NaturalKeyWidget):
    """Reads a record by its slug within the summit named in the row's `summit` column."""

    def key(self, value, row):
        key = super().key(value, row)
        return None if key is None else ((row or {}).get("summit", ""), key)

    def load(self, keys: set) -> dict:
        summits = {summit for summit, _ in keys}
        slugs = {slug for _, slug in keys}
        records = self.model.objects.filter(summit__slug__in=summits, **{f"{self.field}__in": slugs})
        records = records.select_related("summit")
        found = ((record.summit.slug, getattr(record, self.field), record) for record in records)
        return {(summit, key): record for summit, key, record in found if (summit, key) in keys}

    def stored(self, key):
        return key[1]

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(summit__slug=(row or {}).get("summit", ""))

    def unknown(self, value, row) -> str:
        return f"unknown {self.label} “{str(value).strip()}” at summit “{(row or {}).get('summit', '')}”"


class PlainIntegerWidget(widgets.IntegerWidget):
    """An integer column that reads plain digits directly, and anything else (signs, separators) as
    django-import-export does: the same values, without a locale lookup for every cell of a large file."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return int(value)
        return super().clean(value, row, **kwargs)


class StrictBooleanWidget(widgets.BooleanWidget):
    """A yes/no column that takes only 1/0, true/false (any case) or an empty cell, and refuses anything else."""

    def clean(self, value, row=None, **kwargs):
        spelled = value.strip().lower() if isinstance(value, str) else value
        if spelled in ("", None):
            return None
        for meaning, spellings in ((True, self.TRUE_VALUES), (False, self.FALSE_VALUES)):
            if spelled in spellings:
                return meaning
        raise ValueError(f"“{value}” is not a yes/no value: write 1 or 0 (or true or false)")


class DuplicateFinder:
    """Remembers each row's key columns and the lines that repeat one, for a file read once from top to bottom.

    Each key is kept as a 16-byte digest with its first line, so that memory grows by a few dozen bytes a row
    rather than by the row's key cells (a citation's quote, say).
    """

    def __init__(self, columns: list[str]):
        self.columns = columns
        self.first: dict[bytes, int] = {}
        self.repeated: dict[tuple, list[int]] = {}

    def seen(self, row: dict, number: int) -> bool:
        """Return whether an earlier row had `row`'s key (`number` counts data rows from 1)."""
        key = tuple(str(row.get(column, "")).strip() for column in self.columns)
        digest = hashlib.blake2b(repr(key).encode(), digest_size=16).digest()
        line = number + 1  # the header is line 1
        first = self.first.setdefault(digest, line)
        if first == line:
            return False
        self.repeated.setdefault(key, [first]).append(line)
        return True

    def message(self) -> str | None:
        """Return the message listing the repeated records and their lines, or None."""
        if not self.repeated:
            return None
        described = "; ".join(
            f"lines {', '.join(map(str, lines))} ({', '.join(map('='.join, zip(self.columns, key, strict=True)))})"
            for key, lines in self.repeated.items()
        )
        return f"The file has the same record more than once: {described}."


class CoalitionResource(BatchedImportMixin, VersionedResourceMixin, resources.ModelResource):
    """A model resource keyed on readable natural keys, refusing bad files whole with row-and-column messages."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "BooleanField": StrictBooleanWidget,
        **{name: PlainIntegerWidget for name in ("IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField")},
    }
    # The related rows whose keys each exported row writes, read in the same query (or one per relation for
    # many-to-many): an export makes the same number of queries for ten rows as for a million.
    export_related: tuple[str, ...] = ()
    export_prefetch: tuple[str, ...] = ()
    # Large related columns an export never writes.
    export_deferred: tuple[str, ...] = ()
    # Columns a dehydrate_<column> method computes, as the database expression the streaming table export
    # (coalition.bulk) selects instead: {column: expression}.
    export_expressions: dict = {}

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        # Rows equal in the ordering (two citations of one quote) are written by id, the same on every export.
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        return (
            queryset.order_by(*ordering, "pk")
            .select_related(*self.export_related)
            .prefetch_related(*self.export_prefetch)
            .defer(*self.export_deferred)
        )

    @classmethod
    def get_result_class(cls):
        return CoalitionResult

    def key_columns(self) -> list[str]:
        """Return the columns holding keys (the record's own, and those naming related records)."""
        if "_key_columns" in self.__dict__:
            return self._key_columns  # asked for on every row
        keys = self._key_columns = list(self.get_import_id_fields())
        for field in self.get_import_fields():
            is_key = isinstance(field.widget, widgets.ForeignKeyWidget | widgets.ManyToManyWidget)
            if is_key and field.column_name not in keys:
                keys.append(field.column_name)
        return keys

    def column_names(self) -> list[str]:
        """Return the columns this resource reads and writes, in order."""
        return [field.column_name for field in self.get_import_fields()]

    def required_columns(self) -> list[str]:
        """Return the columns a file must have: the natural key and every field that cannot be blank."""
        model_fields = {f.name: f for f in self._meta.model._meta.get_fields() if hasattr(f, "blank")}
        required = list(self.get_import_id_fields())
        for field in self.get_import_fields():
            model_field = model_fields.get(field.attribute)
            if field.column_name in required or field.readonly or model_field is None:
                continue
            if not model_field.blank and not model_field.has_default():
                required.append(field.column_name)
        return required

    def check_header(self, headers: list) -> None:
        """Raise ValueError naming the unknown and the missing columns of a file's header, if any."""
        headers = [h.strip() if isinstance(h, str) else h for h in (headers or [])]
        known = set(self.column_names())
        unknown = [h for h in headers if h not in known]
        missing = [c for c in self.required_columns() if c not in headers]
        problems = []
        if unknown:
            problems.append(f"unknown column(s): {', '.join(map(str, unknown))}")
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if problems:
            expected = ", ".join(self.column_names())
            raise ValueError(f"line 1: the header is wrong: {'; '.join(problems)}. Expected columns: {expected}.")

    def duplicate_key_columns(self) -> list[str]:
        """Return the columns that together name one record: two rows of a file may not repeat them all (a key
        read within a summit brings the summit's column with it)."""
        keys = list(self.get_import_id_fields())
        scoped = any(isinstance(self.fields[name].widget, SummitScopedWidget) for name in keys if name in self.fields)
        return ["summit", *keys] if scoped and "summit" not in keys else keys

    def duplicate_finder(self, headers: list) -> "DuplicateFinder":
        """Return a finder of rows that repeat an earlier row's key columns."""
        return DuplicateFinder([column for column in self.duplicate_key_columns() if column in (headers or ())])

    def before_import_row(self, row, **kwargs):
        # A key with spaces around it would not find its record and would create a near-duplicate instead.
        # (Formula-like cells are the formats' concern: CSV and XLSX refuse them, JSON takes text as it is.)
        spaced = {
            column: ValidationError(
                f"“{row[column]}” has spaces at its start or end; a key must be written exactly, without them."
            )
            for column in self.key_columns()
            if isinstance(row.get(column), str) and row[column] != row[column].strip()
        }
        if spaced:
            raise ValidationError(spaced)
        super().before_import_row(row, **kwargs)

    def row_key(self, row) -> tuple:
        """Return the key of the record `row` names, as the database holds it (related records by id); raise
        ValidationError naming each key column that names nothing (an unknown summit slug, country code…)."""
        errors, key = {}, []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
            else:
                key.append(value.pk if isinstance(value, models.Model) else value)
        if errors:
            raise ValidationError(errors)
        return tuple(key)

    def get_instance(self, instance_loader, row):
        key = self.row_key(row)
        if getattr(instance_loader, "found", None) is not None:
            return instance_loader.found.get(key)  # the batch's saved records
        return super().get_instance(instance_loader, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Fields computed on save (offsets, fingerprints) are not in the file: leave them out of the checks. Without
        # `validate_unique`, the constraints are left to the database too (see batches).
        errors = dict(import_validation_errors or {})
        computed = set(computed_fields(type(instance)))
        if not validate_unique:
            # A batch's related records were read from the database a moment ago: no query per row to find them
            # again (the database's foreign keys still refuse one deleted since).
            computed |= {
                f.name for f in instance._meta.concrete_fields
                if f.is_relation and f.is_cached(instance) and getattr(instance, f.name) is not None
            }  # fmt: skip
        try:
            instance.full_clean(
                exclude=set(errors) | computed, validate_unique=validate_unique, validate_constraints=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
