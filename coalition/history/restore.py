"""Bringing back a deleted record, with the same id, from its last history row."""

from dataclasses import dataclass

from django.db import transaction

from ..models import Citation
from ..selectors.history import deleted_record
from .citations import HistoryRefused, describe_record, save_with_history, subject_field
from .recording import CASCADE_REASON, RESTORE_REASON, record_history


@dataclass
class Restored:
    """A record brought back from its history, and how many of its citations came back with it."""

    record: object
    citations: int = 0


def restore_deleted(model, pk, *, user) -> Restored:
    """Recreate a deleted record from its last history row, with the same id, or raise HistoryRefused.

    A commitment, statement or discrepancy gets back the citations that were deleted with it.
    """
    opts = model._meta
    deletion = deleted_record(model, pk)
    if deletion is None:
        raise HistoryRefused(f"There is no deleted {opts.verbose_name} with id {pk}: it exists, or never did.")
    last_live = deletion.prev_record
    instance = deletion.instance
    label = f"The {opts.verbose_name} “{describe_record(instance)}” cannot be restored"
    with transaction.atomic():
        instance.skip_history_when_saving = True  # one complete row below, links included
        save_with_history(instance, user=user, reason=RESTORE_REASON, label=label, force_insert=True)
        for m2m_field in opts.many_to_many:
            if last_live is not None and hasattr(last_live, m2m_field.name):
                target = m2m_field.m2m_reverse_field_name()
                ids = getattr(last_live, m2m_field.name).values_list(f"{target}_id", flat=True)
                related = m2m_field.related_model._default_manager.filter(pk__in=list(ids))
                getattr(instance, m2m_field.name).set(related)
        del instance.skip_history_when_saving
        record_history(model, [instance], reason=RESTORE_REASON, user=user)
        cascaded = citations_deleted_with(deletion)
        for row in cascaded:
            save_with_history(
                row.instance, user=user, reason=RESTORE_REASON, label=f"{label}: citation {row.id}", force_insert=True
            )
    return Restored(instance, len(cascaded))


def citations_deleted_with(deletion) -> list:
    """Return the history rows of the citations deleted together with the record of `deletion` (a "-" row).

    Those are its citations still deleted whose deletion was a cascade after the record's last live version: a
    citation is deleted by cascade only when its record is, and the record was deleted once since then.
    (Their rows may come a moment before or after the record's own, in the order Django deletes.)
    """
    model = deletion.instance_type
    name = subject_field(model)
    if name is None:
        return []
    rows = Citation.history.latest_of_each().filter(
        **{f"{name}_id": getattr(deletion, model._meta.pk.attname)},
        history_type="-",
        history_change_reason=CASCADE_REASON,
    )
    if (last_live := deletion.prev_record) is not None:
        rows = rows.filter(history_date__gte=last_live.history_date)
    return list(rows.order_by("id"))
