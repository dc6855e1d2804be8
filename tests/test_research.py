"""The research layer reads what Django wrote, refuses to write, and matches the migrated schema."""

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from django.db import connection
from sqlalchemy import Column, Date, Engine, Integer, MetaData, Text, func, select, text
from sqlalchemy.exc import DBAPIError

from coalition import research
from coalition.models import Citation, Commitment, Summit
from coalition.search import schema as search_schema

from . import factories

# Rows must be committed for another connection to see them; serialized_rollback restores the
# countries and groups the data migrations load, which the flush after a transactional test empties.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESEARCH_TABLES = {
    "coalition_country",
    "coalition_organisation",
    "coalition_person",
    "coalition_summit",
    "coalition_participant",
    "coalition_participant_representatives",
    "coalition_document",
    "coalition_signatory",
    "coalition_source",
    "coalition_statement",
    "coalition_commitment",
    "coalition_discrepancy",
    "coalition_citation",
    "coalition_stancetally",
}


@pytest.fixture
def open_engine(tmp_path):
    """Return a function that opens read_only_engine() on the test database as it stands."""
    engines: list[Engine] = []

    def open_() -> Engine:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            # No other connection can open Django's in-memory test database: read a file copy of it.
            # SQLite's backup waits for ever on a connection in a write transaction, so fail instead.
            assert not connection.in_atomic_block, "copying the test database needs a transaction=True test"
            copy = tmp_path / f"copy-{len(engines)}.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(copy)) as target:
                connection.connection.backup(target)
            engine = research.read_only_engine(copy)
        else:
            engine = research.read_only_engine(connection.settings_dict)  # the test database
        engines.append(engine)
        return engine

    yield open_
    for engine in engines:
        engine.dispose()  # an open connection would make PostgreSQL's flush wait


@pytest.fixture
def paris():
    """Create a summit with commitments by two countries and an organisation, and their citations."""
    summit = factories.SummitFactory(slug="paris-test")
    uk = factories.CommitmentFactory(summit=summit, slug="gb-troops", country=factories.CountryFactory(code="GB"))
    italy = factories.CommitmentFactory(
        summit=summit,
        slug="it-no-troops",
        country=factories.CountryFactory(code="IT"),
        stance=Commitment.Stance.REFUSAL,
        condition="",
        description="Will not send troops.",
    )
    factories.CommitmentFactory(
        summit=summit,
        slug="eu-support",
        country=None,
        organisation=factories.OrganisationFactory(slug="eu", name="European Union"),
        stance=Commitment.Stance.SUPPORT,
        condition="",
    )
    first, second, third = factories.SourceFactory.create_batch(3)
    factories.CitationFactory(commitment=uk, source=first)
    factories.CitationFactory(commitment=uk, source=first, quote="Leaders met in Paris")  # same source again
    factories.CitationFactory(commitment=uk, source=second)
    factories.CitationFactory(commitment=uk, source=third, relation=Citation.Relation.CONTRADICTS)
    factories.CitationFactory(commitment=italy, source=third, quote="Italy said it would not send troops")
    return summit


@committed
def test_commitments_read_into_pandas_with_their_supporting_sources(paris, open_engine):
    frame = pd.read_sql(research.commitments_per_country(summit="paris-test"), open_engine())

    assert list(frame["slug"]) == ["eu-support", "it-no-troops", "gb-troops"]  # by actor name
    by_slug = frame.set_index("slug")
    assert by_slug.loc["gb-troops", "actor"] == "United Kingdom"
    assert by_slug.loc["gb-troops", "condition"] == "after a ceasefire"
    assert by_slug.loc["eu-support", "organisation"] == "eu"
    assert by_slug.loc["eu-support", "actor"] == "European Union"
    assert by_slug["actor_type"].to_dict() == {"eu-support": "organisation", "it-no-troops": "country",
                                               "gb-troops": "country"}  # fmt: skip
    # Two distinct sources support the UK: a second quote from one source and a contradiction do not count.
    assert by_slug["sources"].to_dict() == {"eu-support": 0, "it-no-troops": 1, "gb-troops": 2}
    assert by_slug["contradicting_sources"].to_dict() == {"eu-support": 0, "it-no-troops": 0, "gb-troops": 1}


