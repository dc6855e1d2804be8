"""One synthetic summit and everything recorded of it: participants, a document, records and their citations."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from ..models import Commitment, Discrepancy, Document, Participant, Signatory, Statement, Summit
from . import words
from .articles import GENERATED_NOTE, Articles

Representatives = Participant.representatives.through
OTHER_ROLES = [role for role in Participant.Role.values if role != Participant.Role.HOST]
# Citations of a record: the first from lane "a" supports it, the second from lane "b" (another source) supports
# or — one time in four — contradicts it.
CONTRADICTED_SHARE = 0.25


def zipf(count: int, exponent: float = 1.1) -> list[float]:
    """Return Zipf-like weights for `count` items in rank order: the first is far likelier than the last."""
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """Return `k` distinct items drawn with the given weights (Efraimidis–Spirakis), in their original order."""
    keyed = sorted(range(len(items)), key=lambda i: rng.random() ** (1 / weights[i]), reverse=True)[:k]
    return [items[i] for i in sorted(keyed)]


@dataclass
class World:
    """What every summit draws from: countries by rank, organisations, and people per country or organisation."""

    countries: list  # (code, name), busiest first
    organisations: list  # (id, name)
    people: dict  # country code or organisation id -> list of person ids
    first_day: date
    days: int  # the span summits are spread over

    @property
    def country_weights(self) -> list[float]:
        return zipf(len(self.countries))


@dataclass
class Quota:
    """How many records of each kind one summit gets."""

    commitments: int
    statements: int
    discrepancies: int


def build_summit(writer, rng: random.Random, world: World, *, number: int, position: float, quota: Quota) -> None:
    """Queue summit `number` (at `position` in 0..1 along the years) and all its rows into `writer`."""
    country_weights = world.country_weights
    (host_code, host_name), *_ = rng.choices(world.countries, weights=country_weights)
    city = rng.choice(words.CITIES)
    day = world.first_day + timedelta(days=int(position * world.days) + rng.randint(0, 6))
    slug = f"synthetic-{number:05d}"
    name = f"{city} security summit ({rng.choice(words.TOPICS)}) no. {number}"
    countries = weighted_sample(rng, world.countries, country_weights, rng.randint(12, 45))
    if host_code not in {code for code, _ in countries}:
        countries.insert(0, (host_code, host_name))
    organisations = rng.sample(world.organisations, min(len(world.organisations), rng.randint(1, 4)))
    summit = writer.add(
        Summit(
            name=name, slug=slug, start_date=day, end_date=day + timedelta(days=rng.randint(0, 1)), city=city,
            host_country_id=host_code, reported_country_count=len(countries),
            reported_leader_count=rng.randint(0, len(countries)), description=f"Leaders met in {city}.",
            notes=GENERATED_NOTE,
        )
    )  # fmt: skip
    actors = [("country", code, name) for code, name in countries]
    actors += [("organisation", pk, name) for pk, name in organisations]
    speakers = []
    for kind, key, _ in actors:
        role = Participant.Role.HOST if key == host_code else rng.choice(OTHER_ROLES)
        participant = writer.add(
            Participant(
                summit_id=summit.pk, role=role, level=rng.choice(Participant.Level.values), **{f"{kind}_id": key}
            )
        )
        if people := world.people.get(key):
            person = rng.choice(people)
            speakers.append((kind, key, person))
            writer.add(Representatives(participant_id=participant.pk, person_id=person))
    document = writer.add(
        Document(
            summit_id=summit.pk, slug="declaration", title=f"{city} Declaration", kind=rng.choice(Document.Kind.values),
            signed_on=day, description="What the leaders agreed.",
        )
    )  # fmt: skip
    for kind, key, person in rng.sample(speakers, min(len(speakers), 5)):
        writer.add(
            Signatory(document_id=document.pk, person_id=person, disputed=rng.random() < 0.1, **{f"{kind}_id": key})
        )

    lanes = {
        lane: Articles(writer, rng, summit_slug=slug, summit_name=name, city=city, day=day, lane=lane) for lane in "ab"
    }

    def cite_twice(quote: str, second: str, **subject) -> None:
        lanes["a"].cite(quote, "supports", **subject)
        contradicts = rng.random() < CONTRADICTED_SHARE
        lanes["b"].cite(second if contradicts else quote, "contradicts" if contradicts else "supports", **subject)

    _commitments(writer, rng, summit.pk, document.pk, actors, quota.commitments, cite_twice)
    _statements(writer, rng, summit.pk, day, speakers, quota.statements, cite_twice)
    for n in range(quota.discrepancies):
        topic = rng.choice(words.TOPICS)
        discrepancy = writer.add(
            Discrepancy(summit_id=summit.pk, slug=f"d{n}", topic=topic.capitalize(), description="Sources differ.")
        )
        lanes["a"].cite(f"One report says {rng.choice(words.SAYINGS).lower()}", "supports", discrepancy=discrepancy)
        lanes["b"].cite(f"Another report on {topic} disagrees", "contradicts", discrepancy=discrepancy)
    for articles in lanes.values():
        articles.close()


def _commitments(writer, rng, summit_id, document_id, actors, how_many, cite_twice) -> None:
    categories = Commitment.Category.choices
    stances, statuses = Commitment.Stance.values, Commitment.Status.values
    cumulative = list(accumulate(zipf(len(actors))))
    for n in range(how_many):
        (kind, key, actor_name), *_ = rng.choices(actors, cum_weights=cumulative)
        category, label = rng.choice(categories)
        stance = rng.choice(stances)
        description, quote, denial = words.commitment_words(rng, actor_name, stance, label)
        commitment = writer.add(
            Commitment(
                summit_id=summit_id, slug=f"c{n}", category=category, stance=stance, status=rng.choice(statuses),
                condition=rng.choice(words.CONDITIONS) if stance == Commitment.Stance.CONDITIONAL else "",
                description=description, document_id=document_id if rng.random() < 0.1 else None, **{f"{kind}_id": key},
            )
        )  # fmt: skip
        cite_twice(quote, denial, commitment=commitment)


def _statements(writer, rng, summit_id, day, speakers, how_many, cite_twice) -> None:
    if not speakers:
        return
    kinds = Statement.Kind.values
    for n in range(how_many):
        _, _, person = rng.choice(speakers)
        text = words.statement_words(rng)
        statement = writer.add(
            Statement(
                summit_id=summit_id, slug=f"s{n}", speaker_id=person, said_on=day, kind=rng.choice(kinds), text=text,
                context=rng.choice(words.CONTEXTS),
            )
        )  # fmt: skip
        cite_twice(
            text.removesuffix("."), f"Aides later denied that {text[0].lower()}{text[1:-1]}", statement=statement
        )
