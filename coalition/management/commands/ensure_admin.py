import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...accounts import ensure_admin


class Command(BaseCommand):
    help = (
        "Create the administrator account if it does not exist. The password comes from "
        "DJANGO_ADMIN_PASSWORD or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_ADMIN_USER", "admin"))
        parser.add_argument("--email", default=os.environ.get("DJANGO_ADMIN_EMAIL", ""))
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; write nothing.")

    def handle(self, *args, username, email, dry_run, **options):
        try:
            result = ensure_admin(
                username=username,
                password=os.environ.get("DJANGO_ADMIN_PASSWORD") or None,
                email=email,
                dry_run=dry_run,
            )
        except ValidationError as error:
            raise CommandError(f"DJANGO_ADMIN_PASSWORD is too weak: {' '.join(error.messages)}") from error
        prefix = "[dry run] " if dry_run else ""
        if not result.created:
            self.stdout.write(
                f"{prefix}created 0, updated 0, skipped 1: the account “{username}” already exists; "
                f"its password was shown when it was created (change it with "
                f"`python manage.py changepassword {username}`)."
            )
            return
        self.stdout.write(f"{prefix}created 1, updated 0, skipped 0: administrator account “{username}”.")
        if result.generated_password:
            self.stdout.write(
                self.style.WARNING(
                    f"{prefix}Log in as “{username}” with the password: {result.generated_password}\n"
                    "It is shown only this once."
                )
            )
        else:
            self.stdout.write(f"{prefix}Log in as “{username}” with the password in DJANGO_ADMIN_PASSWORD.")
