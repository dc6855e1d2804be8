"""Passages of the sources most likely to report a commitment, statement or discrepancy, for the linkers."""

from dataclasses import dataclass

from .. import search
from ..demonyms import country_names
from ..models import Commitment, Discrepancy, Person, Source, Statement
from ..suggesting import Passage, Query, rank

# Sources read per record: those naming its actor, newest first. Ranking reads every sentence of each, so this
# bounds the work at any number of sources.
MAX_SOURCES = 100
# People of a country or organisation whose names count as naming it (its leaders, envoys, ministers).
MAX_PEOPLE = 50


def person_names(name: str, variants: str) -> list[str]:
    """Return a person's name, other spellings and surnames (articles say “Macron” once they have named him)."""
    names = [name, *(variant.strip() for variant in variants.split(";") if variant.strip())]
    return names + [full.split()[-1] for full in names if len(full.split()) > 1]


def _people_names(**actor) -> list[str]:
    people = Person.objects.filter(**actor).order_by("pk").values_list("name", "name_variants")[:MAX_PEOPLE]
    return [name for person in people for name in person_names(*person)]


def record_query(*, record: Commitment | Statement | Discrepancy) -> Query:
    """Return what a record is about: its actor's names, and its category's, condition's and description's words.

    Never its citations or notes: those are what the suggestions are meant to find.
    """
    if isinstance(record, Commitment):
        if record.country_id:
            country = record.country
            names = country_names(country.code, country.name) + _people_names(country=country.code)
        else:
            organisation = record.organisation
            names = [organisation.name, organisation.short_name, *_people_names(organisation=organisation.pk)]
        words = [record.get_category_display(), record.condition, record.description]
        return Query(tuple(filter(None, names)), " ".join(words))
    if isinstance(record, Statement):
        speaker = record.speaker
        return Query(tuple(person_names(speaker.name, speaker.name_variants)), f"{record.text} {record.context}")
    return Query((), f"{record.topic} {record.description}")


def _candidate_sources(query: Query):
    sources = Source.objects.only("pk", "file_name", "text").order_by("-pk")
    if query.names:
        # One group of alternatives: any of the names, each as a phrase.
        sources = search.matching(sources, " or ".join(f'"{name}"' for name in query.names))
    return sources[:MAX_SOURCES]


def quote_suggestions(*, record: Commitment | Statement | Discrepancy, limit: int = 10) -> list[Passage]:
    """Return the `limit` sentences across the sources most likely to report `record`, best first.

    Each passage carries its `source`, `start` and `end` (code points into the source's text), its `text`, its
    `score` and `why` it was suggested.
    """
    query = record_query(record=record)
    return rank(query, ((source, source.text) for source in _candidate_sources(query)), limit)


@dataclass(frozen=True)
class Evaluation:
    """How often a record's own citations come back among its suggestions, its citations held out."""

    evaluated: int  # records with at least one citation
    hits: dict[int, int]  # k: records with a held-out citation overlapping one of their top k suggestions
    recalled: dict[int, float]  # k: mean share of a record's citations (at most k) that its top k overlap

    def recall(self, k: int) -> float:
        """Return the share of evaluated records that had a held-out citation among their top k suggestions."""
        return self.hits[k] / self.evaluated if self.evaluated else 0.0


def _overlaps(passage: Passage, spans) -> set[int]:
    return {number for number, (source_id, start, end) in enumerate(spans) if
            passage.source.pk == source_id and passage.start < end and start < passage.end}  # fmt: skip


def suggestion_evaluation(*, records, ks: tuple[int, ...] = (1, 5)) -> Evaluation:
    """Return recall@k of the suggestions over `records`, each one's citations held out as the answers.

    The suggester never reads citations (see record_query), so leaving them out is only not showing them to it.
    """
    evaluated, hits, recalled = 0, dict.fromkeys(ks, 0), dict.fromkeys(ks, 0.0)
    for record in records:
        spans = list(record.citations.values_list("source_id", "start", "end"))
        if not spans:
            continue
        evaluated += 1
        suggestions = quote_suggestions(record=record, limit=max(ks))
        for k in ks:
            found = set().union(*(_overlaps(passage, spans) for passage in suggestions[:k]))
            hits[k] += bool(found)
            recalled[k] += len(found) / min(k, len(spans))
    return Evaluation(evaluated, hits, {k: total / evaluated if evaluated else 0.0 for k, total in recalled.items()})
