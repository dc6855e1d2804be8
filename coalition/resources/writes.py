"""Writing a batch of checked import rows: multi-row INSERTs, changed columns only, links, counts and history."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from import_export.results import RowResult

from ..history.recording import copy_to_history, current_change_reason, current_history_user


@cache
def computed_fields(model) -> frozenset[str]:
    """Return the names of `model`'s fields computed on save (offsets, fingerprints): never in a file, never checked."""
    return frozenset(field.name for field in model._meta.concrete_fields if not field.editable)


def tracked_values(instance) -> dict:
    """Return the values of `instance`'s columns, by attribute name."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def insert(model, instances: list) -> None:
    """Insert new records and give each its primary key: with COPY on PostgreSQL, multi-row INSERTs elsewhere.

    What `bulk_create` does, each value prepared by its field as there, but without its per-value SQL: on SQLite each
    statement's text is written once for its number of rows; on PostgreSQL the ids are drawn from the table's
    sequence first and the rows streamed by COPY (a long INSERT's text is re-parsed by the driver every time).
    """
    if not instances:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if field is not pk]
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(instances)],
            )
            ids = [value for (value,) in cursor.fetchall()]
            columns = ", ".join(quote(field.column) for field in [pk, *fields])
            # The driver's own cursor, so its errors are turned into Django's (an IntegrityError) by hand.
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj, value in zip(instances, ids, strict=True):
                    copy.write_row(
                        [value, *(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)]
                    )
            pairs = zip(instances, ids, strict=True)
        else:
            head = f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)}) VALUES "
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            size = max(1, min(connection.ops.bulk_batch_size(fields, instances), 1000))
            returned = []
            for start in range(0, len(instances), size):
                chunk = instances[start : start + size]
                params = [
                    field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in chunk for field in fields
                ]
                cursor.execute(f"{head}{', '.join([one] * len(chunk))} RETURNING {quote(pk.column)}", params)
                returned += [value for (value,) in cursor.fetchall()]
            pairs = zip(instances, returned, strict=True)
    for obj, value in pairs:
        obj.pk = value
        obj._state.adding, obj._state.db = False, using


class BatchWriteMixin:
    """Writes a batch's checked rows for `BatchedImportMixin`."""

    def write_batch(self, pending: list) -> None:
        """Write a batch's checked rows — (number, row, instance, new, values before, diff, row result) — in bulk;
        if the database refuses the batch, write and check them one by one."""
        if not pending:
            return
        try:
            with transaction.atomic():
                self.write([(instance, new, before) for _, _, instance, new, before, _, _ in pending])
        except IntegrityError:
            for number, row, instance, new, before, _diff, row_result in pending:
                self.write_checked(number, row, instance, new, before, row_result)

    def write_checked(self, number: int, row: dict, instance, new: bool, before, row_result) -> None:
        """Check one row's record against the database's constraints and write it alone, noting any problem."""
        if new:
            instance.pk = None
            instance._state.adding = True
        try:
            computed = computed_fields(type(instance))
            instance.validate_unique(exclude=computed)
            instance.validate_constraints(exclude=computed)
            with transaction.atomic():
                self.write([(instance, new, before)])
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except IntegrityError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(self.get_error_result_class()(error, row=row, number=number))

    def write(self, records: list[tuple]) -> None:
        """Save (instance, new, values before) records: new ones in bulk, changed ones by their changed columns."""
        model = self._meta.model
        created = [instance for instance, new, _ in records if new]
        updated = [(instance, before) for instance, new, before in records if not new]
        if not self.bulk_write:
            for instance, new, _ in records:
                instance.save(force_insert=new)
            self.write_m2m([instance for instance, _, _ in records])
            self.recount_for(records)
            return
        insert(model, created)
        changed = {
            attname for instance, before in updated for attname, value in tracked_values(instance).items()
            if before[attname] != value
        }  # fmt: skip
        if changed:
            names = [field.name for field in model._meta.concrete_fields if field.attname in changed]
            model._default_manager.bulk_update([instance for instance, _ in updated], names, batch_size=self.batch_size)
        self.write_m2m([instance for instance, _, _ in records])
        self.recount_for(records)
        user, reason = current_history_user(), current_change_reason()
        for history_type, written in (("+", created), ("~", [instance for instance, _ in updated])):
            if written:
                copy_to_history(model, [r.pk for r in written], history_type=history_type, reason=reason, user=user)

    def recount_for(self, records: list[tuple]) -> None:
        """Recount what the written records count towards, as they are now and as they were."""
        rows = [tracked_values(instance) for instance, _, _ in records] + [before for _, _, before in records if before]
        self.recount(self._meta.model, rows)

    def write_m2m(self, instances: list) -> None:
        """Set the many-to-many links the rows name (each link table written with one query per batch)."""
        for name in {name for instance in instances for name in getattr(instance, "_import_m2m", {})}:
            field = self._meta.model._meta.get_field(name)
            through = field.remote_field.through
            owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            chosen = [instance for instance in instances if name in instance._import_m2m]
            through.objects.filter(**{f"{owner}__in": chosen}).delete()
            through.objects.bulk_create(
                through(**{f"{owner}_id": instance.pk, f"{target}_id": related.pk})
                for instance in chosen
                for related in instance._import_m2m[name]
            )
