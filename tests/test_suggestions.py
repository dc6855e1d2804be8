"""Suggested passages for a record, the suggest_quotes command, and a source's coverage and worklist."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition import models
from coalition.selectors.coverage import source_coverage, uncited_sentences
from coalition.selectors.suggestions import quote_suggestions
from coalition.sentences import split_sentences

from . import factories
from .test_admin import FACTORIES, url

pytestmark = pytest.mark.django_db


def test_sentences_split_after_stops_but_not_after_titles_or_initials_and_keep_their_offsets():
    text = (
        "Mr. Smith met Donald J. Trump in Paris. “Will it hold?” he asked.\nHeadline without a stop\nU.S. envoys left."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Smith met Donald J. Trump in Paris.",
        "“Will it hold?” he asked.",
        "Headline without a stop",
        "U.S. envoys left.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def commitment(slug):
    return models.Commitment.objects.select_related("country", "organisation").get(summit__slug="paris-2026", slug=slug)


def test_suggestions_are_sentences_of_the_sources_naming_the_actor_with_score_and_reason(seeded):
    record = commitment("it-no-troops")
    suggestions = quote_suggestions(record=record, limit=5)
    assert len(suggestions) == 5
    for passage in suggestions:
        assert passage.source.text[passage.start : passage.end] == passage.text
    best = suggestions[0]
    assert "Meloni" in best.text and "not" in best.text
    assert "Ital" in best.named and "troops" in best.why
    assert [p.score for p in suggestions] == sorted((p.score for p in suggestions), reverse=True)


def test_suggestions_do_not_read_the_records_citations(seeded):
    record = commitment("gb-troops-after-ceasefire")
    before = [(p.source.pk, p.start, p.end, p.score) for p in quote_suggestions(record=record)]
    record.citations.all().delete()
    assert [(p.source.pk, p.start, p.end, p.score) for p in quote_suggestions(record=record)] == before


def test_the_evaluation_finds_most_commitments_citations_among_their_top_five(seeded):
    out = io.StringIO()
    call_command("suggest_quotes", "--evaluate", stdout=out)
    report = out.getvalue()
    cited = models.Commitment.objects.filter(citations__isnull=False).distinct().count()
    assert f"commitments evaluated (with at least one citation, held out): {cited}" in report
    assert float(re.search(r"recall@5: ([\d.]+)", report).group(1)) >= 0.8
    assert re.search(r"recall@1: [\d.]+", report)


def test_the_command_prints_one_commitments_suggestions_and_refuses_an_unknown_one(seeded):
    out = io.StringIO()
    call_command("suggest_quotes", "--commitment", "paris-2026/it-no-troops", "--limit", "2", stdout=out)
    assert out.getvalue().count("score") == 2 and "Meloni" in out.getvalue()
    with pytest.raises(Exception, match="No commitment"):
        call_command("suggest_quotes", "--commitment", "paris-2026/no-such-thing")


def test_a_commitments_page_shows_its_suggestions_each_linked_to_the_reading_view(admin_client, seeded):
    record = commitment("it-no-troops")
    content = admin_client.get(url(models.Commitment, "change", record.pk)).content.decode()
    assert "Suggested passages" in content
    best = quote_suggestions(record=record, limit=1)[0]
    assert best.text.split(" said")[0] in content
    cited = record.citations.filter(source=best.source, start__lt=best.end, end__gt=best.start).exists()
    link = f"/admin/coalition/source/{best.source.pk}/read/?commitment={record.pk}&amp;start={best.start}"
    link += f"&amp;end={best.end}"
    assert ("already cited" in content) if cited else (link in content)


def page_queries(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", [models.Commitment, models.Statement, models.Discrepancy], ids=lambda m: m.__name__)
def test_a_records_page_runs_as_many_queries_with_one_source_naming_it_as_with_six(admin_client, model):
    subject = FACTORIES[model]()
    # Sources that name the record's actor (a discrepancy has none) and share its words.
    actor = getattr(subject, "actor_name", None) or getattr(subject, "speaker", "")
    text = f"{factories.ARTICLE} {actor} spoke of troops after a ceasefire."
    factories.CitationFactory(**{"commitment": None, model._meta.model_name: subject}, source__text=text)
    few = page_queries(admin_client, url(model, "change", subject.pk))
    assert len(quote_suggestions(record=subject)) >= 1
    for _ in range(5):
        factories.SourceFactory(text=text)
    assert len(quote_suggestions(record=subject)) > 5
    assert page_queries(admin_client, url(model, "change", subject.pk)) == few


@pytest.fixture
def worked_source():
    """A source of a summit France takes part in, one sentence naming France cited, one not."""
    summit = factories.SummitFactory()
    factories.ParticipantFactory(summit=summit, country=factories.CountryFactory(code="FR"))
    text = "The French president spoke first. Nobody else spoke. Later France pledged ships to the mission."
    source = factories.SourceFactory(text=text)
    cited = factories.CitationFactory(
        source=source, commitment=factories.CommitmentFactory(summit=summit), quote="The French president spoke first."
    )
    return source, cited


def test_the_worklist_lists_an_uncited_sentence_naming_a_participant_and_not_a_cited_one(admin_client, worked_source):
    source, cited = worked_source
    worklist = uncited_sentences(source=source)
    assert [(s.text, s.named, s.participant) for s in worklist] == [
        ("Later France pledged ships to the mission.", "France", "France")
    ]
    content = admin_client.get(url(models.Source, "change", source.pk)).content.decode()
    assert "Later France pledged ships to the mission." in content
    start = source.text.index("Later")
    assert f"/admin/coalition/source/{source.pk}/read/?start={start}&amp;end={len(source.text)}" in content
    # The cited sentence is highlighted in the text, but not on the worklist.
    worklist_html = content[content.index('class="worklist"') :]
    assert "The French president" not in worklist_html.split("</ol>")[0]


def test_the_source_page_and_list_show_the_cited_share(admin_client, worked_source):
    source, cited = worked_source
    share = len(cited.quote) / len(source.text)
    assert source_coverage(source=source) == pytest.approx(share)
    content = admin_client.get(url(models.Source, "change", source.pk)).content.decode()
    assert f"{share:.0%} — the share of the text’s characters inside at least one citation’s quote" in content
    listing = admin_client.get(url(models.Source, "changelist")).context["cl"]
    row = next(s for s in listing.result_list if s.pk == source.pk)
    assert listing.model_admin.coverage_column(row) == f"{share:.0%}"


def test_overlapping_citations_are_counted_once_in_the_share(worked_source):
    source, cited = worked_source
    factories.CitationFactory(source=source, commitment=cited.commitment, quote="president spoke first. Nobody")
    covered = len("The French president spoke first. Nobody")
    assert source_coverage(source=source) == pytest.approx(covered / len(source.text))


def test_the_source_page_runs_as_many_queries_with_one_citation_and_participant_as_with_five(
    admin_client, worked_source
):
    source, cited = worked_source
    few = page_queries(admin_client, url(models.Source, "change", source.pk))
    for code in ["DE", "IT", "PL", "GB"]:
        factories.ParticipantFactory(summit=cited.commitment.summit, country=factories.CountryFactory(code=code))
        factories.CitationFactory(source=source, commitment=factories.CommitmentFactory(), quote="Nobody else spoke.")
    assert page_queries(admin_client, url(models.Source, "change", source.pk)) == few
