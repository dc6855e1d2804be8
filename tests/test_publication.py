"""/data/coalition.sqlite: the public data in one SQLite file, made afresh only when the data changes; and the
README's pandas example, run as a researcher would."""

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from sqlalchemy import inspect, select

from coalition import publication, research
from coalition.models import Commitment
from coalition.research.publication import PUBLISHED_TABLES
from coalition.vocabulary import TABLES

from . import factories

# Rows must be committed for another connection to see them; serialized_rollback restores the
# countries and groups the data migrations load, which the flush after a transactional test empties.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PROJECT = Path(__file__).resolve().parents[1]


def rows(engine, query) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


@committed
def test_the_published_file_holds_the_public_tables_and_the_csvs_views(committed_seed, client, tmp_path):
    response = client.get("/data/coalition.sqlite")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.sqlite3"
    assert 'filename="coalition.sqlite"' in response["Content-Disposition"]
    path = tmp_path / "coalition.sqlite"
    path.write_bytes(response.getvalue())
    published, site = research.read_only_engine(path), publication.site_engine()
    try:
        query = research.commitments_per_country()
        assert len(rows(published, query)) == Commitment.objects.count() > 0
        assert rows(published, query) == rows(site, query)
        assert rows(published, research.citations_with_sources()) == rows(site, research.citations_with_sources())
        with published.connect() as conn:  # the sources keep their text, to check the quotes against
            texts = conn.execute(select(research.sources.c.text)).scalars().all()
        assert texts and all(texts)

        schema = inspect(published)
        tables = set(schema.get_table_names())
        assert tables == {table.name for table in PUBLISHED_TABLES}
        assert not [name for name in tables if re.match(r"auth_|django_|axes_|.*historical", name)]
        assert not [name for name in tables if "notes" in {c["name"] for c in schema.get_columns(name)}]
        assert set(schema.get_view_names()) == set(TABLES)
        for name, table in TABLES.items():
            assert [column["name"] for column in schema.get_columns(name)] == table.column_names, name
        with published.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM commitments").scalar() == Commitment.objects.count()
    finally:
        published.dispose()
        site.dispose()


@pytest.mark.django_db
def test_the_file_is_made_again_only_when_the_data_changed(client, settings):
    commitment = factories.CommitmentFactory()
    first = publication.published_sqlite()
    made = first.stat().st_mtime_ns

    assert client.get("/data/coalition.sqlite").status_code == 200
    assert publication.published_sqlite() == first and first.stat().st_mtime_ns == made  # not rebuilt

    commitment.description = "Changed."
    commitment.save()
    second = publication.published_sqlite()

    assert second != first and second.is_file() and not first.exists()  # the old one is gone
    assert [p.name for p in Path(settings.COALITION_PUBLISHED_DIR).glob("*.sqlite")] == [second.name]


@pytest.mark.django_db
def test_publish_sqlite_writes_the_file_and_reports_its_rows(tmp_path):
    factories.CommitmentFactory.create_batch(2)
    output = tmp_path / "out" / "coalition.sqlite"
    out = StringIO()

    call_command("publish_sqlite", output=output, stdout=out)

    reported = dict(re.findall(r"^(coalition_\w+): (\d+) rows$", out.getvalue(), re.M))
    assert set(reported) == {table.name for table in PUBLISHED_TABLES}
    with closing(sqlite3.connect(output)) as conn:
        for table, count in reported.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == int(count)
    assert f"{output}: {output.stat().st_size} bytes" in out.getvalue()


def readme_example() -> str:
    """Return the code of the README's pandas example, between its markers."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- research-example -->\n```python\n(.*?)```\n<!-- /research-example -->", readme, re.S)
    assert block, "the README's pandas example lost its markers"
    return block.group(1)


def database_url(tmp_path) -> str:
    """Return a URL another process can read the test database by, with its committed rows."""
    if connection.vendor == "sqlite":
        # Django's in-memory test database lives only in this process: hand the example a file copy.
        copy = tmp_path / "site.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@committed
def test_the_readme_example_prints_frances_commitments_without_any_site_settings(committed_seed, tmp_path):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": database_url(tmp_path)}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]

    run = subprocess.run(
        [sys.executable, "-c", readme_example()], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )

    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines()
    france = Commitment.objects.filter(country="FR")
    assert len(printed) == 1 + france.count() and france.exists()  # a header, then a line per commitment
    assert printed[0].split() == ["summit", "slug", "category", "stance", "sources"]
    for commitment in france:
        assert any(line.split()[:4] == [commitment.summit.slug, commitment.slug, commitment.category,
                                         commitment.stance] for line in printed[1:]), commitment.slug  # fmt: skip
