"""Progress bars: rows done, total and time left on a terminal; nothing at all when run from a script."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from coalition.bulk.progress import progress

from . import factories
from .test_backup import empty_database

pytestmark = pytest.mark.django_db


def test_a_shown_bar_counts_rows_done_of_the_total():
    out = StringIO()
    with progress(5, desc="export_tables", show=True, file=out) as bar:
        bar.update(3)
        bar.refresh()
        assert "export_tables" in out.getvalue()
        assert "3/5 rows" in out.getvalue()


def test_a_bar_on_a_stream_that_is_not_a_terminal_writes_nothing():
    out = StringIO()
    with progress(5, desc="export_tables", file=out) as bar:
        bar.update(5)
    assert out.getvalue() == ""


def test_commands_run_from_a_script_print_no_progress(tmp_path, capfd):
    factories.CommitmentFactory()
    quiet = StringIO()
    call_command("export_tables", tmp_path / "tables", stdout=quiet)
    call_command("import_tables", tmp_path / "tables", "--dry-run", stdout=quiet)
    call_command("backup", tmp_path / "backup.jsonl", stdout=quiet)
    name = str(connection.settings_dict["NAME"])
    call_command("generate_data", commitments=20, database_name=name, append=True, stdout=quiet)
    empty_database()
    call_command("restore", tmp_path / "backup.jsonl", "--dry-run", stdout=quiet)
    assert "rows" in quiet.getvalue()  # the commands ran and reported
    captured = capfd.readouterr()
    assert captured.err == ""


def test_import_tables_counts_its_rows_on_a_shown_bar(tmp_path, capsys):
    from coalition.importers import export_tables, import_tables

    factories.CommitmentFactory()
    written = export_tables(tmp_path)
    import_tables(tmp_path, dry_run=True, progress=True)
    total = sum(written.values())
    shown = capsys.readouterr().err
    # tqdm redraws at most ten times a second: the total is always shown, the last count only if it was drawn.
    assert f"import_tables:   0%|          | 0/{total} rows" in shown
