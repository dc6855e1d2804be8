"""No lost update: admin forms carry the version they were opened on and refuse to save over a newer one."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import router, transaction

from .. import versioning

VERSION_FIELD = "opened_version"


class VersionField(forms.CharField):
    """A hidden field holding the signed version of the record as the form was opened."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        # A fresh version after a conflict is not an edit: it must neither save an unchanged inline row
        # nor appear in the change message.
        return False


class VersionedModelForm(forms.ModelForm):
    """A model form that remembers the database row it was opened on and refuses to save over a newer one."""

    opened_version = VersionField()

    def __init__(self, *args, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is None:
            return
        if version is None:
            # From the database, not from the instance: the history revert page's instance is an old version.
            model, pk = type(self.instance), self.instance.pk
            version = versioning.sign(model, pk, versioning.current_snapshot(model, pk))
        self.initial[VERSION_FIELD] = version

    def clean(self):
        cleaned_data = super().clean()
        self.version_conflict = self._check_version(self.cleaned_data.get(VERSION_FIELD))
        return cleaned_data

    def _check_version(self, token: str) -> dict | None:
        """Add an error when the record changed since the form was opened; return its current values then."""
        if not token:
            return None  # a form posted without a version (a script, not the browser) is not checked
        model = self._meta.model
        try:
            pk, opened = versioning.unsign(model, token)
        except signing.BadSignature:
            self.add_error(None, "The form's version mark is damaged: open the record again and redo your change.")
            return None
        if self.instance.pk is not None and versioning.plain(self.instance.pk) != pk:
            self.add_error(None, "The form's version mark belongs to another record: open the record again.")
            return None
        current = versioning.current_snapshot(model, pk, lock=True)
        if current == opened:
            return None
        name = model._meta.verbose_name
        if current is None:
            # The formset could not find the row either; this message says why.
            self._errors.pop(model._meta.pk.name, None)
            deleted = versioning.deletion(model, pk)
            self.add_error(None, f"This {name} was deleted after you opened the form{deleted}: nothing was saved.")
            return {}
        messages = [
            f"This {name} was changed by someone else after you opened the form, so your changes were not saved. "
            "Your input is kept below: review what changed since, then save again to apply it.",
            *map(str, versioning.changes(model, pk, opened or {}, current)),
        ]
        self.add_error(None, ValidationError(messages))
        # Saving this re-displayed form again means the editor has seen the current version.
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = versioning.sign(model, pk, current)
        self.data = data
        return current


class VersionedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose existing rows carry their versions, read in one query, and refuse stale deletions."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if not self.is_bound and index is not None and index < self.initial_form_count():
            kwargs["version"] = self._versions()[index]
        return kwargs

    def _versions(self) -> list[str]:
        if not hasattr(self, "_version_tokens"):
            model, pks = self.model, [obj.pk for obj in self.get_queryset()]
            current = versioning.current_snapshots(model, pks)
            self._version_tokens = [versioning.sign(model, pk, current.get(pk)) for pk in pks]
        return self._version_tokens

    def clean(self):
        super().clean()
        # Django ignores the errors of rows marked for deletion; deleting a row changed since is a conflict too.
        stale = [
            str(number)
            for number, form in enumerate(self.forms, start=1)
            if self.can_delete and self._should_delete_form(form) and getattr(form, "version_conflict", None)
        ]
        if stale:
            raise ValidationError(
                f"Row(s) {', '.join(stale)} marked for deletion were changed after you opened the form: "
                "nothing was saved. Review the changes shown there, then save again."
            )


class VersionedAdminMixin:
    """Model admin whose change and revert forms refuse to save over a version newer than the one opened."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), editable)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The revert page saves outside Django's change view: lock and compare in one transaction, as there.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedInlineMixin:
    """Inline whose existing rows refuse to save over a version newer than the one opened."""

    form = VersionedModelForm
    formset = VersionedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        return with_version_field(super().get_fieldsets(request, obj), self.has_change_permission(request, obj))


def with_version_field(fieldsets, editable: bool) -> list:
    """Return `fieldsets` with the hidden version field added to the first, when the form can be saved."""
    if not editable or not fieldsets:
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]
