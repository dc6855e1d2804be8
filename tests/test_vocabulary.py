"""The public vocabulary is the one definition of every table: the CSVs and the Data Package follow it exactly."""

import csv
import io

import pytest
from frictionless import validate

from coalition import datapackage
from coalition.aggregates import data_state
from coalition.models import Discrepancy, Participant
from coalition.vocabulary import TABLES
from coalition.vocabulary.summaries import ACTOR_SUMMARY

pytestmark = pytest.mark.django_db


def download(client, address: str) -> tuple[list[str], list[dict]]:
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    header = next(csv.reader(io.StringIO(text)))
    return header, list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def package_fields():
    return {r["name"]: r["schema"]["fields"] for r in datapackage.descriptor()["resources"]}


@pytest.mark.parametrize("name", TABLES)
def test_the_csv_header_is_the_vocabulary_and_the_package_schema(client, seeded, package_fields, name):
    header, rows = download(client, f"/{name}.csv")
    assert header == TABLES[name].column_names == [field["name"] for field in package_fields[name]]
    assert rows, f"the seed data has {name}"


@pytest.mark.parametrize("name", TABLES)
def test_every_code_in_the_csv_is_one_the_vocabulary_explains(client, seeded, name):
    _, rows = download(client, f"/{name}.csv")
    for column in TABLES[name].columns:
        if column.codes:
            assert {row[column.name] for row in rows} - {""} <= set(column.code_values), (name, column.name)


@pytest.mark.parametrize("name", TABLES)
def test_every_field_is_described_and_every_code_field_labels_its_codes(package_fields, name):
    for field in package_fields[name]:
        assert field["description"].strip(), (name, field["name"])
        enum = field.get("constraints", {}).get("enum")
        if enum:
            assert [c["value"] for c in field["categories"]] == enum and all(c["label"] for c in field["categories"])


def test_code_labels_are_the_models_choices():
    participants = TABLES["participants"]
    assert participants.column("level").codes == tuple(Participant.Level.choices)
    assert ("not_reported", "Not reported by the sources") in participants.column("level").codes


def test_each_resource_is_described_and_the_package_names_its_version_and_how_to_cite_it(seeded):
    package = datapackage.descriptor()
    assert all(resource["description"].strip() for resource in package["resources"])
    state = data_state()
    assert package["version"] == str(state.version) and state.version > 0
    assert package["created"] == state.changed_at.isoformat(timespec="seconds")
    assert f"data version {package['version']}" in package["bibliographicCitation"]


def test_the_country_summary_csv_is_described_by_the_vocabulary(client, seeded):
    header, rows = download(client, "/countries.csv")
    assert header == [column.name for column in ACTOR_SUMMARY]
    france = next(row for row in rows if row["code"] == "FR")
    stances = [column.name for column in ACTOR_SUMMARY[2:-1]]
    assert int(france["total"]) == sum(int(france[stance]) for stance in stances) > 0


def test_citations_name_the_discrepancy_they_give_a_version_of(client, seeded):
    _, rows = download(client, "/citations.csv")
    versions = [row for row in rows if row["subject_type"] == "discrepancy"]
    assert versions and all(row["discrepancy_id"] == row["subject_id"] for row in versions)
    _, discrepancies = download(client, "/discrepancies.csv")
    by_id = {row["id"]: row for row in discrepancies}
    for row in discrepancies:
        distinct = {v["source_file"] for v in versions if v["discrepancy_id"] == row["id"]}
        assert int(row["sources"]) == len(distinct)
    assert set(by_id) == {str(pk) for pk in Discrepancy.objects.values_list("pk", flat=True)}


def test_the_summit_filter_narrows_the_new_downloads_and_an_unknown_code_is_refused(client, seeded):
    for name in ("participants", "representatives", "documents", "signatories", "discrepancies"):
        _, rows = download(client, f"/{name}.csv?summit=paris-2026")
        assert rows and {row["summit"] for row in rows} == {"paris-2026"}
        refused = client.get(f"/{name}.csv?summit=no-such-summit")
        assert refused.status_code == 400 and "no-such-summit" in refused.content.decode()
    response = client.get("/participants.csv?level=emperor")
    assert response.status_code == 400
    assert "level" in response.content.decode() and "emperor" in response.content.decode()


def test_representatives_and_signatories_name_people_of_the_people_table(client, seeded):
    _, people = download(client, "/people.csv")
    names = {row["name"] for row in people}
    _, representatives = download(client, "/representatives.csv")
    _, signatories = download(client, "/signatories.csv")
    assert {row["person"] for row in representatives + signatories} <= names
    assert {row["disputed"] for row in signatories} <= {"true", "false"}


# The live server reads committed rows from its own thread: the seed data is loaded for real, and
# serialized_rollback puts back what the data migrations load once the test's flush has emptied it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_frictionless_validates_the_served_package_and_every_csv_it_points_at(live_server):
    from coalition.seed import load_seed_data

    load_seed_data()
    report = validate(live_server.url + "/data/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(TABLES)
    assert {task.name for task in report.tasks} == set(TABLES)


def test_the_home_page_links_every_download_and_the_package(client, seeded):
    page = client.get("/").content.decode()
    for name in [*TABLES, "countries", "organisations"]:
        assert f'href="/{name}.csv"' in page
    assert 'href="/data/datapackage.json"' in page


def test_the_package_declares_version_2_of_the_standard_whose_schemas_have_categories():
    package = datapackage.descriptor()
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert {resource["type"] for resource in package["resources"]} == {"table"}
