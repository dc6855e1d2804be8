"""The research layer's ready queries call each column what the public vocabulary (the CSVs) calls it."""

from coalition import research
from coalition.vocabulary import TABLES


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
