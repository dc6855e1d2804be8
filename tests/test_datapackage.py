import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from frictionless import validate

from coalition import datapackage

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tmp_path, seeded):
    out = StringIO()
    call_command("export_data", str(tmp_path), stdout=out)
    return tmp_path, out.getvalue()


def test_export_data_writes_the_csvs_and_a_package_that_frictionless_accepts(package):
    directory, output = package
    assert {p.name for p in directory.iterdir()} == {
        "datapackage.json", "country_codes.csv", "organisation_codes.csv", "people.csv", "summits.csv",
        "sources.csv", "participants.csv", "representatives.csv", "documents.csv", "signatories.csv",
        "commitments.csv", "statements.csv", "discrepancies.csv", "citations.csv",
    }  # fmt: skip
    assert "commitments.csv: " in output and " rows" in output
    report = validate(str(directory / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_package_validation_catches_a_citation_of_an_unknown_source(package):
    directory, _ = package
    citations = directory / "citations.csv"
    text = citations.read_text(encoding="utf-8")
    citations.write_text(text.replace("000_3c7132a909154011.txt", "999_missing.txt", 1), encoding="utf-8")
    report = validate(str(directory / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


def test_each_schema_lists_exactly_the_columns_of_its_csv(package):
    directory, _ = package
    for resource in json.loads((directory / "datapackage.json").read_text())["resources"]:
        header = next(csv.reader((directory / resource["path"]).open(encoding="utf-8")))
        assert [field["name"] for field in resource["schema"]["fields"]] == header


def test_the_site_serves_the_descriptor_pointing_at_its_csv_downloads(client):
    response = client.get("/data/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    paths = {r["name"]: r["path"] for r in response.json()["resources"]}
    assert paths["commitments"] == "http://testserver/commitments.csv"
    assert set(paths) == set(datapackage.TABLES)
