from functools import partial

from django.core.management.base import BaseCommand

from ...accounts import STAFF_GROUPS, create_member
from ..accounts import create_and_report


class Command(BaseCommand):
    help = (
        "Create a user in the editor, researcher or linker group, able to log in to the editing interface. The "
        "password comes from COALITION_USER_PASSWORD or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", required=True, choices=STAFF_GROUPS, help="What the user may do.")
        parser.add_argument("--email", default="")
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; write nothing.")

    def handle(self, *args, username, group, email, dry_run, **options):
        create_and_report(
            self,
            partial(create_member, username=username, group=group, email=email),
            username=username,
            kind=group,
            variable="COALITION_USER_PASSWORD",
            dry_run=dry_run,
        )
