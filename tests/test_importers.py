"""Importing and exporting whole tables: round trips, and bad files refused whole with clear messages."""

import pytest
import tablib
from django.core import serializers

from coalition import models
from coalition.formats import CSV
from coalition.importers import ImportRefused, export_tables, import_dataset, import_tables
from coalition.readers import FileRefused
from coalition.resources import RESOURCES, CitationResource, CommitmentResource, ParticipantResource
from coalition.seed import load_seed_data

from . import factories

pytestmark = pytest.mark.django_db

MODELS = [resource._meta.model for resource in RESOURCES]
HEADER = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"


def snapshot():
    """Return every record of every table by natural keys (no database ids), sorted."""
    return {
        model._meta.label: sorted(
            serializers.serialize("json", [record], use_natural_foreign_keys=True, use_natural_primary_keys=True)
            for record in model.objects.all()
        )
        for model in MODELS
    }


def empty_database():
    for model in reversed(MODELS[1:]):  # countries stay: a migration loads them
        model.objects.all().delete()


def test_export_empty_and_reimport_gives_back_the_same_database_and_a_second_import_changes_nothing(tmp_path):
    load_seed_data()
    before = snapshot()
    written = export_tables(tmp_path)
    assert written["citation"] == models.Citation.objects.count() > 0
    empty_database()
    assert not models.Commitment.objects.exists()
    report = import_tables(tmp_path)
    assert report.total("new") == sum(count for name, count in written.items() if name != "country")
    assert snapshot() == before
    again = import_tables(tmp_path)
    assert again.total("new") == 0 and again.total("update") == 0
    assert again.total("skip") == sum(written.values())


def test_exported_files_name_related_records_by_readable_keys_not_ids(tmp_path):
    load_seed_data()
    export_tables(tmp_path)
    commitments = (tmp_path / "commitment.csv").read_text(encoding="utf-8")
    assert commitments.splitlines()[0] == HEADER + ",version"  # the version guards against lost updates
    assert "paris-2026,it-no-troops,IT," in commitments
    participants = (tmp_path / "participant.csv").read_text(encoding="utf-8")
    assert "Alexus Grynkewich;Jared Kushner;Steve Witkoff" in participants


def commitments_csv(*lines: str) -> tablib.Dataset:
    return CSV().create_dataset("\n".join([HEADER, *lines]) + "\n")


@pytest.fixture
def summit():
    return factories.SummitFactory(slug="paris-2026")


def refused(resource_class, dataset) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_dataset(resource_class, dataset, label="file.csv")
    return caught.value.messages


def test_new_commitments_are_imported_and_a_reimport_updates_instead_of_duplicating(summit):
    good = commitments_csv(
        "paris-2026,it-no-troops,IT,,troops,refusal,,announced,Italy will not send troops.,,",
        "paris-2026,gb-troops,gb,,troops,conditional,after a ceasefire,announced,UK troops.,,",
    )
    result = import_dataset(CommitmentResource, good, label="file.csv")
    assert result.totals["new"] == 2
    assert models.Commitment.objects.get(slug="gb-troops").country_id == "GB"
    changed = commitments_csv("paris-2026,it-no-troops,IT,,troops,refusal,,withdrawn,Italy will not send troops.,,")
    assert import_dataset(CommitmentResource, changed, label="file.csv").totals["update"] == 1
    assert models.Commitment.objects.count() == 2


def test_one_bad_row_refuses_the_whole_file_naming_line_column_and_reason(summit):
    bad = commitments_csv(
        "paris-2026,it-no-troops,IT,,troops,refusal,,announced,Italy will not send troops.,,",
        "paris-2026,xx-troops,XX,,troops,refusal,,announced,Nobody.,,",
    )
    messages = refused(CommitmentResource, bad)
    assert "line 3, column “country”: unknown country code (ISO 3166-1 alpha-2 expected) “XX”" in messages
    assert not models.Commitment.objects.exists()


def test_an_unknown_summit_slug_is_refused(summit):
    messages = refused(CommitmentResource, commitments_csv("rome-2030,c,IT,,troops,refusal,,announced,No.,,"))
    assert "line 2, column “summit”: unknown summit slug “rome-2030”" in messages


def test_a_file_with_missing_columns_is_refused_naming_them(summit):
    dataset = CSV().create_dataset("summit,slug,country\nparis-2026,c,IT\n")
    messages = refused(CommitmentResource, dataset)
    assert "missing column(s): category, stance, description" in messages[0]


