from django.core.management.base import BaseCommand

from ...seed import SEED_FIXTURES, load_seed_data


class Command(BaseCommand):
    help = (
        "Load the seed data (the articles in seeds/ and the records in fixtures/) into an empty database. "
        f"Fixtures, in order: {', '.join(SEED_FIXTURES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even when summits exist: fixture records overwrite edits."
        )
        parser.add_argument("--dry-run", action="store_true", help="Load, report, then roll everything back.")

    def handle(self, *args, force, dry_run, **options):
        report = load_seed_data(force=force, dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(f"{prefix}{report}")
        if report.skipped:
            self.stdout.write("The database already holds summits; nothing was loaded (use --force to reload).")
