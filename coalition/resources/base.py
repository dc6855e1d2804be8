"""What every coalition resource shares: readable keys, strict checks, all-or-nothing imports."""

from django.core.exceptions import ValidationError
from import_export import resources, widgets

from .results import CoalitionResult
from .versioning import VersionedResourceMixin


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Reads a related record by a readable key (ISO code, slug, file name, name) and says when it is unknown."""

    def __init__(self, model, field: str, label: str, *, upper: bool = False, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.upper = upper

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        key = str(value).strip()
        key = key.upper() if self.upper else key
        try:
            return self.get_queryset(key, row).get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(f"unknown {self.label} “{key}”") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class SummitScopedWidget(NaturalKeyWidget):
    """Reads a record by its slug within the summit named in the row's `summit` column."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(summit__slug=(row or {}).get("summit", ""))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                f"unknown {self.label} “{str(value).strip()}” at summit “{(row or {}).get('summit', '')}”"
            ) from None


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


class CoalitionResource(VersionedResourceMixin, resources.ModelResource):
    """A model resource keyed on readable natural keys, refusing bad files whole with row-and-column messages."""

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "BooleanField": StrictBooleanWidget}
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
        keys = list(self.get_import_id_fields())
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

    def before_import(self, dataset, **kwargs):
        headers = [h.strip() if isinstance(h, str) else h for h in (dataset.headers or [])]
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
        self._refuse_duplicates(dataset)
        super().before_import(dataset, **kwargs)

    def duplicate_key_columns(self) -> list[str]:
        """Return the columns that together name one record: two rows of a file may not repeat them all."""
        return list(self.get_import_id_fields())

    def _refuse_duplicates(self, dataset):
        keys = [column for column in self.duplicate_key_columns() if column in (dataset.headers or ())]
        lines: dict[tuple, list[int]] = {}
        for number, row in enumerate(dataset.dict, start=2):  # the header is line 1
            lines.setdefault(tuple(str(row.get(column, "")).strip() for column in keys), []).append(number)
        repeated = {key: numbers for key, numbers in lines.items() if len(numbers) > 1}
        if repeated:
            described = "; ".join(
                f"lines {', '.join(map(str, numbers))} ({', '.join(map('='.join, zip(keys, key, strict=True)))})"
                for key, numbers in repeated.items()
            )
            raise ValueError(f"The file has the same record more than once: {described}.")

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

    def get_instance(self, instance_loader, row):
        # An unknown key (summit slug, country code…) is a mistake in that column, reported as such.
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)
        return super().get_instance(instance_loader, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Fields computed on save (offsets, fingerprints) are not in the file: leave them out of the checks.
        errors = dict(import_validation_errors or {})
        computed = {f.name for f in instance._meta.concrete_fields if not f.editable}
        try:
            instance.full_clean(exclude=set(errors) | computed, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
