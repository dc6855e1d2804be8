"""Sentences of a source's text, as code-point spans: the unit that suggestions and the coverage worklist show."""

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence (titles, initials and the like).
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sir", "st", "gen", "lt", "col", "maj", "capt", "sgt", "rep", "sen", "gov",
    "pres", "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp",
}  # fmt: skip
# A candidate end: a stop, question or exclamation mark, any closing quotes or brackets, then white space and
# something that can open a sentence (a capital, a digit, an opening quote or bracket).
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: where it starts and ends (code points, end exclusive) and its words."""

    start: int
    end: int
    text: str


def _ends_sentence(text: str, stop: int) -> bool:
    # A single stop after an abbreviation or one capital (an initial: “Donald J. Trump”) does not end a sentence.
    if text[stop] != ".":
        return True
    word = _WORD_BEFORE.search(text, 0, stop)
    if word is None:
        return True
    token = word.group(1).lower().rstrip(".")
    return token not in _ABBREVIATIONS and not (len(token) == 1 and token.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of `text`: each line split after a full stop, question or exclamation mark."""
    sentences = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in _END.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, end.start()):
                sentences.append((start, end.end()))
                start = end.end()
        sentences.append((start, line.end()))
    result = []
    for start, end in sentences:
        # Trimmed, so that a span is the sentence's words only; empty pieces are dropped.
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            start += len(piece) - len(piece.lstrip())
            result.append(Sentence(start, start + len(stripped), stripped))
    return result
