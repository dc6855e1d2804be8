"""Batched imports: one query per key column and batch, problems found across batch boundaries, bulk history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition import models
from coalition.formats import CSV
from coalition.importers import ImportRefused, import_dataset
from coalition.resources import CitationResource, CommitmentResource

from . import factories

pytestmark = pytest.mark.django_db

HEADER = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"
COUNTRIES = ["IT", "FR", "DE", "ES", "PL", "NL", "BE", "PT", "SE", "FI", "DK", "AT"]


def commitment_lines(count: int, *, status: str = "announced") -> list[str]:
    return [
        f"paris-2026,c-{n},{COUNTRIES[n % len(COUNTRIES)]},,troops,pledge,,{status},Troops number {n}.,declaration,"
        for n in range(count)
    ]


def dataset(*lines: str):
    return CSV().create_dataset("\n".join([HEADER, *lines]) + "\n")


@pytest.fixture
def summit():
    summit = factories.SummitFactory(slug="paris-2026")
    factories.DocumentFactory(summit=summit, slug="declaration")
    return summit


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(CommitmentResource, "batch_size", 4)


def queries(captured) -> tuple[int, int]:
    """Return (statements other than INSERTs, INSERTs); the database takes a limited number of rows per INSERT."""
    inserts = sum(query["sql"].lstrip().upper().startswith("INSERT") for query in captured.captured_queries)
    return len(captured) - inserts, inserts


def queries_to_import(lines: list[str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    return queries(captured)


def test_a_batch_costs_the_same_queries_for_five_rows_as_for_two_hundred(summit):
    few = queries_to_import(commitment_lines(5))
    models.Commitment.objects.all().delete()
    many = queries_to_import(commitment_lines(200))
    assert models.Commitment.objects.count() == 200
    assert many[0] == few[0] and many[1] < 200 / 10


def test_updating_a_batch_costs_the_same_queries_for_five_rows_as_for_two_hundred(summit):
    import_dataset(CommitmentResource, dataset(*commitment_lines(200)), label="file.csv")
    few = queries_to_import(commitment_lines(5, status="withdrawn"))
    many = queries_to_import(commitment_lines(200, status="fulfilled"))
    assert many[0] == few[0] and many[1] < 200 / 10
    assert set(models.Commitment.objects.values_list("status", flat=True)) == {"fulfilled"}


def test_every_written_record_has_its_history_row(summit):
    import_dataset(CommitmentResource, dataset(*commitment_lines(30)), label="file.csv")
    import_dataset(CommitmentResource, dataset(*commitment_lines(30, status="withdrawn")[:10]), label="file.csv")
    history = models.Commitment.history.model.objects
    assert history.filter(history_type="+").count() == 30
    changed = history.filter(history_type="~")
    assert changed.count() == 10 and set(changed.values_list("status", flat=True)) == {"withdrawn"}


def test_a_constraint_broken_in_a_later_batch_names_its_line_and_nothing_is_written(summit, small_batches):
    lines = commitment_lines(10)
    lines[6] = "paris-2026,c-6,IT,,troops,conditional,,announced,Troops if asked.,,"  # no condition
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    assert caught.value.messages == ["line 8: A conditional commitment needs its condition."]
    assert not models.Commitment.objects.exists()
    assert not models.Commitment.history.model.objects.exists()


def test_a_row_repeated_in_another_batch_is_found(summit, small_batches):
    lines = commitment_lines(9)
    lines.append(lines[1])
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    assert caught.value.messages == [
        "The file has the same record more than once: lines 3, 11 (summit=paris-2026, slug=c-1)."
    ]
    assert not models.Commitment.objects.exists()


def test_an_unknown_key_in_one_row_of_a_batch_leaves_the_others_resolved(summit, small_batches):
    lines = commitment_lines(8)
    lines[5] = lines[5].replace(",declaration,", ",no-such-document,")
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    assert caught.value.messages == [
        "line 7, column “document”: unknown document slug “no-such-document” at summit “paris-2026”"
    ]


def test_two_new_rows_that_clash_with_each_other_in_one_batch_name_the_second(summit):
    factories.OrganisationFactory(slug="nato")
    lines = [
        "paris-2026,a,IT,,troops,pledge,,announced,One.,,",
        "paris-2026,b,,nato,troops,pledge,,announced,Two.,,",
        "paris-2026,c,FR,nato,troops,pledge,,announced,Three.,,",
    ]
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    assert caught.value.messages == [
        "line 4: A commitment is made by a country or an organisation: fill in exactly one."
    ]


def test_citations_of_a_batch_are_found_and_located_without_a_query_each():
    commitment = factories.CommitmentFactory()
    source = factories.SourceFactory()
    header = "summit,subject_type,subject,source,quote,relation,note"
    key = f"{commitment.summit.slug},commitment,{commitment.slug},{source.file_name}"
    words = source.text.split()
    quotes = list(dict.fromkeys(" ".join(words[i : i + 3]) for i in range(0, min(len(words) - 3, 60), 3)))
    rows = [f'{key},"{quote}",supports,' for quote in quotes if source.text.count(quote) == 1]
    assert len(rows) > 5
    with CaptureQueriesContext(connection) as few:
        import_dataset(CitationResource, CSV().create_dataset(f"{header}\n" + "\n".join(rows[:2]) + "\n"), label="f")
    models.Citation.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        import_dataset(CitationResource, CSV().create_dataset(f"{header}\n" + "\n".join(rows) + "\n"), label="f")
    assert queries(many)[0] == queries(few)[0] and queries(many)[1] < len(rows) / 2
    for citation in models.Citation.objects.all():
        assert source.text[citation.start : citation.end] == citation.quote


def installed_triggers() -> set[str]:
    from coalition.aggregates import _installed

    return set(_installed(connection))


def test_counts_kept_by_the_batch_equal_fresh_counts_and_the_triggers_are_back(summit):
    from coalition import aggregates

    triggers, version = installed_triggers(), aggregates.data_state().version
    import_dataset(CommitmentResource, dataset(*commitment_lines(30)), label="file.csv")
    assert aggregates.mismatches() == []
    summit.refresh_from_db()
    assert summit.commitment_count == 30
    assert installed_triggers() == triggers and aggregates.data_state().version > version
    models.Commitment.objects.filter(slug="c-0").delete()  # counted by the triggers again
    summit.refresh_from_db()
    assert summit.commitment_count == 29 and aggregates.mismatches() == []


def test_a_refused_import_leaves_the_triggers_in_place(summit):
    triggers = installed_triggers()
    lines = commitment_lines(5) + ["paris-2026,bad,IT,,troops,conditional,,announced,No condition.,,"]
    with pytest.raises(ImportRefused):
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    assert installed_triggers() == triggers


def test_counts_past_the_recount_limit_are_rebuilt_whole(summit, monkeypatch):
    from coalition import aggregates
    from coalition.aggregates.deferred import Recount

    monkeypatch.setattr(Recount, "LIMIT", 3)
    import_dataset(CommitmentResource, dataset(*commitment_lines(20)), label="file.csv")
    source = factories.SourceFactory()
    header = "summit,subject_type,subject,source,quote,relation,note"
    rows = [f"paris-2026,commitment,c-{n},{source.file_name},Italy,supports," for n in range(20)]
    import_dataset(CitationResource, CSV().create_dataset(f"{header}\n" + "\n".join(rows) + "\n"), label="f")
    assert aggregates.mismatches() == []
    assert set(models.Commitment.objects.values_list("source_count", flat=True)) == {1}
    source.refresh_from_db()
    assert source.citation_count == 20


def test_a_file_wrong_on_every_line_lists_its_first_problems_and_counts_the_rest(summit):
    lines = [line.replace(",announced,", ",someday,") for line in commitment_lines(30)]
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, dataset(*lines), label="file.csv")
    messages = caught.value.messages
    assert len(messages) == 21 and messages[-1] == "… and 10 more problems."
    assert messages[0].startswith("line 2, column “status”: Value 'someday' is not a valid choice")
