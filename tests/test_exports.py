import csv
import io

import pytest

from coalition import exports
from coalition.exports import csv_columns, csv_lines
from coalition.models import Citation, Commitment, Source, Statement
from coalition.vocabulary import TABLES as PUBLIC_TABLES

from . import factories

pytestmark = pytest.mark.django_db

REQUIRED = {
    "/commitments.csv": [
        "id", "summit", "actor", "country_code", "category", "stance", "condition", "status", "description",
        "sources",
    ],
    "/citations.csv": [
        "id", "subject_type", "subject_id", "actor", "country_code", "stance", "category", "speaker", "quote",
        "start", "end", "source_file", "source_outlet", "source_url", "relation",
    ],
    "/statements.csv": ["id", "summit", "speaker", "speaker_country", "text", "kind"],
}  # fmt: skip


def download(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.getvalue()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


@pytest.mark.parametrize("address", REQUIRED)
def test_each_csv_parses_and_carries_the_documented_columns(client, seeded, address):
    raw, rows = download(client, address)
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert set(REQUIRED[address]) <= set(header)
    assert rows and all(row["id"] for row in rows)


def test_commitments_csv_has_one_row_per_commitment_with_iso_codes(client, seeded):
    _, rows = download(client, "/commitments.csv")
    assert len(rows) == Commitment.objects.count()
    italy = [row for row in rows if row["country_code"] == "IT" and row["category"] == "troops"]
    assert italy and italy[0]["stance"] == "refusal" and italy[0]["actor"] == "Italy"
    coalition = [row for row in rows if row["organisation"] == "coalition-of-the-willing"]
    assert coalition and all(row["country_code"] == "" for row in coalition)


def test_commitments_csv_counts_supporting_sources(client, seeded):
    _, rows = download(client, "/commitments.csv?country=GB")
    for row in rows:
        commitment = Commitment.objects.get(pk=row["id"])
        supporting = commitment.citations.filter(relation="supports").values("source").distinct().count()
        assert int(row["sources"]) == supporting


def test_citations_csv_quotes_are_verbatim_at_their_offsets(client, seeded):
    _, rows = download(client, "/citations.csv")
    assert len(rows) == Citation.objects.count()
    texts = {c.source.file_name: c.source.text for c in Citation.objects.select_related("source")}
    for row in rows:
        assert texts[row["source_file"]][int(row["start"]) : int(row["end"])] == row["quote"]
        assert row["subject_type"] in {"commitment", "statement", "discrepancy"}
        assert row["relation"] in {"supports", "contradicts"}


def test_statements_csv_has_one_row_per_statement(client, seeded):
    _, rows = download(client, "/statements.csv")
    assert len(rows) == Statement.objects.count()
    assert {row["kind"] for row in rows} <= {"direct", "paraphrase"}


@pytest.mark.parametrize(
    "address, check",
    [
        ("/commitments.csv?country=DE", lambda row: row["country_code"] == "DE"),
        ("/commitments.csv?stance=refusal", lambda row: row["stance"] == "refusal"),
        ("/commitments.csv?category=troops&summit=paris-2026", lambda row: row["category"] == "troops"),
        ("/commitments.csv?organisation=coalition-of-the-willing", lambda row: row["country_code"] == ""),
        ("/citations.csv?country=IT", lambda row: row["country_code"] == "IT"),
        ("/citations.csv?subject_type=statement", lambda row: row["subject_type"] == "statement"),
        ("/citations.csv?source=003_956742e99323d69f.txt", lambda row: row["source_file"].startswith("003_")),
        ("/statements.csv?country=US", lambda row: row["speaker_country"] == "US"),
    ],
)
def test_csvs_filter_by_the_same_url_parameters_as_the_pages(client, seeded, address, check):
    _, rows = download(client, address)
    assert rows and all(check(row) for row in rows)


def test_an_invalid_csv_filter_is_refused_with_the_reason(client, seeded):
    response = client.get("/commitments.csv?stance=maybe")
    assert response.status_code == 400
    assert "stance" in response.content.decode() and "valid choice" in response.content.decode()


def test_csv_quoting_follows_rfc_4180():
    text = "".join(csv_lines(["a", "b", "c", "d"], [['say "yes", then\nleave', "Türkiye", 3, ""]]))
    assert text == 'a,b,c,d\n"say ""yes"", then\nleave","Türkiye",3,""\n'


TABLES = {
    "commitments": (Commitment, csv_columns(PUBLIC_TABLES["commitments"])),
    "citations": (Citation, csv_columns(PUBLIC_TABLES["citations"])),
    "statements": (Statement, csv_columns(PUBLIC_TABLES["statements"])),
    "sources": (Source, csv_columns(PUBLIC_TABLES["sources"])),
}


@pytest.mark.parametrize("name", TABLES)
def test_the_database_formats_exactly_what_python_would(client, seeded, name):
    model, columns = TABLES[name]
    streamed = "".join(exports.stream_csv(model.objects.all(), columns))
    by_python = "".join([",".join(columns) + "\n", *exports.python_rows(model.objects.all(), columns)])
    assert streamed == by_python


def test_public_csvs_neutralise_formulas_and_leave_numbers_alone(client):
    factories.CommitmentFactory(description='=HYPERLINK("http://evil")', condition="-5", slug="@risk")
    raw, rows = download(client, "/commitments.csv")
    assert rows[0]["description"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["slug"] == "'@risk"
    assert rows[0]["condition"] == "-5"
    assert rows[0]["sources"] == "0"


def test_sources_csv_lists_the_articles_with_their_fingerprints(client, seeded):
    _, rows = download(client, "/sources.csv")
    assert [row["file_name"] for row in rows] == sorted(s.file_name for s in Source.objects.all())
    assert all(len(row["sha256"]) == 64 for row in rows)
    ukrinform = next(row for row in rows if row["file_name"].startswith("003_"))
    assert ukrinform["outlet"] == "Ukrinform" and ukrinform["url"] == ""


def test_csv_of_an_empty_selection_still_has_its_header(client):
    raw, rows = download(client, "/commitments.csv")
    assert rows == [] and raw.decode().startswith(",".join(csv_columns(PUBLIC_TABLES["commitments"])))


def test_citation_csv_names_the_speaker_of_a_statement(client):
    person = factories.PersonFactory(name="Giorgia Meloni", country=factories.CountryFactory(code="IT"))
    statement = factories.StatementFactory(speaker=person)
    factories.CitationFactory(commitment=None, statement=statement, quote="Italy said")
    _, rows = download(client, "/citations.csv")
    assert rows[0]["speaker"] == "Giorgia Meloni" and rows[0]["country_code"] == "IT"
    assert list(rows[0]) == list(csv_columns(PUBLIC_TABLES["citations"]))
    assert rows[0]["subject_type"] == "statement" and rows[0]["statement_id"] == str(statement.pk)
