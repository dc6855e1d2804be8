from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ... import aggregates


class Command(BaseCommand):
    help = (
        "Compare every stored count (per summit, record, source, and the stance tally) with a fresh count of the "
        "rows it counts; print each difference and exit non-zero when any differs. With --fix, put the database's "
        "triggers back in place and recount."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Reinstall the triggers and recount what differs.")
        parser.add_argument("--dry-run", action="store_true", help="With --fix: report, change nothing.")

    def handle(self, *args, fix, dry_run, **options):
        found = aggregates.mismatches()
        for mismatch in found:
            self.stderr.write(str(mismatch))
        stale = sum(mismatch.rows for mismatch in found)
        if fix:
            with transaction.atomic():
                aggregates.install()
                aggregates.rebuild()
                left = aggregates.mismatches()
                if dry_run:
                    transaction.set_rollback(True)
            prefix = "[dry run] " if dry_run else ""
            self.stdout.write(f"{prefix}recounted: created 0, updated {stale}, skipped 0")
            if left:
                raise CommandError(f"{len(left)} count(s) still differ after recounting: {left[0]}")
            return
        self.stdout.write(f"checked every stored count: {len(found)} differ ({stale} rows)")
        if found:
            raise CommandError(f"{len(found)} stored count(s) differ from a fresh count; run with --fix.")
