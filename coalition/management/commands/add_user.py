import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...accounts import STAFF_GROUPS, create_member


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
        try:
            result = create_member(
                username=username,
                group=group,
                password=os.environ.get("COALITION_USER_PASSWORD") or None,
                email=email,
                dry_run=dry_run,
            )
        except ValidationError as error:
            raise CommandError(f"COALITION_USER_PASSWORD is too weak: {' '.join(error.messages)}") from error
        prefix = "[dry run] " if dry_run else ""
        if not result.created:
            self.stdout.write(f"{prefix}created 0, updated 0, skipped 1: the account “{username}” already exists.")
            return
        self.stdout.write(f"{prefix}created 1, updated 0, skipped 0: {group} account “{username}”.")
        if result.generated_password:
            self.stdout.write(
                self.style.WARNING(
                    f"{prefix}Log in as “{username}” with the password: {result.generated_password}\n"
                    "It is shown only this once."
                )
            )
        else:
            self.stdout.write(f"{prefix}Log in as “{username}” with the password in COALITION_USER_PASSWORD.")
