"""Batched imports: rows checked a batch at a time with one query per key column, written in bulk with history.

django-import-export imports a row at a time, with a query or more for each key it resolves and each constraint it
checks: about a thousand rows a second. Here every row still goes through the resource's own steps (its key and
cell checks, `import_instance`, `full_clean` without the database checks), but the records a batch names are read
with one query per column, and the batch is written with `bulk_create`/`bulk_update` and one history row per record.
The database checks its unique and check constraints as the batch is written; when a batch breaks one, it is
rolled back to its savepoint and written again row by row with Django's own validation, so that each problem gets
the same line, column and message as before.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.encoding import force_str
from import_export import widgets
from import_export.fields import NOT_PROVIDED
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult

from ..aggregates.deferred import deferred_counts
from .writes import BatchWriteMixin, tracked_values

NEW, UPDATE, SKIP = RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP


def batched(rows: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to `size` items of `rows`."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class BatchInstanceLoader(ModelInstanceLoader):
    """Finds the saved records of a batch of rows with one query, locked until the import's transaction ends; the
    resource's `get_instance` looks each row's up in `found` by the key it reads (`row_key`)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.found: dict | None = None

    def preload(self, rows: list) -> None:
        """Read the saved records that `rows` name, with one query (rows whose keys do not resolve are left out)."""
        keys = set()
        for row in rows:
            try:
                keys.add(self.resource.row_key(row))
            except ValidationError:
                continue
        meta = self.resource._meta.model._meta
        attnames = [meta.get_field(self.resource.fields[name].attribute).attname
                    for name in self.resource.get_import_id_fields()]  # fmt: skip
        condition = models.Q()
        for index, attname in enumerate(attnames):
            values = {key[index] for key in keys}
            column = models.Q(**{f"{attname}__in": values - {None}})
            if None in values:
                column |= models.Q(**{f"{attname}__isnull": True})
            condition &= column
        self.found = {}
        if not keys:
            return
        records = self.resource.locked(self.resource.filter_export(self.get_queryset().filter(condition)))
        for record in records:
            key = tuple(getattr(record, attname) for attname in attnames)
            if key in keys:
                record._locked_by_import = True
                self.found[key] = record


