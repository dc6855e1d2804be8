"""How much of a source its citations cover, and its uncited sentences that name a participant."""

from dataclasses import dataclass

from ..demonyms import country_names
from ..models import Citation, Country, Organisation, Participant, Source
from ..quotes import merge_spans
from ..sentences import split_sentences
from ..suggesting import name_pattern
from .suggestions import person_names

# Organisations looked for in a source no citation ties to a summit yet (all countries are looked for).
MAX_ORGANISATIONS = 200


def cited_share(text_length: int, spans) -> float:
    """Return the share (0 to 1) of a text's characters inside at least one of the (start, end) spans."""
    covered = sum(end - start for start, end in merge_spans(list(spans)))
    return covered / text_length if text_length else 0.0


def source_coverage(*, source: Source) -> float:
    """Return the share of `source`'s text characters that at least one citation quotes."""
    return cited_share(len(source.text), source.citations.values_list("start", "end"))


@dataclass(frozen=True)
class UncitedSentence:
    """A sentence no citation overlaps, and the participant it names (as it names it, and who that is)."""

    start: int
    end: int
    text: str
    named: str
    participant: str


def _participant_names(summit_ids: set[int]) -> dict[str, str]:
    # Each name with the participant it stands for.
    names: dict[str, str] = {}
    if summit_ids:
        participants = Participant.objects.filter(summit_id__in=summit_ids).select_related("country", "organisation")
        participants = participants.prefetch_related("representatives")
        for participant in participants:
            actor = participant.actor
            if participant.country_id:
                own = country_names(actor.code, actor.name)
            else:
                own = [actor.name, actor.short_name]
            for name in own:
                names.setdefault(name, actor.name)
            for person in participant.representatives.all():
                for name in person_names(person.name, person.name_variants):
                    names.setdefault(name, f"{person.name} ({actor.name})")
    else:
        for code, name in Country.objects.values_list("code", "name"):
            for other in country_names(code, name):
                names.setdefault(other, name)
        for name, short in Organisation.objects.order_by("pk").values_list("name", "short_name")[:MAX_ORGANISATIONS]:
            names.setdefault(name, name)
            if short:
                names.setdefault(short, name)
    names.pop("", None)
    return names


def uncited_sentences(*, source: Source) -> list[UncitedSentence]:
    """Return `source`'s sentences that name a participant and that no citation overlaps — the linkers' worklist.

    The participants are those of the summits this source's citations belong to; for a source not yet cited,
    any country and the organisations.
    """
    citations = Citation.objects.filter(source=source)
    spans = list(citations.values_list("start", "end"))
    summit_ids = set()
    for row in citations.values_list("commitment__summit_id", "statement__summit_id", "discrepancy__summit_id"):
        summit_ids.update(summit for summit in row if summit is not None)
    names = _participant_names(summit_ids)
    pattern = name_pattern(names)
    # The pattern folds case except for short capitals: look the match up folded too.
    participant_of = {name.lower(): participant for name, participant in names.items()}
    worklist = []
    for sentence in split_sentences(source.text):
        if any(start < sentence.end and sentence.start < end for start, end in spans):
            continue
        found = pattern.search(sentence.text) if pattern else None
        if found:
            named = found.group(0)
            participant = participant_of[named.lower()]
            worklist.append(UncitedSentence(sentence.start, sentence.end, sentence.text, named, participant))
    return worklist
