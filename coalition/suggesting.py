"""Ranking sentences by how likely they report a record: BM25 over stemmed words, boosted by naming its actor.

Pure functions over texts, no database: the selector (coalition/selectors/suggestions.py) gathers the texts and
the record's words, and the evaluation command measures the ranking.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer

from .sentences import split_sentences

# BM25's usual constants: how fast a repeated word stops adding, and how much a long sentence is discounted.
K1, B = 1.2, 0.75
# A sentence that names the actor scores double: the actor is what tells two records apart.
ACTOR_BOOST = 1.0
_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)?")
# Words that say nothing of what a sentence reports.
STOP_WORDS = frozenset(
    """a about after again against all also an and any are as at be been before being between both but by can
    could did do does during each for from had has have he her him his how i if in into is it its itself may
    more most of on once only or other our out over own said same says she should so some such than that the
    their them then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you""".split()
)


def words_and_stems(text: str) -> list[tuple[str, str]]:
    """Return the lower-cased words of `text`, stop words left out, each with its stem."""
    words = [word.lower().replace("’", "'").split("'")[0] for word in _WORD.findall(text)]
    words = [word for word in words if word not in STOP_WORDS]
    return list(zip(words, _STEMMER.stemWords(words), strict=True))


def stems(text: str) -> list[str]:
    """Return the stemmed, lower-cased words of `text`, stop words left out."""
    return [stem for _, stem in words_and_stems(text)]


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """Return a pattern finding any of `names` as whole words, or None when there is no name."""
    # Whole words, case kept for the short capitals (“US” is not “us”), case-folded for the rest.
    alternatives = sorted({name.strip() for name in names if name.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    parts = [re.escape(name) if name.isupper() else f"(?i:{re.escape(name)})" for name in alternatives]
    return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])")


@dataclass(frozen=True)
class Query:
    """What a record is about: the names of its actor, and its words (category, condition, description)."""

    names: tuple[str, ...]
    words: str
    pattern: re.Pattern | None = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "pattern", name_pattern(self.names))


@dataclass(frozen=True)
class Passage:
    """A sentence suggested for a record: where it is, its words, its score and why it scored."""

    source: object  # whatever the caller passed with the text: a Source, or its key
    start: int
    end: int
    text: str
    score: float
    named: str  # the actor's name as the sentence gives it, empty if it does not
    matched: tuple[str, ...]  # the record's words that the sentence holds, as the sentence spells them

    @property
    def why(self) -> str:
        """Return a plain sentence saying why the passage was suggested."""
        parts = [f"names “{self.named}”"] if self.named else []
        if self.matched:
            parts.append("shares the words " + ", ".join(self.matched))
        return "; ".join(parts) or "—"


def rank(query: Query, texts: Iterable[tuple[object, str]], limit: int = 10) -> list[Passage]:
    """Return the `limit` sentences of `texts` ((source, text) pairs) best matching `query`, best first."""
    sentences = [(source, sentence) for source, text in texts for sentence in split_sentences(text)]
    if not sentences:
        return []
    pairs = [words_and_stems(sentence.text) for _, sentence in sentences]
    bags = [Counter(stem for _, stem in words) for words in pairs]
    # Each stem as the sentence first spells it, to say why in the sentence's own words.
    spelt = [{stem: word for word, stem in reversed(words)} for words in pairs]
    average = sum(sum(bag.values()) for bag in bags) / len(bags) or 1
    frequency = Counter(word for bag in bags for word in bag)
    terms = Counter(stems(query.words))
    passages = []
    for (source, sentence), bag, spelling in zip(sentences, bags, spelt, strict=True):
        length = sum(bag.values())
        score, matched = 0.0, []
        for term, weight in terms.items():
            count = bag.get(term)
            if not count:
                continue
            idf = math.log(1 + (len(bags) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += weight * idf * count * (K1 + 1) / (count + K1 * (1 - B + B * length / average))
            matched.append(spelling[term])
        found = query.pattern.search(sentence.text) if query.pattern else None
        if found:
            score *= 1 + ACTOR_BOOST
        if score > 0:
            named = found.group(0) if found else ""
            passages.append(Passage(source, sentence.start, sentence.end, sentence.text, score, named, tuple(matched)))
    # Stable: equal scores keep the order of the texts and of the sentences in them.
    passages.sort(key=lambda passage: -passage.score)
    return passages[:limit]
