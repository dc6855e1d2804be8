"""The public models the change feed carries, in an order a replay can follow, with their public fields."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core import serializers
from django.db import models
from simple_history.utils import get_history_manager_for_model

from ..history import tracked_models
from ..vocabulary import TABLES

# Editorial notes are never public; derived counts are not in the history at all.
PRIVATE_FIELDS = frozenset({"notes"})


@dataclass(frozen=True)
class FeedTable:
    """One public model in the feed: its table name, its place in dependency order, its public fields."""

    name: str
    model: type[models.Model]
    rank: int  # dependency order: a model comes after every model it points at
    fields: tuple[models.Field, ...]
    m2m_fields: tuple[models.ManyToManyField, ...]

    @property
    def history_model(self) -> type[models.Model]:
        return get_history_manager_for_model(self.model).model

    @property
    def foreign_keys(self) -> tuple[models.ForeignKey, ...]:
        return tuple(field for field in self.fields if field.many_to_one)


def _table_name(model) -> str:
    # The vocabulary's name where it defines the table, else the model's plural ("signatories").
    named = {table.model: table.name for table in TABLES.values()}
    return named.get(model, str(model._meta.verbose_name_plural).replace(" ", "_"))


@cache
def feed_tables() -> tuple[FeedTable, ...]:
    """Return the public models' feed tables, each after the tables it points at."""
    ordered = serializers.sort_dependencies([(apps.get_app_config("coalition"), tracked_models())])
    tables = []
    for rank, model in enumerate(ordered):
        history = get_history_manager_for_model(model).model
        fields = tuple(f for f in history.tracked_fields if f.name not in PRIVATE_FIELDS)
        m2m = tuple(f for f in history._history_m2m_fields if f.name not in PRIVATE_FIELDS)
        tables.append(FeedTable(_table_name(model), model, rank, fields, m2m))
    return tuple(tables)


def instance_of(row) -> models.Model:
    """Return the record a history row holds, built from the row alone (simple-history's `instance` reads the
    current record for the fields history leaves out)."""
    return row.instance_type(**{field.attname: getattr(row, field.attname) for field in row.tracked_fields})


def feed_table(model) -> FeedTable:
    """Return the feed table of `model`."""
    return next(table for table in feed_tables() if table.model is model)


def slot(table: FeedTable, history_type: str) -> int:
    """Return where a change comes among the changes of one instant: creations and updates in dependency order,
    then deletions in reverse dependency order (a record goes after what points at it)."""
    count = len(feed_tables())
    return 2 * count - 1 - table.rank if history_type == "-" else table.rank
