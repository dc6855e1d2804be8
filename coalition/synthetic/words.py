"""The words synthetic records are made of: varied enough for full-text search to find and rank them."""

import random

from ..models import Commitment

FIRST_NAMES = (
    "Anna Marek Sofia Lukas Elena Tomas Ingrid Pablo Amara Kenji Leila Oskar Nadia Viktor Chloe Rahul Yara Mateo "
    "Greta Samir Ilse Dmitri Fatima Henrik Lucia Emeka Noor Jonas Mirela Tariq Astrid Diego Hana Pieter Zofia Kwame "
    "Irene Bogdan Selin Arno Maya Ruben Klara Idris Vera Felix Aiko Stefan Lina Omar"
).split()
LAST_NAMES = (
    "Berg Novak Rossi Keller Dubois Silva Kowalski Jensen Moreau Haddad Tanaka Lindqvist Petrov Okafor Brandt Costa "
    "Horvat Nakamura Weber Suleiman Vidal Fischer Mensah Larsen Popescu Aydin Ferreira Schmidt Duarte Kovacs Muller "
    "Bianchi Andersen Ivanova Santos Varga Laurent Nieminen Hoffmann Ortega Kaya Wagner Lund Marino Sato Jovanovic "
    "Eriksen Roux Yilmaz Blom"
).split()
OFFICES = (
    "Prime Minister",
    "President",
    "Minister of Defence",
    "Foreign Minister",
    "Chief of the Defence Staff",
    "Special Envoy",
    "National Security Adviser",
)
OUTLETS = ("The Daily Ledger", "Northern Wire", "Global Dispatch", "The Evening Courier", "Continental Review")
CITIES = "Paris London Berlin Rome Warsaw Madrid Oslo Helsinki Vienna Prague Lisbon Brussels Ankara Tallinn".split()
ORGANISATION_WORDS = (
    ("Northern", "Atlantic", "Baltic", "Eastern", "Southern", "Continental", "Maritime", "Alpine"),
    ("Defence Forum", "Security Council", "Partnership", "Union", "Compact", "Initiative", "Assembly"),
)

# The verbs reporters use for each stance, keyed by the model's own stance values.
STANCE_VERBS = {
    Commitment.Stance.PLEDGE: ("pledged", "promised", "committed", "offered"),
    Commitment.Stance.CONDITIONAL: ("would consider", "is ready, under conditions, to provide", "may commit"),
    Commitment.Stance.REFUSAL: ("refuses to provide", "ruled out", "declined to commit", "rejected sending"),
    Commitment.Stance.SUPPORT: ("backed", "welcomed", "supported", "endorsed"),
}
THINGS = (
    "troops",
    "ground forces",
    "fighter jets",
    "naval patrols",
    "air defence systems",
    "funding",
    "training instructors",
    "monitoring teams",
    "engineers",
    "logistics hubs",
    "sanctions",
    "a headquarters staff",
    "reconstruction aid",
    "minesweepers",
)
CONDITIONS = (
    "after a ceasefire",
    "with a United Nations mandate",
    "if parliament approves",
    "with United States backing",
    "once a peace agreement is signed",
    "troops based in a neighbouring country",
)
TOPICS = ("who signed the declaration", "how many troops were offered", "when the mission starts", "who attended")
CONTEXTS = ("joint news conference", "interview with a broadcaster", "on social media", "speech to parliament")
SAYINGS = (
    "We will stand by our partners for as long as it takes",
    "No decision on troops has been taken yet",
    "Security guarantees must be credible and binding",
    "Our parliament will have the final word",
    "Sanctions will stay until the aggression stops",
    "We refuse to send soldiers without a clear mandate",
    "The coalition is ready to monitor any ceasefire",
)


def person_names(rng: random.Random, how_many: int) -> list[str]:
    """Return `how_many` distinct invented full names (numbered once the combinations run out)."""
    combinations = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(combinations)
    return [
        combinations[n] if n < len(combinations) else f"{combinations[n % len(combinations)]} {n}"
        for n in range(how_many)
    ]


def organisation_names(how_many: int) -> list[str]:
    """Return `how_many` distinct invented organisation names."""
    first, second = ORGANISATION_WORDS
    names = [f"{a} {b}" for a in first for b in second]
    return [names[n] if n < len(names) else f"{names[n % len(names)]} {n}" for n in range(how_many)]


def commitment_words(rng: random.Random, actor: str, stance: str, category_label: str) -> tuple[str, str, str]:
    """Return a commitment's description, the sentence a source quotes for it, and one that contradicts it."""
    verb = rng.choice(STANCE_VERBS.get(stance, ("took a position on",)))
    thing = rng.choice(THINGS)
    description = f"{actor} {verb} {thing} ({category_label.lower()})."
    quote = f"{actor} {verb} {thing}, {rng.choice(OFFICES).lower()} {rng.choice(LAST_NAMES)} said"
    denial = f"Officials in {actor} denied that any decision on {thing} had been taken"
    return description, quote, denial


def statement_words(rng: random.Random) -> str:
    """Return what a speaker said."""
    return f"{rng.choice(SAYINGS)}, and {rng.choice(THINGS)} are part of it."


def filler(rng: random.Random, city: str) -> str:
    """Return a sentence of reporting that no record cites."""
    return f"Leaders met in {city} as talks on {rng.choice(THINGS)} continued {rng.choice(CONDITIONS)}."
