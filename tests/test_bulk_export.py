"""The streaming table export writes, byte for byte, the files the resources' own export writes."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from import_export import fields, resources

from coalition import models
from coalition.bulk.columns import columns
from coalition.bulk.export import export_tables
from coalition.formats import CSV
from coalition.importers import table_name
from coalition.resources import RESOURCES, CommitmentResource
from coalition.seed import load_seed_data

from . import factories

pytestmark = pytest.mark.django_db


def resource_files() -> dict[str, bytes]:
    """Return every table as the resources' own (django-import-export) export writes it."""
    return {
        table_name(resource_class): CSV().export_data(resource_class().export()).encode("utf-8")
        for resource_class in RESOURCES
    }


def assert_same_files(directory):
    expected = resource_files()
    for name, content in expected.items():
        assert (directory / f"{name}.csv").read_bytes() == content, name


def test_the_seed_data_is_written_byte_for_byte_as_the_resources_write_it(tmp_path):
    load_seed_data()
    written = export_tables(tmp_path)
    assert written["commitment"] == models.Commitment.objects.count() > 0
    assert written["citation"] == models.Citation.objects.count() > 0
    assert written["participant"] == models.Participant.objects.count() > 0
    assert_same_files(tmp_path)


def test_tricky_values_are_rendered_escaped_and_quoted_as_the_resources_do(tmp_path):
    summit = factories.SummitFactory(
        slug="genève-2027",
        name='The "Summit", on peace',
        city='=HYPERLINK("http://evil")',
        start_date=datetime.date(2027, 2, 28),
        end_date=datetime.date(2027, 3, 1),
        reported_country_count=1234,
        description="line one\nline two\r\nline three",
        notes="",
    )
    organisation = factories.OrganisationFactory(slug="un", name="+United, Nations")
    people = [factories.PersonFactory(name=name) for name in ("Zoë Ñ", "Ada Lovelace", "-minus; sign", "'quoted")]
    participant = factories.ParticipantFactory(summit=summit, organisation=organisation, country=None)
    participant.representatives.set(people)
    document = factories.DocumentFactory(summit=summit, slug="decl", signed_on=None, title="@mention")
    factories.SignatoryFactory(document=document, person=people[0], disputed=True, country=None)
    factories.SignatoryFactory(document=document, person=people[1], disputed=False, country=None)
    commitment = factories.CommitmentFactory(
        summit=summit, slug="c-1", document=document, description="'=already escaped", notes="-12.5"
    )
    factories.CitationFactory(commitment=commitment)
    factories.CitationFactory(commitment=None, statement=factories.StatementFactory(summit=summit, context="\ttabbed"))
    export_tables(tmp_path)
    assert_same_files(tmp_path)
    participants = (tmp_path / "participant.csv").read_bytes().decode()
    assert ",'quoted;-minus; sign;Ada Lovelace;Zoë Ñ," in participants  # sorted names, one cell
    summits = (tmp_path / "summit.csv").read_bytes().decode()
    assert '"\'=HYPERLINK(""http://evil"")"' in summits  # escaped for spreadsheets, then quoted
    assert '"line one\nline two\r\nline three"' in summits


def test_an_empty_table_is_written_as_its_header_alone(tmp_path):
    written = export_tables(tmp_path)
    assert written["commitment"] == 0
    header = ",".join(CommitmentResource().get_export_headers())
    assert (tmp_path / "commitment.csv").read_bytes() == (header + "\r\n").encode()
    assert_same_files(tmp_path)


def test_a_column_computed_in_python_must_be_named_as_a_database_expression():
    class Computed(resources.ModelResource):
        shout = fields.Field(column_name="shout")
        export_expressions: dict = {}

        class Meta:
            model = models.Commitment
            fields = ["slug", "shout"]

        def dehydrate_shout(self, commitment):
            return commitment.slug.upper()

    with pytest.raises(ImproperlyConfigured, match="“shout” is computed in Python"):
        columns(Computed())
