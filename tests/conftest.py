import copy

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction

from coalition.models import DERIVED_MODELS, Country
from coalition.seed import load_seed_data


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")


def _member_of(django_user_model, group_name):
    user = django_user_model.objects.create_user(group_name, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "editor")


@pytest.fixture
def researcher(django_user_model):
    return _member_of(django_user_model, "researcher")


@pytest.fixture
def linker(django_user_model):
    return _member_of(django_user_model, "linker")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def fresh_page_cache():
    # The data version restarts with each test's rolled-back transaction: cached pages must not outlive a test.
    caches[django_settings.COALITION_PAGE_CACHE].clear()


@pytest.fixture(autouse=True)
def own_published_folder(settings, tmp_path):
    # The published SQLite file is named after the data version, which restarts with each test.
    settings.COALITION_PUBLISHED_DIR = tmp_path / "published"


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # Tests do not run collectstatic, so the hashed-manifest storage used in production has no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True


_seed_rows: dict | None = None


def _coalition_models():
    # Not the derived rows: the database's triggers recount them as the records go back in.
    models = apps.get_app_config("coalition").get_models(include_auto_created=True)
    return [m for m in models if m is not Country and m not in DERIVED_MODELS]


def _holds_no_records() -> bool:
    return not any(model._base_manager.exists() for model in _coalition_models())


@pytest.fixture
def seeded(db):
    """The seed data: loaded by load_seed_data once per session, then its rows re-inserted as they were.

    Loading resolves every natural key with a query of its own (seconds on PostgreSQL); the pages under test only
    need the same rows, so later tests get exactly the rows the first load wrote, ids and history included.
    """
    insert_seed_rows()


@pytest.fixture
def committed_seed(transactional_db):
    """The seed data, committed in one transaction (its rows point at each other), for other connections to read."""
    with transaction.atomic():
        insert_seed_rows()


def insert_seed_rows():
    """Load the seed data, or re-insert the rows its first load wrote (see `seeded`)."""
    global _seed_rows
    if _seed_rows is None or not _holds_no_records():
        empty = _holds_no_records()
        load_seed_data()
        if empty:
            _seed_rows = {model: list(model._base_manager.order_by("pk")) for model in _coalition_models()}
        return
    for model, rows in _seed_rows.items():
        model._base_manager.bulk_create([copy.copy(row) for row in rows])
    # Rows inserted with their ids leave PostgreSQL's sequences behind; later inserts need them moved on.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_seed_rows)):
            cursor.execute(statement)
