from django.core.management.base import BaseCommand, CommandError

from ...verification import verify_citations


class Command(BaseCommand):
    help = (
        "Re-check every citation against its source's stored text; print each failure and exit non-zero when any fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix-offsets",
            action="store_true",
            help="Recompute the offsets of quotes that are still verbatim somewhere in their source.",
        )
        parser.add_argument("--dry-run", action="store_true", help="With --fix-offsets: report, change nothing.")

    def handle(self, *args, fix_offsets, dry_run, **options):
        report = verify_citations(fix_offsets=fix_offsets, dry_run=dry_run)
        for problem in report.source_problems:
            self.stderr.write(problem)
        for failure in report.failures:
            self.stderr.write(str(failure))
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(
            f"{prefix}checked {report.checked} citations: {len(report.failures)} failed; "
            f"created 0, updated {report.fixed}, skipped {report.checked - report.fixed}"
        )
        if not report.ok:
            raise CommandError(f"{len(report.failures) + len(report.source_problems)} problem(s) found.")
