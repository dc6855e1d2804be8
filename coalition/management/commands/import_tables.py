from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...importers import ImportRefused, import_tables


class Command(BaseCommand):
    help = (
        "Import every <table>.csv in DIR (as export_tables writes them) in one transaction: a bad row "
        "anywhere refuses everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back.")

    def handle(self, *args, directory, dry_run, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        try:
            report = import_tables(directory, dry_run=dry_run)
        except ImportRefused as refused:
            for message in refused.messages:
                self.stderr.write(f"{refused.file_label}: {message}")
            raise CommandError(f"{refused.file_label} was refused; nothing was imported.") from None
        for table, counts in report.counts.items():
            self.stdout.write(f"{table}: created {counts['new']}, updated {counts['update']}, skipped {counts['skip']}")
        self.stdout.write(("[dry run] " if dry_run else "") + str(report))
