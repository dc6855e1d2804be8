"""The real seed data: the five articles and the records derived from them."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from coalition import models
from coalition.seed import SEED_FIXTURES, fixture_size, load_seed_data

pytestmark = pytest.mark.django_db

SEED_FILES = sorted(settings.SEEDS_DIR.glob("*.txt"))


@pytest.fixture
def seeded():
    load_seed_data()


def test_the_seed_fixtures_load_with_plain_loaddata_into_an_empty_database():
    assert not models.Summit.objects.exists()
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    summit = models.Summit.objects.get(slug="paris-2026")
    assert summit.city == "Paris" and summit.host_country_id == "FR"
    assert models.Commitment.objects.filter(summit=summit).exists()
    assert models.Citation.objects.exists()


def test_every_seed_article_is_a_source_whose_text_is_the_file_byte_for_byte(seeded):
    assert [s.file_name for s in models.Source.objects.all()] == [path.name for path in SEED_FILES]
    for source in models.Source.objects.all():
        assert source.text.encode("utf-8") == source.seed_path.read_bytes()
        assert source.text_sha256 == models.sha256_of(source.text)


def test_the_source_metadata_file_holds_no_text_of_its_own():
    records = json.loads((settings.SEEDS_DIR / "sources.json").read_text(encoding="utf-8"))
    assert all("text" not in record["fields"] for record in records)


def test_every_seeded_quote_is_verbatim_at_its_offsets(seeded):
    citations = models.Citation.objects.select_related("source")
    assert citations.count() > 0
    for citation in citations:
        assert citation.source.text[citation.start : citation.end] == citation.quote, citation.pk


def test_loading_the_seed_data_again_changes_nothing(seeded):
    counts = {model: model.objects.count() for model in (models.Commitment, models.Citation, models.Person)}
    report = load_seed_data(force=True)
    assert report.created == 0 and report.updated == fixture_size()
    assert {model: model.objects.count() for model in counts} == counts


def test_seed_data_is_not_reloaded_over_a_database_that_has_summits(seeded):
    commitment = models.Commitment.objects.first()
    commitment.description = "Edited by an editor."
    commitment.save()
    report = load_seed_data()
    assert report.created == 0 and report.skipped > 0
    commitment.refresh_from_db()
    assert commitment.description == "Edited by an editor."


def test_a_first_load_reports_every_fixture_record_as_created():
    assert str(load_seed_data()) == f"created {fixture_size()}, updated 0, skipped 0"


def test_a_dry_run_of_the_seed_load_writes_nothing():
    report = load_seed_data(dry_run=True)
    assert report.created == fixture_size()
    assert not models.Summit.objects.exists() and not models.Source.objects.exists()
