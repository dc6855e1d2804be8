from django.core.management.base import BaseCommand, CommandError

from ...synthetic import Refused, check_target, generate


class Command(BaseCommand):
    help = (
        "Fill the configured database with realistic synthetic data (summits, participants, people, commitments, "
        "statements, discrepancies, sources and valid citations) for benchmarks. Writes only when --database repeats "
        "the name of the database DATABASE_URL points at."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, required=True, help="How many commitments to write.")
        parser.add_argument(
            "--database",
            dest="database_name",
            required=True,
            help="The name of the database DATABASE_URL points at (for SQLite its file's name or path), as a check.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (same seed, same data).")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Write even though the database holds records that were not generated.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Generate, report, then roll everything back.")

    def handle(self, *args, commitments, database_name, seed, append, dry_run, **options):
        if commitments < 1:
            raise CommandError("--commitments must be at least 1.")
        try:
            check_target(database_name, append=append)
        except Refused as refusal:
            raise CommandError(str(refusal)) from None
        generated = generate(commitments, seed=seed, dry_run=dry_run, report=self.stdout.write)
        self.stdout.write(str(generated))
