from pathlib import Path

from django.core.management.base import BaseCommand

from ...importers import export_tables


class Command(BaseCommand):
    help = (
        "Write every table as <table>.csv into DIR, keyed by readable natural keys (the files import_tables "
        "and the admin's import read)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        for table, rows in export_tables(directory).items():
            self.stdout.write(f"{directory / (table + '.csv')}: {rows} rows")
