"""The research layer's ready queries call each column what the public vocabulary (the CSVs) calls it, and give
the rows its CSVs give."""

import csv
import io
from inspect import signature

import pytest

from coalition import publication, research
from coalition.models import Summit
from coalition.spreadsheet import neutralise
from coalition.vocabulary import TABLES, Column

from . import factories

# Rows must be committed for the research engine's own connection to see them; serialized_rollback restores the
# countries the data migrations load, which the flush after a transactional test empties.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def columns(query) -> list[str]:
    return list(query.selected_columns.keys())


def test_each_csv_has_a_research_query_with_exactly_its_columns_in_order():
    assert set(research.CSV_QUERIES) == set(TABLES)
    for name, query in research.CSV_QUERIES.items():
        assert columns(query()) == TABLES[name].column_names, name


def test_the_filtered_queries_keep_the_csv_columns():
    assert (
        columns(research.commitments_per_country(summit="paris-2026", country="FR"))
        == TABLES["commitments"].column_names
    )
    assert columns(research.citations_with_sources(subject_type="statement")) == TABLES["citations"].column_names
    assert columns(research.statements_with_speakers(summit="paris-2026")) == TABLES["statements"].column_names


def test_stance_counts_name_the_actor_and_stances_as_the_commitments_csv_does():
    commitments = TABLES["commitments"]
    stances = commitments.column("stance").code_values

    assert columns(research.stance_counts_per_country()) == ["country_code", "actor", *stances, "total"]
    assert {"country_code", "actor"} <= set(commitments.column_names)


def test_the_research_codes_are_the_vocabularys():
    assert list(research.STANCES) == TABLES["commitments"].column("stance").code_values
    assert list(research.SUBJECTS) == TABLES["citations"].column("subject_type").code_values


def csv_rows(client, name: str, params: dict) -> list[list[str]]:
    """Return the rows of /<name>.csv with `params`, sorted, each cell as the CSV writes it."""
    response = client.get(f"/{name}.csv", params)
    assert response.status_code == 200, (name, params)
    header, *rows = csv.reader(io.StringIO(response.getvalue().decode("utf-8")))
    assert header == TABLES[name].column_names
    return sorted(rows)


def _cell(column: Column, value) -> str:
    """Return `value` written as the CSV writes the cells of `column`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column.type == "string" and not column.trusted:
        return neutralise(value)
    return str(value)  # numbers as text, dates in ISO 8601


def research_rows(engine, name: str, params: dict) -> list[list[str]]:
    """Return the rows of the research query of `name` with `params`, sorted, each cell as the CSV writes it."""
    columns = TABLES[name].columns
    with engine.connect() as conn:
        rows = conn.execute(research.CSV_QUERIES[name](**params)).all()
    return sorted([_cell(column, value) for column, value in zip(columns, row, strict=True)] for row in rows)


def takes_summit(name: str) -> bool:
    """Return whether the CSV `name` takes a ?summit= filter."""
    filterset = TABLES[name].filterset
    return filterset is not None and "summit" in filterset.base_filters


@committed
def test_each_research_query_gives_the_rows_of_its_csv(committed_seed, client):
    # Text a spreadsheet would run as a formula: the CSV guards it, the research layer gives it as stored.
    factories.OrganisationFactory(slug="formula", description="=HYPERLINK(1)")
    summit = Summit.objects.order_by("start_date", "slug").first().slug
    engine = publication.site_engine()
    try:
        for name in TABLES:
            assert ("summit" in signature(research.CSV_QUERIES[name]).parameters) == takes_summit(name), name
            every = research_rows(engine, name, {})
            assert every, f"the seed data has no {name}"
            assert every == csv_rows(client, name, {}), name
            if takes_summit(name):
                one = research_rows(engine, name, {"summit": summit})
                assert one == csv_rows(client, name, {"summit": summit}), name
                assert one and set(map(tuple, one)) <= set(map(tuple, every)), name
        organisations = research_rows(engine, "organisation_codes", {})
        assert ["'=HYPERLINK(1)"] == [row[-1] for row in organisations if row[1] == "formula"]
    finally:
        engine.dispose()
