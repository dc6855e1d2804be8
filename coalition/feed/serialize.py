"""Changes as the feed gives them: one dict per history row, with public values and natural keys."""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from .cursor import encode_cursor
from .keys import KeyResolver
from .tables import FeedTable, instance_of, slot

ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}


def position(table: FeedTable, row) -> tuple:
    """Return a history row's place in the feed's total order: (time, slot, history id)."""
    return (row.history_date, slot(table, row.history_type), row.history_id)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _links(rows: list) -> dict:
    """Return {(table name, history id): {m2m field name: [target ids]}} for the rows, a query per field."""
    links: dict = defaultdict(lambda: defaultdict(list))
    by_table = defaultdict(list)
    for table, row in rows:
        if table.m2m_fields and row.history_type != "-":
            by_table[table].append(row.history_id)
    for table, ids in by_table.items():
        for field in table.m2m_fields:
            link_model = getattr(table.history_model, field.name).model
            target = f"{field.m2m_reverse_field_name()}_id"
            for link in link_model.objects.filter(history_id__in=ids).order_by(target):
                links[(table.name, link.history_id)][field.name].append(getattr(link, target))
    return links


def describe_changes(rows: list) -> list[dict]:
    """Return the feed's changes for (table, history row) pairs in feed order, reading keys in bulk."""
    resolver = KeyResolver()
    links = _links(rows)
    instances = []
    for table, row in rows:
        instance = instance_of(row)
        instances.append(instance)
        resolver.need(table.model, instance.pk)
        resolver.need_targets(instance)
        for field in table.m2m_fields:
            for pk in links[(table.name, row.history_id)][field.name]:
                resolver.need(field.related_model, pk)
    resolver.load()
    changes = []
    for (table, row), instance in zip(rows, instances, strict=True):
        resolver.link(instance)
        change = {
            "cursor": encode_cursor(position(table, row)),
            "time": row.history_date,
            "action": ACTIONS[row.history_type],
            "table": table.name,
            "id": instance.pk,
            "key": resolver.key(instance),
            "values": None,
        }
        if row.history_type != "-":
            values = {}
            for field in table.fields:
                value = getattr(instance, field.attname)
                values[field.name] = (
                    resolver.reference(field.related_model, value) if field.many_to_one else _plain(value)
                )
            for field in table.m2m_fields:
                ids = links[(table.name, row.history_id)][field.name]
                values[field.name] = [resolver.reference(field.related_model, pk) for pk in ids]
            change["values"] = values
        changes.append(change)
    return changes
