"""Browser tests: pytest-playwright driving the system's Chromium against a live server.

Playwright cannot download its own browsers here: the Chromium installed on the machine is used
(COALITION_CHROMIUM names another). Without one, the browser tests are skipped and the run says so in its
summary — except where COALITION_REQUIRE_BROWSER=1 (CI), which makes a missing Chromium an error.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connections, transaction

from ..conftest import insert_seed_rows

CHROMIUM = os.environ.get("COALITION_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("COALITION_REQUIRE_BROWSER") == "1"
NO_CHROMIUM = "no Chromium found (install Debian's chromium package, or set COALITION_CHROMIUM)"

_skipped: list[str] = []


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        if REQUIRED:
            pytest.fail(f"COALITION_REQUIRE_BROWSER=1 and {NO_CHROMIUM}", pytrace=False)
        pytest.skip(f"browser tests skipped: {NO_CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def _serialized_databases(django_db_setup):
    """Return the copies of the test databases that serialized_rollback restores, taken before Playwright starts."""
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_databases, playwright):
    # Playwright's sync API keeps an event loop running in this thread from here to the end of the session:
    # Django refuses database calls from such a thread unless told otherwise, and the tests' own queries (and
    # every later test's) need them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps its connections per context, and code running beside the loop gets new ones: they lack the
    # copy of the database that serialized_rollback restores after the flush of each transactional test.
    for alias, contents in _serialized_databases.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture
def committed_seed(transactional_db):
    """The seed data, committed for the live server's thread to read (in one transaction: its rows point at each
    other). The flush after each test empties it again; serialized_rollback brings back the migrations' rows."""
    with transaction.atomic():
        insert_seed_rows()


@pytest.fixture
def logged_in(page, client, live_server):
    """Return a function that logs a user in to the page's browser context (by the session cookie)."""

    def log_in(user):
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return page

    return log_in


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords and report.when in ("setup", "call"):
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("!", f"{len(_skipped)} BROWSER TESTS SKIPPED: {NO_CHROMIUM}", red=True, bold=True)
