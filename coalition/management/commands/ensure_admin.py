import os
from functools import partial

from django.core.management.base import BaseCommand

from ...accounts import ensure_admin
from ..accounts import create_and_report


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
        create_and_report(
            self,
            partial(ensure_admin, username=username, email=email),
            username=username,
            kind="administrator",
            variable="DJANGO_ADMIN_PASSWORD",
            dry_run=dry_run,
            exists_hint="; its password was shown when it was created (change it with "
            f"`python manage.py changepassword {username}`)",
        )
