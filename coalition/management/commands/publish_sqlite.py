from pathlib import Path

from django.core.management.base import BaseCommand

from ...publication import published_sqlite, write_sqlite


class Command(BaseCommand):
    help = "Write the public data as one SQLite file (the tables without editorial notes, and a view per CSV)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="File to write; by default the one /data/coalition.sqlite serves."
        )

    def handle(self, *args, output, **options):
        if output is None:
            output = published_sqlite()  # built only if the data changed since the last one
        else:
            for table, rows in write_sqlite(output).items():
                self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(f"{output.resolve()}: {output.stat().st_size} bytes")
