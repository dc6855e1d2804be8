"""Loading the real seed data (the articles and the records derived from them) into the database."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .history import record_loaded, record_missing_history, recording_raw_saves
from .models import DERIVED_MODELS

# In load order: the articles first, then what cites them.
SEED_FIXTURES = ("sources", "paris-2026-core", "paris-2026-commitments", "paris-2026-statements")


@dataclass(frozen=True)
class LoadReport:
    """How many records a load created, updated and skipped."""

    created: int = 0
    updated: int = 0
    skipped: int = 0

    def __str__(self):
        return f"created {self.created}, updated {self.updated}, skipped {self.skipped}"


def _row_counts() -> dict[str, int]:
    # Only the records themselves: loading also writes history rows (for many-to-many links).
    models = [
        m
        for m in apps.get_app_config("coalition").get_models()
        if not issubclass(m, HistoricalChanges) and m not in DERIVED_MODELS
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def _fixture_path(label: str) -> Path:
    return next(Path(d) / f"{label}.json" for d in settings.FIXTURE_DIRS if (Path(d) / f"{label}.json").is_file())


def fixture_size() -> int:
    """Return how many records the seed fixtures hold."""
    return sum(len(json.loads(_fixture_path(label).read_text(encoding="utf-8"))) for label in SEED_FIXTURES)


def load_seed_data(*, force: bool = False, dry_run: bool = False) -> LoadReport:
    """Load the seed fixtures unless summits already exist (or `force`); return what changed.

    Every record loaded gets a history row (loaddata's raw saves write none), so that its first edit can be
    reverted; so does any record still without one, such as the countries created by a migration.
    """
    Summit = apps.get_model("coalition", "Summit")
    if Summit.objects.exists() and not force:
        # A database seeded before history was written at load time gets its first rows now.
        with transaction.atomic():
            record_missing_history()
            if dry_run:
                transaction.set_rollback(True)
        return LoadReport(skipped=fixture_size())
    before = _row_counts()
    with transaction.atomic():
        with recording_raw_saves() as loaded:
            call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        # One time for all these rows: the change feed then gives them in dependency order (the countries a
        # migration created before the people and summits that name them), not in the order they were written.
        now = timezone.now()
        record_loaded(loaded, date=now)
        record_missing_history(date=now)
        after = _row_counts()
        if dry_run:
            transaction.set_rollback(True)
    # Every record of the fixtures was written: those the tables did not hold before were created, the rest updated.
    created = sum(after[label] - before[label] for label in after)
    return LoadReport(created=created, updated=fixture_size() - created)
