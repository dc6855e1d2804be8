import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.loadtest import check_loopback, load_pages, page_paths
from coalition.pagebench import public_url_names
from coalition.seed import load_seed_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed_seed(transactional_db):
    # The live server reads committed rows from its own thread, so the seed data is loaded for real (in one
    # transaction: its rows point at each other) rather than re-inserted inside the test's transaction.
    load_seed_data()


# serialized_rollback puts back the countries and groups the data migrations load, which the flush after a
# transactional test empties.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_public_page_is_loaded_and_answers_without_errors(committed_seed, live_server):
    out = StringIO()
    call_command("loadtest", url=live_server.url, duration=0.5, connections=2, stdout=out)
    rows = [line.split(" | ") for line in out.getvalue().splitlines() if line.startswith("/")]
    paths = page_paths()
    assert len(paths) == len(public_url_names()) and "/summits/paris-2026/" in paths
    assert [row[0] for row in rows] == paths
    for path, requests, per_second, _, _, errors in rows:
        assert int(requests) > 0 and float(per_second) > 0 and errors == "0", path
    # A page that answers with an error is counted as one, every time.
    (missing,) = load_pages(live_server.url, ["/no-such-page/"], duration=0.5, connections=1)
    assert missing.requests > 0 and missing.failures == missing.requests


@pytest.mark.parametrize(
    "url", ["http://example.org", "http://10.0.0.1:8000", "http://127.0.0.1.example.org", "ftp://127.0.0.1"]
)
def test_it_refuses_any_address_that_is_not_loopback(url):
    with pytest.raises(CommandError, match="not a loopback address"):
        call_command("loadtest", url=url, duration=1, stdout=StringIO())


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/", "http://localhost:9000", "http://[::1]:8000", "http://127.1.2.3"]
)
def test_loopback_addresses_are_taken(url):
    assert check_loopback(url) == url.rstrip("/")


def test_a_server_that_does_not_answer_is_named_in_a_clear_error():
    with socket.socket() as unused:  # a port nothing listens on once it is closed
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(CommandError, match=f"http://127.0.0.1:{port} does not answer"):
        call_command("loadtest", url=f"http://127.0.0.1:{port}", duration=1, stdout=StringIO())
