from pathlib import Path

from django.core.management.base import BaseCommand

from ...datapackage import write_package


class Command(BaseCommand):
    help = "Write every public table (coalition.vocabulary) as <table>.csv and datapackage.json into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write into; created if missing.")

    def handle(self, *args, directory, **options):
        written = write_package(directory)
        for name, rows in written.items():
            self.stdout.write(f"{directory / (name + '.csv')}: {rows} rows")
        self.stdout.write(f"{directory / 'datapackage.json'}: the Frictionless Data Package descriptor")
