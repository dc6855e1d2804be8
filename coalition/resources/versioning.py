"""No lost update on import: exported rows carry their version, and a row over a newer version is refused."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import router, transaction
from import_export import fields, widgets

from .. import versioning

VERSION_COLUMN = "version"


class VersionedResourceMixin:
    """Exports an optional `version` column (a hash of the row's other cells) and refuses imports over newer rows."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Added per instance: the resources' `fields` lists name only the record's own columns.
        self.fields[VERSION_COLUMN] = fields.Field(
            column_name=VERSION_COLUMN, readonly=True, widget=widgets.CharWidget()
        )

    def get_user_visible_fields(self):
        # The preview shows the record's changes; the version's own change would only be noise there.
        return [field for field in super().get_user_visible_fields() if field.column_name != VERSION_COLUMN]

    def _versioned_fields(self) -> list:
        return [field for field in self.get_export_fields() if field.column_name != VERSION_COLUMN]

    def cells(self, instance) -> dict[str, str]:
        """Return the row the export writes for `instance`, without its version, by column."""
        return {field.column_name: self.export_field(field, instance) for field in self._versioned_fields()}

    def version_of(self, instance) -> str:
        """Return the version the export writes for `instance`: a short hash of its other cells."""
        return versioning.fingerprint(self.cells(instance))

    def dehydrate_version(self, instance):
        return self.version_of(instance) if instance.pk is not None else ""

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        version = str(row.get(VERSION_COLUMN) or "").strip()
        if new or not version:
            return  # a new record, or a file typed without versions: nothing to compare
        if getattr(instance, "_locked_by_import", False):
            current = instance  # read (and locked) with its batch, not yet changed by the row
        else:
            model = type(instance)
            using = router.db_for_write(model)
            current = model._base_manager.using(using)
            if transaction.get_connection(using).in_atomic_block:
                current = current.select_for_update()  # no one may change the row between this check and the save
            current = current.get(pk=instance.pk)
        if self.version_of(current) != version:
            raise ValidationError({VERSION_COLUMN: self.stale_reason(current, version)})

    def stale_reason(self, current, version: str) -> str:
        """Return which columns changed since the file's version was exported, and by whom, as the history tells."""
        entries = versioning.history(type(current), current.pk)
        now = self.cells(current)
        for index, entry in enumerate(entries):
            try:
                then = self.cells(entry.instance)
            except (ObjectDoesNotExist, AttributeError):
                continue  # an old version pointing at a record deleted since cannot be written as a row
            if versioning.fingerprint(then) == version:
                changed = [column for column, value in now.items() if then.get(column) != value]
                newest = entries[0] if index else None
                by = versioning.signed_by(versioning.author(newest), getattr(newest, "history_date", None), "changed")
                columns = ", ".join(changed)
                return f"changed since the file was exported: {columns}{by}. Export it again and redo the change."
        return (
            "changed since the file was exported (or the version cell was edited). "
            "Export the records again and redo the change in the new file."
        )
