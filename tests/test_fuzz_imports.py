"""Fuzzing the imports: files made from the database's own export, broken one way at a time, are refused whole
(nothing written, line and column named, no traceback) or, when still valid, change nothing."""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition import models
from coalition.fuzz_runner import TMP_STORAGE, Tally, checksum, try_sample
from coalition.fuzzing import FORMAT_NAMES, Sample, Table, csv_bytes, kind_names, make_sample
from coalition.resources import RESOURCES, CommitmentResource, SignatoryResource

from . import factories

pytestmark = pytest.mark.django_db

# A file cut or corrupted at random may by chance still be whole (cut at the end of a row): it may import.
MAY_STAY_VALID = {"cut off", "corrupted"}


@pytest.fixture
def tables(settings):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = TMP_STORAGE
    summit = factories.SummitFactory(slug="paris-2026", description="=starts like a formula")
    organisation = factories.OrganisationFactory(slug="coalition")
    person = factories.PersonFactory(name="Ada Lovelace", organisation=organisation)
    factories.ParticipantFactory(summit=summit, representatives=[person])
    document = factories.DocumentFactory(summit=summit)
    factories.SignatoryFactory(document=document, person=person, disputed=True)
    factories.SignatoryFactory(document=document, disputed=False, notes="'=quoted")
    factories.StatementFactory(summit=summit, speaker=person, notes="-not a number")
    factories.DiscrepancyFactory(summit=summit)
    factories.CitationFactory(commitment=factories.CommitmentFactory(summit=summit, notes="@mention"))
    return {resource_class: Table.export(resource_class) for resource_class in RESOURCES}


def tried(client, sample) -> Tally:
    tally = Tally()
    try_sample(client, sample, tally)
    assert tally.ok, tally.failures
    assert not tally.valid_refused, tally.failures
    if not sample.harmless and sample.kind not in MAY_STAY_VALID:
        assert tally.refused == tally.imports, tally.failures
    return tally


@pytest.mark.parametrize("format_name, kind", [(name, kind) for name in FORMAT_NAMES for kind in kind_names(name)])
def test_every_kind_of_broken_file_is_refused_cleanly_and_valid_ones_change_nothing(
    admin_client, tables, format_name, kind
):
    sample = make_sample(random.Random(kind), tables[SignatoryResource], format_name, kind)
    before = checksum()
    tally = tried(admin_client, sample)
    assert checksum() == before
    if sample.harmless:
        assert tally.unchanged == tally.imports


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    resource_index=st.integers(0, len(RESOURCES) - 1),
    format_name=st.sampled_from(FORMAT_NAMES),
    seed=st.integers(0, 2**32),
)
def test_files_drawn_for_any_table_never_write_part_of_themselves(
    admin_client, tables, resource_index, format_name, seed
):
    before = checksum()
    tried(admin_client, make_sample(random.Random(seed), tables[RESOURCES[resource_index]], format_name))
    assert checksum() == before


def test_the_fuzz_command_reports_counts_and_rolls_everything_back(tables):
    before = checksum()
    out = StringIO()
    call_command("fuzz_imports", "--files", "6", "--seed", "1", stdout=out, stderr=StringIO())
    summary = out.getvalue()
    assert summary.startswith("files tried 6 (")
    assert "partial writes 0, tracebacks 0, harmful files accepted 0" in summary
    assert checksum() == before
    assert not get_user_model().objects.filter(username="fuzz-imports").exists()


def test_the_fuzz_command_counts_a_file_that_changes_data_as_harmful_and_fails(tables, monkeypatch):
    table = Table.export(CommitmentResource)
    table.rows[0][table.headers.index("description")] = "A description the file changed."
    harmful = Sample(CommitmentResource, "csv", "changed description", csv_bytes(table), harmless=False)
    monkeypatch.setattr("coalition.management.commands.fuzz_imports.samples", lambda seed, count: [harmful])
    out = StringIO()
    with pytest.raises(CommandError, match="not refused cleanly"):
        call_command("fuzz_imports", "--files", "1", stdout=out, stderr=StringIO())
    # The admin takes it; import_tables then refuses it as stale (its row's version changed meanwhile).
    assert "harmful files accepted 1" in out.getvalue()
    assert not models.Commitment.objects.filter(description="A description the file changed.").exists()
