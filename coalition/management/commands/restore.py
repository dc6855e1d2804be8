from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore FILE, written by the backup command, into an empty migrated database, in one transaction: "
        "a damaged file or a database that is not empty changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and restore it, then roll back.")

    def handle(self, *args, file, dry_run, **options):
        try:
            created = restore_backup(file, dry_run=dry_run)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for table, rows in created.items():
            self.stdout.write(f"{table}: created {rows}")
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(f"{prefix}created {sum(created.values())}, updated 0, skipped 0")
