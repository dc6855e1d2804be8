from django.core.management.base import BaseCommand, CommandError

from ...feed.replay import ReplayError, apply_changes
from ...feed.source import changes_from_file, changes_from_url


class Command(BaseCommand):
    help = (
        "Apply the public change feed to this database (a local copy): every change after --after, read from the "
        "site's /api/v1/changes/ (--url) or from a saved file (--file), in one transaction. Prints the cursor to "
        "give as --after next time."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--url", help="The feed's address, e.g. https://example.org/api/v1/changes/.")
        where.add_argument("--file", help="A saved feed response (or a list of them, or of changes), as JSON.")
        parser.add_argument("--after", help="With --url: start after this cursor (the one printed last time).")

    def handle(self, *args, url, file, after, **options):
        try:
            changes, cursor = changes_from_url(url, after=after) if url else changes_from_file(file)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read the feed: {error}") from error
        try:
            applied = apply_changes(changes)
        except (ReplayError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot apply the feed: {error}") from error
        self.stdout.write(f"applied {applied} changes; next time give --after {cursor}" if cursor else
                          f"applied {applied} changes")  # fmt: skip
