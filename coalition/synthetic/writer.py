"""Batched inserts with ids chosen up front, so that rows can point at each other before they are written."""

import time
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max, Model


class Writer:
    """Buffers new rows per model, gives each its id, and writes them with bulk_create in dependency order."""

    def __init__(
        self,
        models: list[type[Model]],
        *,
        using: str,
        batch: int,
        report: Callable[[str], None],
        written: Callable[[type[Model], int], object] = lambda model, rows: None,
    ):
        self.models = models  # in the order their rows must reach the database
        self.on_written = written  # told (model, rows) after each batch, e.g. to move a progress bar
        self.using = using
        self.batch = batch
        self.report = report
        self.pending: dict[type[Model], list[Model]] = {model: [] for model in models}
        self.written = dict.fromkeys(models, 0)
        self.seconds = dict.fromkeys(models, 0.0)
        self.next_id = {
            model: (model._base_manager.using(using).aggregate(top=Max("pk"))["top"] or 0) + 1 for model in models
        }
        self.last_report = time.monotonic()

    def add(self, row: Model) -> Model:
        """Give `row` the next id of its model and queue it; write every queue once one is full."""
        model = type(row)
        if model._meta.pk.name == "id":
            row.pk = self.next_id[model]
            self.next_id[model] += 1
        self.pending[model].append(row)
        if len(self.pending[model]) >= self.batch:
            self.flush()
        return row

    def flush(self) -> None:
        """Write every queued row, parents before children."""
        for model in self.models:
            rows = self.pending[model]
            if not rows:
                continue
            started = time.perf_counter()
            model._base_manager.using(self.using).bulk_create(rows, batch_size=self.batch)
            self.seconds[model] += time.perf_counter() - started
            self.written[model] += len(rows)
            self.on_written(model, len(rows))
            self.pending[model] = []
        if time.monotonic() - self.last_report >= 5:
            self.last_report = time.monotonic()
            self.report("  " + "; ".join(self.progress_line(m) for m in self.models if self.written[m]))

    def progress_line(self, model: type[Model]) -> str:
        """Return "<table>: N rows, R rows/s" for what was written of `model` so far."""
        rate = self.written[model] / self.seconds[model] if self.seconds[model] else 0
        return f"{model._meta.verbose_name_plural}: {self.written[model]:,} rows, {rate:,.0f} rows/s"

    def finish(self) -> None:
        """Write what is left, move the id sequences past the ids given here, and refresh the planner's statistics."""
        self.flush()
        connection = connections[self.using]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)
            # Without fresh statistics the planner takes the new tables for empty ones, and the recount that follows
            # scans the citations once per commitment instead of using their indexes.
            for model in self.models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
