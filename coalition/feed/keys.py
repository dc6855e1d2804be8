"""Natural keys of the records a page of changes names, read in bulk: a query or two per model, not per change."""

from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist

from .tables import feed_table, feed_tables, instance_of


class KeyResolver:
    """Finds records by id (as they are now, or as last recorded when deleted) to give their natural keys."""

    def __init__(self):
        self.needed: dict = defaultdict(set)
        self.instances: dict = defaultdict(dict)

    def need(self, model, pk) -> None:
        """Ask for the record `pk` of `model` to be loaded by the next `load`."""
        if pk is not None:
            self.needed[model].add(pk)

    def need_targets(self, instance) -> None:
        """Ask for the records `instance`'s foreign keys point at."""
        for field in feed_table(type(instance)).foreign_keys:
            self.need(field.related_model, getattr(instance, field.attname))

    def load(self) -> None:
        """Read every record asked for, and what they point at, in one or two queries per model."""
        # Dependents first: by the time a model is read, every record pointing at it has asked for its targets.
        for table in reversed(feed_tables()):
            model = table.model
            wanted = self.needed.pop(model, set()) - self.instances[model].keys()
            if not wanted:
                continue
            found = model._base_manager.in_bulk(list(wanted))
            if missing := wanted - found.keys():
                pk_name = model._meta.pk.attname
                rows = table.history_model.objects.filter(**{f"{pk_name}__in": list(missing)})
                for row in rows.order_by(pk_name, "-history_date", "-history_id"):
                    found.setdefault(getattr(row, pk_name), instance_of(row))
            self.instances[model].update(found)
            for instance in found.values():
                self.need_targets(instance)
        for by_id in self.instances.values():
            for instance in by_id.values():
                self.link(instance)

    def link(self, instance) -> None:
        """Attach to `instance` the loaded records its foreign keys point at, so that no query follows them."""
        for field in feed_table(type(instance)).foreign_keys:
            target = self.instances[field.related_model].get(getattr(instance, field.attname))
            if target is not None:
                field.set_cached_value(instance, target)

    def key(self, instance) -> list | None:
        """Return `instance`'s natural key, or None when a record it needs was never recorded."""
        try:
            return list(instance.natural_key())
        except ObjectDoesNotExist:
            return None

    def reference(self, model, pk) -> dict | None:
        """Return {"id", "key"} for the record `pk` of `model` (loaded before), or None for no record."""
        if pk is None:
            return None
        instance = self.instances[model].get(pk)
        return {"id": pk, "key": self.key(instance) if instance is not None else None}
