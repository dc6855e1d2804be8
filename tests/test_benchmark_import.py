"""benchmark_import prints a figure for every way of moving the rows, from a throwaway database."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from coalition.models import Summit

# A throwaway database is created beside the test database, which no transaction may hold open meanwhile;
# serialized_rollback puts back what the data migrations load, as for the suite's other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

METHODS = (
    "export_tables (streamed)",
    "import_tables (validated)",
    "admin import: upload to preview",
    "admin import: confirm to redirect",
    "bulk_create (no validation, no history; recount)",
    "database loader: ",
)
NUMBER = r"[\d,]+(\.\d+)?"


def test_every_method_gets_rows_seconds_a_rate_and_memory_and_the_configured_database_is_untouched():
    out = StringIO()
    call_command("benchmark_import", rows=[1200], admin_rows=500, stdout=out)
    printed = out.getvalue()
    rows_of = {}
    total = re.search(r"N = 1,200: ([\d,]+) rows on", printed)
    assert total and 1000 <= int(total.group(1).replace(",", "")) <= 1500, printed
    for method in METHODS:
        line = next((line for line in printed.splitlines() if line.startswith(method)), None)
        assert line is not None, f"no row for {method}:\n{printed}"
        figures = line[58:].split()
        rows, seconds, rate = figures[:3]
        rows_of[method] = rows
        assert re.fullmatch(NUMBER, rows) and int(rows.replace(",", "")) > 0, line
        assert re.fullmatch(NUMBER, seconds) and re.fullmatch(NUMBER, rate), line
        if not method.startswith("database loader"):  # the sqlite3 shell is another process
            assert re.fullmatch(NUMBER, figures[3]) and re.fullmatch(NUMBER, figures[4]), line
    # The database's loader read every commitment of the file the admin imported.
    assert rows_of["database loader: "] == rows_of["admin import: upload to preview"] == "500"
    assert "(a commitments file alone)" in printed  # the admin import reached its redirect without a problem
    assert "peak MiB:" in printed  # the columns are explained
    assert not Summit.objects.exists()


def test_several_sizes_each_run_in_a_process_of_their_own():
    out = StringIO()
    call_command("benchmark_import", rows=[500, 700], admin_rows=60, stdout=out)
    printed = out.getvalue()
    assert "N = 500: " in printed and "N = 700: " in printed
    assert printed.count("import_tables (validated)") == 2
    assert not Summit.objects.exists()
