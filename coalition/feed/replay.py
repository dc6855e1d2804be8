"""Applying a change feed to a database: each change created, updated or deleted by id, in feed order."""

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, transaction

from .tables import feed_tables


class ReplayError(ValueError):
    """A change that names no public table or lacks the values its action needs."""


def _apply(table, change: dict) -> None:
    model, pk = table.model, change["id"]
    if change["action"] == "deleted":
        # What points at it was deleted before it in the feed, or goes with it here as on the site (cascade).
        model._base_manager.filter(pk=pk).delete()
        return
    values = change.get("values")
    if not isinstance(values, dict):
        raise ReplayError(f"Change {change.get('cursor')}: a {change['action']} change needs its values.")
    instance = model._base_manager.filter(pk=pk).first() or model(pk=pk)
    for field in table.fields:
        value = values[field.name]
        if field.many_to_one:
            setattr(instance, field.attname, value["id"] if value else None)
        else:
            setattr(instance, field.attname, field.to_python(value))
    instance.save()
    for field in table.m2m_fields:
        getattr(instance, field.name).set([link["id"] for link in values[field.name]])


def apply_changes(changes: Iterable[dict]) -> int:
    """Apply `changes` (as the feed gives them, in its order) in one transaction; return how many were applied."""
    tables = {table.name: table for table in feed_tables()}
    applied = 0
    with transaction.atomic():
        for change in changes:
            table = tables.get(change.get("table"))
            if table is None:
                raise ReplayError(f"Change {change.get('cursor')}: no public table {change.get('table')!r}.")
            _apply(table, change)
            applied += 1
        # Rows came with their ids: the id sequences (PostgreSQL) must move past them for the next new row.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in feed_tables()]):
                cursor.execute(statement)
    return applied