@committed
def test_commitments_can_be_filtered_by_country_and_summit(paris, open_engine):
    engine = open_engine()

    assert list(pd.read_sql(research.commitments_per_country(country="IT"), engine)["stance"]) == ["refusal"]
    assert pd.read_sql(research.commitments_per_country(summit="elsewhere"), engine).empty


@committed
def test_stance_counts_give_each_country_one_row(paris, open_engine):
    frame = pd.read_sql(research.stance_counts_per_country(summit="paris-test"), open_engine())

    assert frame.to_dict("records") == [
        {"country_code": "IT", "actor": "Italy", **dict.fromkeys(research.STANCES, 0), "refusal": 1, "total": 1},
        {
            "country_code": "GB",
            "actor": "United Kingdom",
            **dict.fromkeys(research.STANCES, 0),
            "conditional": 1,
            "total": 1,
        },
    ]


@committed
def test_citations_come_with_their_offsets_and_sources(paris, open_engine):
    frame = pd.read_sql(research.citations_with_sources(subject_type="commitment"), open_engine())

    assert len(frame) == Citation.objects.count() == 5
    for row in frame.itertuples():
        cited = Citation.objects.select_related("source", "commitment").get(pk=row.id)
        assert (row.subject_type, row.subject_id) == ("commitment", cited.commitment_id)
        assert (row.subject_slug, row.country_code) == (cited.commitment.slug, cited.commitment.country_id)
        assert cited.source.text[row.start : row.end] == row.quote
        assert (row.source_file, row.source_outlet, row.summit) == (
            cited.source.file_name,
            "Test Outlet",
            "paris-test",
        )
    assert set(frame["relation"]) == {"supports", "contradicts"}
    assert pd.read_sql(research.citations_with_sources(subject_type="statement"), open_engine()).empty


@committed
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE coalition_summit SET city = 'X'",
        "INSERT INTO coalition_country (code, name, notes) VALUES ('XX', 'Nowhere', '')",
        "DELETE FROM coalition_summit",
    ],
)
def test_read_only_engine_refuses_to_write(statement, open_engine):
    factories.SummitFactory(city="Paris")
    engine = open_engine()

    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text(statement))

    with engine.connect() as conn:
        assert conn.execute(select(research.summits.c.city)).scalars().all() == ["Paris"]
        assert conn.execute(select(func.count()).where(research.countries.c.code == "XX")).scalar() == 0
    assert Summit.objects.get().city == "Paris"


@pytest.mark.parametrize(
    ("database", "message"),
    [
        ({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}, "in-memory"),
        (
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "file:memorydb_default?mode=memory&cache=shared"},
            "in-memory",
        ),
        ({"ENGINE": "django.db.backends.mysql", "NAME": "coalition"}, "SQLite or PostgreSQL"),
        ("sqlite://:memory:", "in-memory"),
        ("mysql://reader@127.0.0.1:3306/coalition", "SQLite or PostgreSQL"),
    ],
)
def test_read_only_engine_refuses_databases_it_cannot_open_read_only(database, message):
    with pytest.raises(ValueError, match=message):
        research.read_only_engine(database)


def copy_of(metadata: MetaData) -> MetaData:
    """Return a copy of `metadata` that can be changed without touching the original."""
    copy = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(copy)
    return copy


def schema_differences(engine: Engine, metadata: MetaData) -> list:
    """Return what Alembic's autogenerate finds between `metadata` and the database, on the research tables."""
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # SQLAlchemy reads DEFERRABLE only from table-level FOREIGN KEY clauses, and Django writes
        # column-level REFERENCES … DEFERRABLE: compare SQLite's keys without that option.
        metadata = copy_of(metadata)
        for table in metadata.tables.values():
            for key in table.foreign_key_constraints:
                key.deferrable = key.initially = None

    def include_name(name, type_, parent_names):
        return name in RESEARCH_TABLES if type_ == "table" else True

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "index":
            return False  # the research tables carry the indexes their queries need, not the site's
        if type_ == "column" and reflected and compare_to is None and name == "notes":
            return False  # the editors' notes: not public, so not declared
        if type_ == "column" and reflected and name in search_schema.derived_names():
            return False  # PostgreSQL only: the full-text search's generated columns.
        if sqlite and type_ == "unique_constraint":
            # SQLite's reflection misses column-level UNIQUE and misnames a UNIQUE after a CHECK;
            # PostgreSQL checks these.
            return False
        return True

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_name, "include_object": include_object, "compare_type": True}
        )
        return compare_metadata(context, metadata)


