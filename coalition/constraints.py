"""Violated unique constraints as messages that name the record already there, with a link to its change page.

Django's own messages say only what is wrong (“Another commitment of this summit has this slug.”); an editor then
has to find the other record. These say which one it is. Models mix in `NamesExistingRecord`, so the admin's
forms and inlines, its import and any view that validates a record (`full_clean`) all show them.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString


def unique_sets(model) -> list[tuple[str, tuple[str, ...], models.Q | None]]:
    """Return (error key, field names, condition) for every unique field and field-based UniqueConstraint."""
    sets = [
        (field.name, (field.name,), None)
        for field in model._meta.local_fields
        if field.unique and not field.primary_key
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((NON_FIELD_ERRORS, tuple(constraint.fields), constraint.condition))
    return sets


def existing_record(instance, fields, condition=None):
    """Return the saved record other than `instance` with the same values of `fields`, or None (NULL never clashes)."""
    model = type(instance)
    lookup = {}
    for name in fields:
        field = model._meta.get_field(name)
        value = getattr(instance, field.attname)
        if value is None:
            return None
        lookup[field.attname] = value
    rows = model._default_manager.filter(**lookup)
    if condition is not None:
        rows = rows.filter(condition)
    if instance.pk is not None:
        rows = rows.exclude(pk=instance.pk)
    return rows.first()


def change_link(record) -> SafeString:
    """Return the record's label, as a link to its admin change page where it has one."""
    meta = record._meta
    try:
        address = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return format_html("{}", record)
    return format_html('<a href="{}">{}</a>', address, record)


def existing_message(record) -> SafeString:
    """Return the sentence naming `record`, the one already there, with a link to it."""
    return format_html("The existing {}: {} — change that one instead.", record._meta.verbose_name, change_link(record))


def violation_messages(instance, exclude=(), *, of: str = "all") -> dict[str, list[SafeString]]:
    """Return, by error key (a field or NON_FIELD_ERRORS), the messages naming each saved record that `instance`
    would clash with under a unique field or constraint (`of`: "fields", "constraints" or "all") none of whose
    fields is in `exclude`.

    The reading view calls this to explain a refused citation; the models call it when their validation fails.
    """
    found: dict[str, list[SafeString]] = {}
    for key, fields, condition in unique_sets(type(instance)):
        if set(fields) & set(exclude or ()) or of != "all" and (key == NON_FIELD_ERRORS) != (of == "constraints"):
            continue
        record = existing_record(instance, fields, condition)
        if record is not None:
            found.setdefault(key, []).append(existing_message(record))
    return found


def with_existing(instance, error: ValidationError, exclude=(), *, of: str = "all") -> ValidationError:
    """Return `error` with, after its messages, the ones naming the records `instance` clashes with."""
    errors = error.update_error_dict({})
    for key, messages in violation_messages(instance, exclude, of=of).items():
        errors.setdefault(key, []).extend(ValidationError(message, code="existing") for message in messages)
    return ValidationError(errors)


class NamesExistingRecord:
    """Mixin for models: a unique field or constraint that fails validation names the record already there."""

    def validate_unique(self, exclude=None):
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            raise with_existing(self, error, exclude, of="fields") from None

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise with_existing(self, error, exclude, of="constraints") from None
