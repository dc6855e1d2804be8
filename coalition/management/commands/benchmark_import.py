import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...bulk.benchmark import run

MIB = 2**20


def _number(value, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


class Command(BaseCommand):
    help = (
        "Fill a throwaway database with about N rows of synthetic data and print rows per second and peak memory "
        "for export_tables, import_tables, the admin's import of the commitments file, a plain bulk_create and the "
        "database's own CSV loader, on the database DATABASE_URL names. The configured database is not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="N; several for a series.")
        parser.add_argument(
            "--admin-rows", type=int, default=50_000,
            help="Rows of the commitments file the admin imports (the generated ones, repeated under new slugs).",
        )  # fmt: skip

    def handle(self, *args, rows, admin_rows, **options):
        if len(rows) > 1:
            # Each size in a process of its own: a peak is that of its own run, not of the memory a larger
            # earlier run left the process holding.
            for count in rows:
                command = [sys.executable, "-m", "django", "benchmark_import", "--rows", str(count)]
                done = subprocess.run([*command, "--admin-rows", str(admin_rows)], capture_output=True, text=True)
                if done.returncode:
                    raise CommandError(f"the run of {count:,} rows failed:\n{done.stderr}")
                self.stdout.write(done.stdout, ending="")
            return
        for count in rows:
            result = run(count, admin_rows=admin_rows)
            tables = ", ".join(f"{name} {n:,}" for name, n in result.tables.items() if n)
            self.stdout.write(f"\nN = {count:,}: {result.total:,} rows on {connection.vendor} ({tables})")
            self.stdout.write(
                f"{'method':<58}{'rows':>9}{'seconds':>9}{'rows/s':>11}{'peak MiB':>10}{'growth MiB':>12}"
            )
            for figure in result.figures:
                peak = figure.peak / MIB if figure.peak is not None else None
                growth = figure.growth / MIB if figure.growth is not None else None
                self.stdout.write(
                    f"{figure.method:<58}{figure.rows:>9,}{_number(figure.seconds, '.2f'):>9}"
                    f"{_number(figure.rows_per_second, ',.0f'):>11}{_number(peak, '.1f'):>10}"
                    f"{_number(growth, '.1f'):>12}" + (f"  ({figure.note})" if figure.note else "")
                )
        self.stdout.write(
            "\nrows: the rows the step reads or writes; rows/s: rows over seconds (one run, wall clock). "
            "peak MiB: the process's peak resident memory during the step (Linux: VmHWM reset before it); "
            "growth MiB: that peak above the memory in use before the step."
        )
