"""Writing history rows that django-simple-history does not write by itself, and change reasons."""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import connections, router
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

from ..models import Citation

SEED_REASON = "Loaded from the seed data"
RESEED_REASON = "Reloaded from the seed data"
FIRST_ROW_REASON = "First history row, written for a record that had none"
CASCADE_REASON = "Deleted with the record it backs"
RESTORE_REASON = "Restored after its deletion"

_change_reason: ContextVar[str | None] = ContextVar("coalition_change_reason", default=None)


def is_tracked(model) -> bool:
    """Return whether django-simple-history keeps the history of `model`."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def tracked_models() -> list:
    """Return every coalition model whose history is kept."""
    return [model for model in apps.get_app_config("coalition").get_models() if is_tracked(model)]


@contextmanager
def change_reason(reason: str):
    """Give every history row written inside the block `reason` (unless the code saving sets its own)."""
    token = _change_reason.set(reason)
    try:
        yield
    finally:
        _change_reason.reset(token)


def current_change_reason() -> str | None:
    """Return the change reason `change_reason` gives the history rows written now, if any."""
    return _change_reason.get()


def current_history_user():
    """Return the user django-simple-history gives the history rows written now: the request's, if signed in."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@receiver(pre_save, dispatch_uid="coalition_change_reason_on_save")
@receiver(pre_delete, dispatch_uid="coalition_change_reason_on_delete")
def _apply_change_reason(sender, instance, **kwargs):
    reason = _change_reason.get()
    if reason and is_tracked(sender) and not hasattr(instance, "_change_reason"):
        instance._change_reason = reason


@receiver(pre_delete, sender=Citation, dispatch_uid="coalition_mark_cascaded_citations")
def _mark_cascaded_citation(sender, instance, origin=None, **kwargs):
    # A citation deleted because its commitment (statement, discrepancy, summit…) was deleted says so, so that
    # restoring that record brings back these citations and not the ones an editor deleted on purpose.
    if origin is not None and not isinstance(origin, Citation) and getattr(origin, "model", None) is not Citation:
        instance._change_reason = CASCADE_REASON


def record_history(model, instances, *, history_type: str = "+", reason: str, user=None, date=None) -> list:
    """Write one history row ("+" or "~") per instance, with its many-to-many links; return the rows."""
    instances = list(instances)
    if not instances:
        return []
    history = get_history_manager_for_model(model)
    rows = history.bulk_history_create(
        instances,
        update=history_type == "~",
        default_user=user,
        default_change_reason=reason,
        default_date=date or timezone.now(),
    )
    for m2m_field in history.model._history_m2m_fields:
        # bulk_history_create leaves out the links that a save's history row snapshots: write them too.
        through = m2m_field.remote_field.through
        owner = m2m_field.m2m_field_name()
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{owner}__in": [instance.pk for instance in instances]}):
            links[getattr(link, f"{owner}_id")].append(link)
        link_history = getattr(history.model, m2m_field.name).model
        pk_name = model._meta.pk.attname
        link_history.objects.bulk_create(
            link_history(history=row, **{f.attname: getattr(link, f.attname) for f in through._meta.fields})
            for row in rows
            for link in links[getattr(row, pk_name)]
        )
    return rows


HISTORY_COLUMNS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")


def copy_to_history(model, pks, *, history_type: str, reason: str | None, user=None, date=None) -> None:
    """Write one history row ("+" or "~") per record of `pks`, copied by the database from the records' table.

    For a batch of thousands of rows this is one INSERT … SELECT per 500 records instead of a model instance
    each; models whose history snapshots many-to-many links go through `record_history`.
    """
    history = get_history_manager_for_model(model).model
    if history._history_m2m_fields:
        record_history(model, model._default_manager.filter(pk__in=pks), history_type=history_type, reason=reason,
                       user=user, date=date)  # fmt: skip
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    copied = [field for field in history._meta.concrete_fields if field.name not in HISTORY_COLUMNS]
    targets = ", ".join(quote(field.column) for field in copied)
    sources = ", ".join(quote(model._meta.get_field(field.name).column) for field in copied)
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chosen = pks[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({targets}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {sources}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chosen))})",
                [
                    connection.ops.adapt_datetimefield_value(date or timezone.now()), reason, history_type,
                    getattr(user, "pk", None), *chosen,
                ],
            )  # fmt: skip


@contextmanager
def recording_raw_saves():
    """Collect the records that raw saves (loaddata) write, as {model: {pk: created}}, without history rows.

    Raw saves write no history, except for many-to-many links that the loader sets after the save; those are
    left out too, so that `record_loaded` can write one complete row per record.
    """
    loaded: dict = defaultdict(dict)

    def collect(sender, instance, created, raw=False, **kwargs):
        if raw and is_tracked(sender):
            loaded[sender].setdefault(instance.pk, created)
            instance.skip_history_when_saving = True  # read by simple-history's many-to-many receiver

    post_save.connect(collect, weak=False, dispatch_uid="coalition_recording_raw_saves")
    try:
        yield loaded
    finally:
        post_save.disconnect(dispatch_uid="coalition_recording_raw_saves")


def record_loaded(
    loaded: dict, *, created_reason: str = SEED_REASON, updated_reason: str = RESEED_REASON, date=None
) -> int:
    """Write a history row for every record `recording_raw_saves` collected, dated `date` (now); return how many."""
    now = date or timezone.now()
    written = 0
    for model, pks in loaded.items():
        records = model._default_manager.in_bulk(list(pks))
        for history_type, reason in (("+", created_reason), ("~", updated_reason)):
            chosen = [record for pk, record in records.items() if pks[pk] == (history_type == "+")]
            written += len(record_history(model, chosen, history_type=history_type, reason=reason, date=now))
    return written


def record_missing_history(reason: str = FIRST_ROW_REASON, *, date=None) -> int:
    """Write a first history row, dated `date` (now), for every record that has none (e.g. countries from a
    migration)."""
    now = date or timezone.now()
    written = 0
    for model in tracked_models():
        history = get_history_manager_for_model(model)
        pk_name = model._meta.pk.attname
        missing = model._default_manager.exclude(pk__in=history.values(pk_name))
        written += len(record_history(model, missing, reason=reason, date=now))
    return written
