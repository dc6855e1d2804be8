import copy
import sys

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from pytest_django.fixtures import validate_django_db

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


@pytest.fixture(autouse=True)
def live_server_connections_closed(request):
    """For a test with a live server, close every connection its threads open as soon as their request is answered.

    Each request is answered in a thread of its own, whose connection would otherwise stay open for CONN_MAX_AGE
    (and as long as the client keeps its socket alive) after the test: PostgreSQL then refuses to drop the test
    database, "being accessed by other users".
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    # The threads' connections are made from this same dictionary, read when each connects.
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    max_age, settings_dict["CONN_MAX_AGE"] = settings_dict["CONN_MAX_AGE"], 0
    yield
    settings_dict["CONN_MAX_AGE"] = max_age


_seed_rows: dict | None = None


def _coalition_models():
    # Not the derived rows: the database's triggers recount them as the records go back in.
    models = apps.get_app_config("coalition").get_models(include_auto_created=True)
    return [m for m in models if m is not Country and m not in DERIVED_MODELS]


def _holds_no_records() -> bool:
    return not any(model._base_manager.exists() for model in _coalition_models())


class ModuleSeed:
    """The seed data of one test module, in a transaction of its own that is rolled back rather than committed.

    As `TestCase.setUpTestData` does: each test runs in a savepoint inside it, so the rows are written once for the
    module's tests instead of once for each (on PostgreSQL the triggers recount the derived rows at every insert).
    """

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    def open(self):
        """Begin the transaction and write the seed rows in it, unless it is open already."""
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # a test's durable blocks may nest in it, as in setUpTestData's
            atomic.__enter__()
            try:
                insert_seed_rows()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self.atomic = atomic

    def close(self):
        """Roll the transaction back, if it is open."""
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_module_seed: ModuleSeed | None = None  # the current module's, while it is set up
_seed_wanted = False  # whether the test about to be set up runs on the module's seed data


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return transactional or reset_sequences or bool(TRANSACTIONAL_FIXTURES & set(item.fixturenames))


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
TRANSACTIONAL_FIXTURES = DATABASE_FIXTURES - {"db"}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's own fixtures: a test that is not on the seed data must not see it, and a transactional
    # test must not run inside the seed's open transaction.
    global _seed_wanted
    _seed_wanted = "seeded" in item.fixturenames and not _transactional(item)
    if _module_seed is not None and _uses_database(item):
        if _seed_wanted:
            _module_seed.open()
        else:
            _module_seed.close()


@pytest.fixture(scope="module")
def module_seed(django_db_setup, django_db_blocker):
    """The module's seed transaction (see ModuleSeed), opened for the tests that use `seeded`."""
    global _module_seed
    _module_seed = ModuleSeed(django_db_blocker)
    if _seed_wanted:
        _module_seed.open()  # before the test's own transaction, which is a savepoint inside it
    yield _module_seed
    _module_seed.close()
    _module_seed = None


@pytest.fixture
def seeded(module_seed, db):
    """The seed data: loaded by load_seed_data once per worker, then its rows re-inserted as they were.

    Loading resolves every natural key with a query of its own (seconds on PostgreSQL); the pages under test only
    need the same rows, so later loads get exactly the rows the first wrote, ids and history included. A module's
    tests share one load (see ModuleSeed); a transactional test gets rows of its own, emptied after it.
    """
    if module_seed.atomic is None:
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
