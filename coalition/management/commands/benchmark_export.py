from django.core.management.base import BaseCommand
from django.db import connection

from ...benchmark import run


class Command(BaseCommand):
    help = (
        "Fill a throwaway database with N synthetic commitments (with citations) and print, for the streaming "
        "CSV endpoint and the admin's django-import-export export, rows per second, peak memory and the ratio "
        "to the database's own CSV output. The configured database is not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="N; several for a series.")
        parser.add_argument(
            "--skip-import-export", action="store_true", help="Leave out the (slow) django-import-export export."
        )

    def handle(self, *args, rows, skip_import_export, **options):
        for count in rows:
            figures = run(count, import_export=not skip_import_export)
            base = figures[0].rows_per_second
            self.stdout.write(f"\nN = {count:,} commitments, each with a citation, on {connection.vendor}")
            self.stdout.write(f"{'method':<52}{'seconds':>9}{'rows/s':>12}{'peak MiB':>10}{'× database':>12}")
            for figure in figures:
                rate = figure.rows_per_second
                self.stdout.write(
                    f"{figure.method:<52}"
                    f"{(f'{figure.seconds:.2f}' if figure.seconds else '—'):>9}"
                    f"{(f'{rate:,.0f}' if rate else '—'):>12}"
                    f"{(f'{figure.peak_bytes / 2**20:.1f}' if figure.peak_bytes is not None else '—'):>10}"
                    f"{(f'{rate / base:.2f}' if rate and base else '—'):>12}"
                    + (f"  ({figure.note})" if figure.note else "")
                )
        self.stdout.write("\nPeak MiB is Python's own allocations (tracemalloc) while the CSV is produced.")
