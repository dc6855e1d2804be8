"""The hottest pages read commitments through an index, never the whole table (EXPLAIN, on both databases).

The planner of a database with a few rows would rightly read them all, so on PostgreSQL sequential scans are
priced out first (`enable_seqscan = off`): what is left is the plan the indexes allow, and a query that no index
serves still shows a sequential scan. SQLite plans from its indexes regardless of size. The figures at a million
commitments are `benchmark_pages`' business; these tests keep the indexes that make them possible.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

COMMITMENTS = "coalition_commitment"

# The three pages read most (the load test's busiest), each with the query that reads its page of commitments.
HOT_PAGES = {
    "commitment list": "/commitments/",
    "a country's page": "/countries/GB/",
    "a summit's page": "/summits/paris-2026/",
}


def page_query(client, address: str) -> str:
    """Return the SQL with which the page at `address` reads its page of commitments (the one with a LIMIT)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    found = [q["sql"] for q in queries if f'FROM "{COMMITMENTS}"' in q["sql"] and "LIMIT" in q["sql"]]
    assert found, f"{address} read no page of commitments"
    return found[0]


def _postgresql_scans(sql: str) -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's transaction ends it
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node.get("Relation Name") or node.get("Index Name"):
            scans.append((node["Node Type"], node.get("Relation Name", ""), node.get("Index Name", "")))
        nodes.extend(node.get("Plans", []))
    return scans


def _sqlite_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


@pytest.mark.parametrize("name", HOT_PAGES)
def test_a_hot_page_reads_its_commitments_through_an_index(client, seeded, name):
    sql = page_query(client, HOT_PAGES[name])
    if connection.vendor == "postgresql":
        scans = _postgresql_scans(sql)
        on_commitments = [scan for scan in scans if scan[1] == COMMITMENTS]
        assert on_commitments, scans
        # An index scan, or a bitmap heap scan fetching the rows a bitmap index scan found.
        assert all("Index" in node or node == "Bitmap Heap Scan" for node, _, _ in on_commitments), scans
        # Whatever reaches the commitments, it is one of the table's indexes, not a read of every row.
        assert not [scan for scan in scans if scan[0] == "Seq Scan"], scans
    else:
        details = _sqlite_scans(sql)
        on_commitments = [d for d in details if f" {COMMITMENTS}" in d]
        assert on_commitments, details
        assert all("USING" in d and "INDEX" in d for d in on_commitments), details


def test_a_query_no_index_serves_is_seen_as_a_full_read(seeded):
    # The check above can fail: a filter on a column without an index shows the full read it causes.
    sql = f'SELECT "id" FROM "{COMMITMENTS}" WHERE "description" = \'x\' LIMIT 51'
    if connection.vendor == "postgresql":
        assert ("Seq Scan", COMMITMENTS, "") in _postgresql_scans(sql)
    else:
        assert any(d.startswith(f"SCAN {COMMITMENTS}") and "INDEX" not in d for d in _sqlite_scans(sql))
