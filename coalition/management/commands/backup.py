from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write every coalition record, its history, the users and groups and the admin log to FILE "
        "(gzip-compressed when FILE ends in .gz), for the restore command."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            counts = write_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for table, rows in counts.items():
            if rows:
                self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(f"wrote {file}: {sum(counts.values())} rows of {len(counts)} tables")