def test_a_file_with_extra_columns_is_refused_naming_them(summit):
    dataset = CSV().create_dataset(HEADER + ",colour\nparis-2026,c,IT,,troops,refusal,,announced,No.,,,red\n")
    assert "unknown column(s): colour" in refused(CommitmentResource, dataset)[0]


def test_duplicate_rows_are_refused_naming_their_lines(summit):
    row = "paris-2026,it-no-troops,IT,,troops,refusal,,announced,Italy will not send troops.,,"
    messages = refused(CommitmentResource, commitments_csv(row, row))
    assert "same record more than once: lines 2, 3 (summit=paris-2026, slug=it-no-troops)" in messages[0]
    assert not models.Commitment.objects.exists()


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1:A2)"])
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_refused(summit, cell):
    with pytest.raises(FileRefused) as caught:
        commitments_csv(f'paris-2026,c,IT,,troops,refusal,,announced,"{cell.replace(chr(34), chr(34) * 2)}",,')
    assert any(m.startswith("line 2, column “description”: the cell starts with") for m in caught.value.messages)
    assert not models.Commitment.objects.exists()


def test_a_constraint_violation_is_a_row_error_not_a_crash(summit):
    messages = refused(CommitmentResource, commitments_csv("paris-2026,c,IT,coalition,troops,refusal,,announced,No.,,"))
    assert any("unknown organisation slug “coalition”" in m for m in messages)
    factories.OrganisationFactory(slug="coalition")
    messages = refused(CommitmentResource, commitments_csv("paris-2026,c,IT,coalition,troops,refusal,,announced,No.,,"))
    assert any("fill in exactly one" in m for m in messages)


def test_a_citation_whose_quote_is_not_verbatim_is_an_error_on_its_row():
    commitment = factories.CommitmentFactory()
    source = factories.SourceFactory()
    header = "summit,subject_type,subject,source,quote,relation,note"
    key = f"{commitment.summit.slug},commitment,{commitment.slug},{source.file_name}"
    good = f"{key},Italy said it would not send troops,supports,"
    bad = f"{key},Italy said it would send troops,supports,"
    messages = refused(CitationResource, CSV().create_dataset(f"{header}\n{good}\n{bad}\n"))
    assert any(m.startswith("line 3, column “quote”: The quote is not verbatim") for m in messages)
    assert not models.Citation.objects.exists()
    result = import_dataset(CitationResource, CSV().create_dataset(f"{header}\n{good}\n"), label="f")
    citation = models.Citation.objects.get()
    assert result.totals["new"] == 1 and source.text[citation.start : citation.end] == citation.quote


def test_an_unknown_representative_is_refused_rather_than_dropped(summit):
    dataset = CSV().create_dataset(
        "summit,country,organisation,role,level,representatives,notes\nparis-2026,FR,,host,head,Nobody Known,\n"
    )
    messages = refused(ParticipantResource, dataset)
    assert "line 2, column “representatives”: unknown person(s): Nobody Known" in messages
    assert not models.Participant.objects.exists()


def test_a_dry_run_import_writes_nothing(tmp_path):
    load_seed_data()
    export_tables(tmp_path)
    empty_database()
    report = import_tables(tmp_path, dry_run=True)
    assert report.total("new") > 0 and not models.Commitment.objects.exists()


def test_a_table_that_refuses_stops_the_whole_import(tmp_path):
    load_seed_data()
    export_tables(tmp_path)
    empty_database()
    citations = tmp_path / "citation.csv"
    citations.write_text(citations.read_text(encoding="utf-8").replace("Italy", "Itały", 1), encoding="utf-8")
    with pytest.raises(ImportRefused):
        import_tables(tmp_path)
    assert not models.Summit.objects.exists() and not models.Commitment.objects.exists()


def test_the_table_commands_round_trip_and_report_counts(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    load_seed_data()
    call_command("export_tables", str(tmp_path), stdout=StringIO())
    out = StringIO()
    call_command("import_tables", str(tmp_path), stdout=out)
    assert out.getvalue().strip().endswith(f"created 0, updated 0, skipped {sum(m.objects.count() for m in MODELS)}")
    (tmp_path / "summit.csv").write_text("slug,name\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="summit.csv was refused"):
        call_command("import_tables", str(tmp_path), stdout=StringIO(), stderr=StringIO())
