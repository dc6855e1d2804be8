"""Every operation of the API, called with parameters schemathesis generates from its OpenAPI schema (valid ones and
invalid ones) on the seed data: no server error, every status code documented, every response as documented."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import ServerError
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from coalition.api import api

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 30  # cases per operation: the whole file stays well under two minutes on two cores
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items()
    for method in methods
]


@pytest.fixture
def app(settings, seeded):
    """Return the site as a WSGI application whose requests run inside the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis sends
    # Django closes the connection after each request when it sees a transaction open (the test's): the test
    # client stops that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)


def run_operation(operation, *, examples: int = EXAMPLES) -> int:
    """Call `operation` with generated cases (derandomized: the same cases on every run); return how many ran."""
    calls = 0
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(case=cases)
    def call(case):
        nonlocal calls
        calls += 1
        case.call_and_validate(checks=CHECKS)

    call()
    return calls


def test_the_schema_lists_an_operation_for_each_public_table_list_and_row():
    from coalition.vocabulary import TABLES

    for name, table in TABLES.items():
        assert ("GET", f"/api/v1/{name}/") in OPERATIONS
        if len(table.primary_key) == 1:
            assert ("GET", f"/api/v1/{name}/{{{table.primary_key[0]}}}") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_conforms_to_its_schema(api_schema, method, path):
    calls = run_operation(api_schema[path][method])
    assert calls >= EXAMPLES // 2, f"only {calls} cases ran"


def test_a_server_error_is_caught(api_schema, monkeypatch):
    # The harness must fail on a 500: a row lookup that breaks makes the detail operation answer one.
    def broken(**kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr("coalition.api.lists.table_json_row", broken)
    with pytest.raises(BaseExceptionGroup) as raised:
        run_operation(api_schema["/api/v1/commitments/{id}"]["GET"], examples=5)
    assert raised.value.subgroup(lambda failure: isinstance(failure, ServerError)) is not None
