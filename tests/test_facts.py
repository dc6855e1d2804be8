"""The seed data says only what its articles say: refusals are stated as refusals, Germany's troops are a condition."""

import re
from collections import defaultdict

import pytest

from coalition.models import Citation, Commitment, Discrepancy
from coalition.selectors.actors import actor_detail

from . import factories

pytestmark = pytest.mark.django_db

# Words with which an article states that someone will not do something. "not inside Ukraine" or "based in a
# neighbouring country" say where troops would be, not that they are refused, so they are not among them.
REFUSAL = re.compile(
    r"refus|reject|oppose|rul(?:e|ed|es|ing) out|will not|won[’']t|would not|cannot|can[’']t|not (?:send|deploy)"
    r"|\bno\b[^.]*\btroops",
    re.IGNORECASE,
)


def states_a_refusal(quote: str) -> bool:
    """Return whether `quote` words a refusal."""
    return bool(REFUSAL.search(quote))


@pytest.mark.parametrize(
    "quote",
    [
        "some EU member states, such as Italy and Czechia, have already refused.",
        "Croatia and the Czech Republic said they would not deploy troops.",
        "Italian Prime Minister Giorgia Meloni reiterated that Rome will not be deploying any troops to Ukraine.",
        "also ruled out sending troops into the country",
        "repeatedly rejecting a temporary ceasefire or a quick deal.",
    ],
)
def test_the_check_recognises_the_articles_refusals(quote):
    assert states_a_refusal(quote)


@pytest.mark.parametrize(
    "quote",
    [
        # What four articles say of Germany's troops: where they would be based, not a refusal.
        "Germany could be part of a multinational forces to monitor a ceasefire in Ukraine—however, with troops "
        "“based in neighboring territory”",
        "but would be based in a neighbouring country",
        "would be deployed in neighboring countries rather than inside Ukraine",
        "German troops could be stationed at the border—but not inside Ukraine.",
    ],
)
def test_the_check_does_not_read_a_refusal_into_where_troops_are_based(quote):
    assert not states_a_refusal(quote)


def test_every_source_counted_for_a_refusal_words_a_refusal(seeded):
    """A refusal's source count says how many articles report a refusal: each of them must word one."""
    refusals = Commitment.objects.filter(stance=Commitment.Stance.REFUSAL)
    assert refusals.count() >= 5  # Italy, Czechia, Croatia, Poland and more: the check is not vacuous
    for commitment in refusals:
        quotes = defaultdict(list)
        for citation in commitment.citations.filter(relation=Citation.Relation.SUPPORTS).select_related("source"):
            quotes[citation.source.file_name].append(citation.quote)
        assert len(quotes) == commitment.source_count, commitment.slug
        for source, cited in quotes.items():
            assert any(states_a_refusal(quote) for quote in cited), (commitment.slug, source, cited)


def test_germanys_troops_are_a_condition_on_where_they_are_based_not_a_refusal(seeded):
    assert not Commitment.objects.filter(country="DE", stance=Commitment.Stance.REFUSAL).exists()
    [troops] = Commitment.objects.filter(country="DE", category=Commitment.Category.TROOPS)
    assert troops.stance == Commitment.Stance.CONDITIONAL
    assert "neighbouring country" in troops.condition and "rather than inside Ukraine" in troops.condition
    supporting = troops.citations.filter(relation=Citation.Relation.SUPPORTS).select_related("source")
    # All five articles report the offer in words of where the troops would be based.
    based = [c for c in supporting if re.search(r"neighbo|bordering", c.quote)]
    assert {c.source.file_name[:3] for c in based} == {"000", "001", "002", "003", "004"}
    assert troops.source_count == 5 and troops.contradicting_count == 0
    for citation in supporting:
        assert citation.source.text[citation.start : citation.end] == citation.quote


def test_the_one_article_that_words_germanys_position_as_a_refusal_is_kept_as_a_discrepancy(seeded):
    discrepancy = Discrepancy.objects.get(slug="germany-troops")
    citations = discrepancy.citations.select_related("source")
    wording = {citation.source.file_name[:3]: states_a_refusal(citation.quote) for citation in citations}
    assert wording == {"000": False, "001": False, "002": False, "003": False, "004": True}


# --- "independent" only for named, different outlets ---------------------------------------------------------------


def test_sources_of_unstated_outlets_are_counted_as_sources_not_independent_ones(client, seeded):
    html = client.get("/countries/DE/").content.decode()
    troops = Commitment.objects.get(country="DE", category=Commitment.Category.TROOPS)
    card = html.split(f'id="{troops.anchor}"', 1)[1].split('<div class="card"', 1)[0]
    # Four of the five articles name no outlet; the fifth is Ukrinform's.
    assert _reported_by(card) == ["5 sources (1 named outlet)"]
    assert "independent" not in html


def _reported_by(html: str) -> list[str]:
    return re.findall(r"<dt>Reported by</dt><dd>(.*?)</dd>", html, re.DOTALL)


def _commitment_cited_by(*outlets: str) -> Commitment:
    commitment = factories.CommitmentFactory(country=factories.CountryFactory(code="GB", name="United Kingdom"))
    for outlet in outlets:
        factories.CitationFactory(commitment=commitment, source=factories.SourceFactory(outlet=outlet))
    return commitment


def _outlets(commitment: Commitment) -> int:
    [row] = [row for row in actor_detail(country="GB").commitments.rows if row.pk == commitment.pk]
    return row.independent_outlets


def test_two_sources_of_named_different_outlets_are_two_independent_outlets(client):
    commitment = _commitment_cited_by("The Guardian", "BBC News")
    assert _outlets(commitment) == 2
    assert _reported_by(client.get("/countries/GB/").content.decode()) == ["2 sources (2 independent outlets)"]


def test_two_sources_of_one_outlet_are_one_outlet_however_it_is_capitalised(client):
    commitment = _commitment_cited_by("The Guardian", "the guardian")
    assert _outlets(commitment) == 1
    assert _reported_by(client.get("/countries/GB/").content.decode()) == ["2 sources (1 named outlet)"]


def test_unnamed_outlets_and_contradicting_sources_count_for_no_outlet(client):
    commitment = _commitment_cited_by("", "")
    factories.CitationFactory(
        commitment=commitment, source=factories.SourceFactory(outlet="Reuters"), relation=Citation.Relation.CONTRADICTS
    )
    assert _outlets(commitment) == 0
    reported = _reported_by(client.get("/countries/GB/").content.decode())
    assert reported == ['2 sources; <span class="flag">contradicted by 1</span>']
