"""Read queries over the kept history: records that were deleted and not brought back."""

from django.core.exceptions import ValidationError
from simple_history.utils import get_history_manager_for_model


def deleted_records(model):
    """Return the last history row of every `model` record that was deleted and does not exist now, newest first."""
    pk_name = model._meta.pk.attname
    return (
        get_history_manager_for_model(model)
        .latest_of_each()
        .filter(history_type="-")
        .exclude(**{f"{pk_name}__in": model._default_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date", f"-{pk_name}")
    )


def deleted_record(model, pk):
    """Return the last history row of the deleted `model` record with id `pk`, or None (also for a malformed id)."""
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:
        return None
    return deleted_records(model).filter(**{model._meta.pk.attname: pk}).first()
