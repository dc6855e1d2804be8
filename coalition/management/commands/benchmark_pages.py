from django.core.management.base import BaseCommand
from django.db import connection

from ...pagebench import PARTS, row_counts, run, table_header, table_row


class Command(BaseCommand):
    help = (
        "Time every public page, CSV, second page and admin list view (page 1, last page, search, each filter, each "
        "sortable column, a change and an add page) on the configured database: median milliseconds, queries and "
        "peak memory, as a table. Figures, not assertions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3, help="Timed runs per page; the median is shown.")
        parser.add_argument(
            "--timeout", type=float, default=0, help="Give up on a page whose queries take longer (seconds; 0: never)."
        )
        parser.add_argument("--only", default="", help="Measure only the pages whose label or address contains this.")
        parser.add_argument(
            "--part", choices=PARTS, default="all", help="Measure the public pages, the admin pages, or all."
        )
        parser.add_argument(
            "--no-memory",
            action="store_false",
            dest="memory",
            help="Leave out the peak-memory pass (tracemalloc), which takes longer than the timed runs together.",
        )

    def handle(self, *args, runs, only, timeout, part, memory, **options):
        counts = ", ".join(f"{label} {rows:,}" for label, rows in row_counts().items())
        self.stdout.write(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); rows: {counts}")
        self.stdout.write(table_header(runs))
        measured = run(
            runs=max(runs, 1),
            only=only,
            part=part,
            timeout=timeout,
            memory=memory,
            report=lambda m: self.stdout.write(table_row(m)),
        )
        over = sum(m.over for m in measured)
        self.stdout.write(f"{len(measured)} pages measured, {over} over target")