@committed
def test_research_tables_match_the_migrated_schema(open_engine):
    assert set(research.metadata.tables) == RESEARCH_TABLES
    assert schema_differences(open_engine(), research.metadata) == []


def retype_condition(table):
    table.c.condition.type = Text()


def allow_no_description(table):
    table.c.description.nullable = True


def add_pledged_on(table):
    table.append_column(Column("pledged_on", Date, nullable=True))


def drop_condition(table):
    table._columns.remove(table.c.condition)


def declare_notes_as_integer(table):
    table.append_column(Column("notes", Integer, nullable=False))


def drop_country_key(table):
    table.constraints.remove(next(key for key in table.foreign_key_constraints if key.column_keys == ["country_id"]))


def drop_slug_per_summit_uniqueness(table):
    table.constraints.remove(next(c for c in table.constraints if c.name == "commitment_slug_unique_per_summit"))


def check_keys_at_once(table):
    for key in table.foreign_key_constraints:
        key.deferrable = key.initially = None


DRIFTS = [
    (retype_condition, {"modify_type"}),
    (allow_no_description, {"modify_nullable"}),
    (add_pledged_on, {"add_column"}),
    (drop_condition, {"remove_column"}),
    (declare_notes_as_integer, {"modify_type"}),  # ignored only while undeclared
    (drop_country_key, {"remove_fk"}),
]
if connection.vendor == "postgresql":
    # SQLite's reflection loses UNIQUE constraints and DEFERRABLE, so only PostgreSQL can notice these.
    DRIFTS += [
        (drop_slug_per_summit_uniqueness, {"remove_constraint"}),
        (check_keys_at_once, {"add_fk", "remove_fk"}),
    ]


@committed
@pytest.mark.parametrize(("change", "expected"), DRIFTS)
def test_schema_check_notices_a_commitment_table_that_drifted(change, expected, open_engine):
    drifted = copy_of(research.metadata)
    change(drifted.tables["coalition_commitment"])

    differences = schema_differences(open_engine(), drifted)

    assert {diff[0][0] if isinstance(diff, list) else diff[0] for diff in differences} == expected


def test_research_layer_does_not_import_django_models_nor_django(tmp_path):
    package = Path(research.__file__).parent
    source = "".join(path.read_text(encoding="utf-8") for path in package.glob("*.py"))
    assert not re.search(r"coalition\.models|from \.+models|from \. import models|django\.apps", source)

    # Importing it, building every query and an engine from DATABASE_URL, and reading, load no Django at all;
    # the environment has no secret key or settings module.
    database = tmp_path / "tiny.sqlite3"
    with closing(sqlite3.connect(database)) as tiny:
        tiny.execute("CREATE TABLE coalition_summit (slug text)")
        tiny.execute("INSERT INTO coalition_summit VALUES ('paris-2026')")
        tiny.commit()
    script = (
        "import sys, coalition.research as r\n"
        "[query() for query in r.CSV_QUERIES.values()], r.stance_counts_per_country()\n"
        "from coalition.research.publication import view_sql\n"
        "[view_sql(name) for name in r.CSV_QUERIES]\n"
        "with r.read_only_engine().connect() as conn:\n"
        "    print(conn.execute(r.summits.select().with_only_columns(r.summits.c.slug)).scalar())\n"
        "print(sorted(m for m in sys.modules if 'django' in m))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=package.parents[1],
        env={"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.split("\n")[:2] == ["paris-2026", "[]"]