class BatchedImportMixin(BatchWriteMixin):
    """Imports a resource's rows in batches (see the module's docstring); the result is django-import-export's."""

    batch_size = 1000
    # Rows whose changes the admin's preview shows; the others are counted. A preview of 50,000 rows would be a
    # page of tens of megabytes that nobody reads.
    preview_rows = 100
    # Models whose save() or pre_save receivers do work of their own are saved one by one (they are small tables).
    bulk_write = True

    def get_import_fields(self):
        # Asked for on every row and field, and worked out afresh each time by django-import-export; the
        # resource's fields do not change once it is made.
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        # django-import-export's import_instance → import_field → Field.save → Field.clean → widget.clean, for each
        # cell, in one loop: the same cleaning, defaults and errors, without four calls a cell.
        errors = {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.column_name not in row:
                continue
            if "__" in field.attribute:
                try:
                    field.save(instance, row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            try:
                value = field.widget.clean(row[field.column_name], row=row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            if value in field.empty_values and field.default != NOT_PROVIDED:
                value = field.default() if callable(field.default) else field.default
            if value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    def locked(self, queryset):
        """Return `queryset` locking its rows when inside a transaction (no one changes them until the import ends)."""
        if transaction.get_connection(queryset.db).in_atomic_block:
            return queryset.select_for_update(of=("self",))
        return queryset

    def preload(self, rows: list, loader) -> None:
        """Read every record the batch's key columns name, one query per column, and the batch's saved records."""
        for field in self.get_import_fields():
            if hasattr(field.widget, "preload") and field.column_name in rows[0]:
                field.widget.preload(rows, field.column_name)
        self.preload_instances(rows, loader)

    def preload_instances(self, rows: list, loader) -> None:
        """Read the saved records the batch's rows name (their keys' records already read)."""
        loader.preload(rows)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        headers = list(dataset.headers or [])
        rows = (dict(zip(headers, values, strict=False)) for values in dataset)
        return self.import_rows(headers, rows, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def import_rows(
        self,
        headers: list,
        rows: Iterable[dict],
        *,
        dry_run: bool = False,
        raise_errors: bool = False,
        progress: Callable[[int], None] | None = None,
        **kwargs,
    ):
        """Import `rows` (dicts by column, the header being line 1) and return the import's Result."""
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = 0
        try:
            self.check_header(headers)
        except ValueError as error:
            self.handle_import_error(result, error, raise_errors)
            return result
        loader = BatchInstanceLoader(self)
        duplicates = self.duplicate_finder(headers)
        # The line that first named each record, by id: two spellings of one key ("it", "IT"; a citation with and
        # without its start) name the same record without repeating its cells.
        self.claimed: dict = {}
        kwargs.update(dry_run=dry_run, using_transactions=True)
        number = 0
        with deferred_counts(self.get_db_connection_name()) as self.recount:
            for batch in batched(rows, self.batch_size):
                numbered = []
                for row in batch:
                    number += 1
                    if duplicates.seen(row, number):
                        result.increment_row_result_total(self._skipped_duplicate())
                    else:
                        numbered.append((number, row))
                if numbered:
                    self.import_batch(numbered, loader, result, **kwargs)
                if progress:
                    progress(len(batch))
        result.total_rows = number
        repeated = duplicates.message()
        if repeated:
            self.handle_import_error(result, ValueError(repeated), raise_errors)
        return result

    def _skipped_duplicate(self):
        row_result = self.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        return row_result

    def import_batch(self, numbered: list[tuple[int, dict]], loader, result, **kwargs) -> None:
        """Check every row of a batch, write the valid ones, and add each row's outcome to `result`."""
        self.preload([row for _, row in numbered], loader)
        pending = []  # the rows to write: (number, row, instance, new, values before, diff, row result)
        for number, row in numbered:
            keep = result.total_rows < self.preview_rows
            row_result, instance, new, before, diff = self.check_row(row, number, loader, keep=keep, **kwargs)
            self.claim(row_result, instance, new, number)
            if row_result.import_type in (NEW, UPDATE) and not row_result.validation_error and not row_result.errors:
                pending.append((number, row, instance, new, before, diff, row_result))
            else:
                self.record(result, number, row, row_result, keep)
            result.total_rows += 1
        self.write_batch(pending)
        for number, row, instance, _new, _before, diff, row_result in pending:
            if instance.pk is not None:
                self.claimed.setdefault(instance.pk, number + 1)
            keep = diff is not None
            if keep and not row_result.validation_error and not row_result.errors:
                diff.compare_with(self, instance)
                row_result.diff = diff.as_html()
                row_result.add_instance_info(instance)
                row_result.instance = instance
            self.record(result, number, row, row_result, keep)

    def claim(self, row_result, instance, new: bool, number: int) -> None:
        """Note the saved record a row names; refuse the row if an earlier row of the file named it already."""
        if new or instance is None or instance.pk is None or row_result.import_type not in (NEW, UPDATE, SKIP):
            return
        first = self.claimed.setdefault(instance.pk, number + 1)
        if first != number + 1:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError({
                NON_FIELD_ERRORS: f"The same record as line {first}, written another way: a file names each "
                "record once."
            })  # fmt: skip

    def record(self, result, number: int, row: dict, row_result, keep: bool) -> None:
        """Add one row's outcome to the totals, its problems to the result, and the row itself if shown."""
        result.increment_row_result_total(row_result)
        if row_result.errors:
            result.append_error_row(number, row, row_result.errors)
        elif row_result.validation_error:
            result.append_invalid_row(number, row, row_result.validation_error)
        elif keep and (row_result.import_type != SKIP or self._meta.report_skipped):
            result.append_row_result(row_result)

    def check_row(self, row: dict, number: int, loader, *, keep: bool, **kwargs):
        """Return (row result, instance, new, its values before, diff) for one row, its problems in the result."""
        row_result = self.get_row_result_class()()
        instance = new = before = diff = None
        try:
            self.before_import_row(row, row_number=number, **kwargs)
            instance, new = self.get_or_init_instance(loader, row)
            self.after_init_instance(instance, new, row, **kwargs)
            row_result.import_type = NEW if new else UPDATE
            before = None if new else tracked_values(instance)
            diff = self.get_diff_class()(self, instance, new) if keep else None
            errors = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            instance._import_m2m = self.m2m_values(row)
            if not errors and not new and self.unchanged(instance, before):
                row_result.import_type = SKIP
                if keep:
                    diff.compare_with(self, instance)
                    row_result.diff = diff.as_html()
                    row_result.add_instance_info(instance)
            else:
                self.validate_instance(instance, errors, validate_unique=False)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except Exception as error:  # reported on its row, as django-import-export does, never raised to the user
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(self.get_error_result_class()(error, row=row, number=number))
        return row_result, instance, new, before, diff

    def m2m_values(self, row: dict) -> dict:
        """Return the many-to-many values the row sets, by field attribute."""
        return {
            field.attribute: list(field.clean(row))
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row and not field.readonly
        }

    def unchanged(self, instance, before: dict) -> bool:
        """Return whether the row leaves a saved record exactly as it was, its many-to-many links included."""
        if tracked_values(instance) != before:
            return False
        return all(
            sorted(related.pk for related in getattr(instance, name).all()) == sorted(value.pk for value in values)
            for name, values in instance._import_m2m.items()
        )
