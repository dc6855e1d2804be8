from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command

from coalition.models import Commitment
from coalition.pagebench import public_url_names

pytestmark = pytest.mark.django_db


def rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.count(" | ") == 5][2:]  # not the heading


def benchmark(part: str, *options: str) -> tuple[str, list[str]]:
    """Run benchmark_pages once on `part` of the site; return its output and each row's label."""
    out = StringIO()
    call_command("benchmark_pages", *options, runs=1, part=part, stdout=out)
    output = out.getvalue()
    assert "database: " in output and f"Commitment {Commitment.objects.count()}" in output and "uncached" in output
    # Every page answered, and each made queries that were counted.
    for row in rows(output):
        label, ms, queries, peak, _, whole = row.split(" | ")
        assert "(status" not in label and float(ms) > 0 and int(queries) > 0, row
        # Peak memory is measured in a pass of its own, left out with --no-memory.
        assert (peak == "") if "--no-memory" in options else float(peak) >= 0, row
        # A download is also read whole once, and says how long that took; a page has no such figure.
        assert (float(whole) >= 0) if ".csv" in label.split()[1] else whole == "", row
    return output, [row.split(" | ")[0] for row in rows(output)]


# Two halves, so that the suite's two workers can run them side by side.
def test_it_prints_a_row_for_every_public_page_and_no_admin_page(seeded):
    _, labels = benchmark("public")
    for name in public_url_names():
        assert any(label.startswith(f"{name} /") for label in labels), name
    assert any(label.startswith("summit-detail /summits/paris-2026/") for label in labels)
    assert not any(label.startswith("admin ") for label in labels)


# Without the memory pass: under tracemalloc the admin's 250 pages take several times as long.
def test_it_prints_a_row_for_every_admin_list_and_no_public_page(seeded):
    _, labels = benchmark("admin", "--no-memory")
    assert labels and all(label.startswith("admin ") for label in labels)
    for model in admin.site._registry:
        prefix = f"admin {model._meta.app_label}.{model._meta.model_name}"
        assert f"{prefix} page 1" in labels and f"{prefix} last page" in labels, prefix
        if model._meta.app_label == "coalition":
            assert f"{prefix} change page" in labels, prefix
    assert "admin coalition.commitment search" in labels
    assert "admin coalition.commitment filter stance" in labels
    assert "admin coalition.commitment sort -stance" in labels
    assert "admin coalition.commitment add page" in labels
    # Only the columns the admin lets editors sort by are sorted (a text column has no index to sort with).
    assert "admin coalition.commitment sort condition" not in labels


def test_only_measures_the_pages_it_names(seeded):
    out = StringIO()
    call_command("benchmark_pages", runs=1, only="/countries/", stdout=out)
    labels = [row.split(" | ")[0] for row in rows(out.getvalue())]
    assert labels == ["country-list /countries/", "country-detail /countries/GB/"] or (
        labels[0] == "country-list /countries/" and labels[1].startswith("country-detail /countries/")
    )
    assert f"{len(labels)} pages measured" in out.getvalue()


def test_a_download_left_midway_leaves_the_connection_usable(seeded, client):
    from django.db import connection

    from coalition.models import Commitment
    from coalition.pagebench import _get

    response = _get(client, "/citations.csv", first_bytes=10)
    assert response.status_code == 200
    assert connection.is_usable() and Commitment.objects.exists()
