"""Synthetic news articles written around the quotes that cite records, so every citation's offsets are right."""

import random
from datetime import date, timedelta

from ..models import Citation, Source, sha256_of
from . import words

QUOTES_PER_ARTICLE = 40
GENERATED_NOTE = "Synthetic record written by generate_data; not real reporting."


class Articles:
    """One summit's articles in one lane: quotes are appended to the open article, saved once it is full.

    A record's citations go to different lanes, so that they come from different sources.
    """

    def __init__(self, writer, rng: random.Random, *, summit_slug: str, summit_name: str, city: str, day: date, lane):
        self.writer, self.rng = writer, rng
        self.summit_slug, self.summit_name, self.city, self.day, self.lane = summit_slug, summit_name, city, day, lane
        self.number = 0
        self._open()

    def _open(self) -> None:
        self.outlet = self.rng.choice(words.OUTLETS)
        self.parts = [f"{self.outlet}: {self.summit_name}\n\n", words.filler(self.rng, self.city), " "]
        self.length = sum(len(part) for part in self.parts)
        self.citations: list[Citation] = []

    def cite(self, quote: str, relation: str, **subject) -> None:
        """Put `quote` into the open article and queue its citation of `subject` (commitment=…, statement=…)."""
        start = self.length
        self.parts.append(quote)
        self.parts.append(". " if len(self.citations) % 4 != 3 else ".\n\n")
        self.length += len(quote) + len(self.parts[-1])
        self.citations.append(Citation(quote=quote, start=start, end=start + len(quote), relation=relation, **subject))
        if len(self.citations) >= QUOTES_PER_ARTICLE:
            self.close()
            self._open()

    def close(self) -> None:
        """Save the open article and its citations, unless nothing cites it."""
        if not self.citations:
            return
        self.number += 1
        file_name = f"{self.summit_slug}-{self.lane}{self.number:04d}.txt"
        text = "".join(self.parts) + words.filler(self.rng, self.city)
        source = self.writer.add(
            Source(
                file_name=file_name,
                outlet=self.outlet,
                title=f"{self.summit_name}: what was agreed",
                url=f"https://news.example.org/{file_name.removesuffix('.txt')}",
                published_on=self.day + timedelta(days=self.rng.randint(0, 3)),
                language="en",
                text=text,
                text_sha256=sha256_of(text),
                notes=GENERATED_NOTE,
            )
        )
        for citation in self.citations:
            citation.source_id = source.pk
            self.writer.add(citation)
        self.citations = []
