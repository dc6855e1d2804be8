from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client, override_settings

from ...fuzz_runner import TMP_STORAGE, Tally, try_sample
from ...fuzzing import samples


class Command(BaseCommand):
    help = (
        "Import N malformed files, made from the database's own export of every table (CSV, XLSX, JSON), through "
        "the admin's import and import_tables, inside a transaction that is rolled back; print how many were "
        "refused, accepted unchanged, partly written, crashed, or accepted although they changed data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=100, help="How many files to try.")
        parser.add_argument("--seed", type=int, default=0, help="The random seed (the same seed gives the same files).")
        parser.add_argument("--verbose-failures", action="store_true", help="Print every file that went wrong.")

    def handle(self, *args, files, seed, verbose_failures, **options):
        tally = Tally()
        # The requests go through the test client, whose host name is "testserver", over plain HTTP.
        with (
            override_settings(
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                SECURE_SSL_REDIRECT=False,
                IMPORT_EXPORT_TMP_STORAGE_CLASS=TMP_STORAGE,
            ),
            transaction.atomic(),
        ):
            client = Client()
            client.force_login(get_user_model().objects.create_superuser("fuzz-imports", None, None))
            for sample in samples(seed, files):
                try_sample(client, sample, tally)
            transaction.set_rollback(True)  # everything, the temporary user included, is undone
        for failure in tally.failures if verbose_failures else tally.failures[:20]:
            self.stderr.write(failure)
        self.stdout.write(str(tally))
        if not tally.ok:
            raise CommandError("Some files were not refused cleanly (see above); the database was left as it was.")
