"""Natural keys are unique exactly where the database says a record is unique, so a database with the same slugs
at several summits survives its own table export and import."""

import pytest
from django.apps import apps
from django.db.models import Count

from coalition import models, synthetic
from coalition.importers import export_tables, import_tables

from .test_importers import empty_database, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(monkeypatch):
    # Several small summits: each has a document "declaration", commitments "c0", "c1"… and statements "s0"…
    monkeypatch.setattr(synthetic, "COMMITMENTS_PER_SUMMIT", 30)
    synthetic.generate(90, seed=7, report=lambda *_: None)
    # …and one person signs the "declaration" of two summits (a signatory's key once left out the summit).
    person = models.Person.objects.order_by("pk").first()
    for document in models.Document.objects.filter(slug="declaration").order_by("pk")[:2]:
        models.Signatory.objects.get_or_create(document=document, person=person)


def keyed_models():
    return [model for model in apps.get_app_config("coalition").get_models() if hasattr(model, "natural_key")]


def test_the_generated_summits_repeat_each_others_slugs(generated):
    for model in (models.Document, models.Commitment, models.Statement):
        repeated = model.objects.values("slug").annotate(n=Count("summit", distinct=True)).filter(n__gt=1)
        assert repeated.exists(), model
    signed = models.Signatory.objects.values("document__slug", "person")
    assert signed.annotate(n=Count("document__summit", distinct=True)).filter(n__gt=1).exists()


def test_every_records_natural_key_is_its_own_and_finds_it(generated):
    for model in keyed_models():
        records = list(model._default_manager.all())
        keys = [record.natural_key() for record in records]
        assert len(set(keys)) == len(keys), f"{model.__name__}: two records share a natural key"
        for record, key in zip(records, keys, strict=True):
            assert model._default_manager.get_by_natural_key(*key) == record


def test_a_database_with_repeated_slugs_survives_export_and_import_into_an_empty_database(generated, tmp_path):
    before = snapshot()
    written = export_tables(tmp_path)
    empty_database()
    assert not models.Document.objects.exists()
    report = import_tables(tmp_path)
    assert report.total("new") == sum(count for name, count in written.items() if name != "country")
    assert snapshot() == before
