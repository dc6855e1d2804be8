"""CSV for researchers: the columns of each download and a streaming writer (RFC 4180, UTF-8)."""

import csv
from collections.abc import Iterable, Iterator

from .models import Citation, Commitment, Statement

COMMITMENT_COLUMNS = [
    "id", "summit", "slug", "actor", "actor_type", "country_code", "organisation", "category", "stance",
    "condition", "status", "description", "document", "sources_count", "contradicting_sources_count",
]  # fmt: skip
CITATION_COLUMNS = [
    "id", "summit", "subject_type", "subject_id", "subject_slug", "actor", "country_code", "stance", "category",
    "speaker", "quote", "start", "end", "source_file", "source_outlet", "source_url", "relation", "note",
]  # fmt: skip
STATEMENT_COLUMNS = [
    "id", "summit", "slug", "speaker", "speaker_country", "quote", "kind", "said_on", "context", "sources_count",
]  # fmt: skip
ACTOR_COLUMNS = ["code", "name", "pledge", "conditional", "refusal", "support", "total"]

CHUNK = 2000  # rows read from the database at a time, so memory stays flat


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield the CSV text of a header and rows, one line at a time, RFC 4180 quoting and CRLF line ends."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def commitment_rows(commitments) -> Iterator[list]:
    """Yield one row per commitment, in COMMITMENT_COLUMNS order (expects commitments_with_counts())."""
    for c in commitments.iterator(chunk_size=CHUNK):
        yield [
            c.pk, c.summit.slug, c.slug, c.actor_name, "country" if c.country_id else "organisation",
            c.country_id or "", c.organisation.slug if c.organisation_id else "", c.category, c.stance,
            c.condition, c.status, c.description, c.document.slug if c.document_id else "",
            c.sources_count, c.contradicting_count,
        ]  # fmt: skip


def _subject_columns(citation: Citation) -> list:
    subject = citation.subject
    commitment: Commitment | None = citation.commitment if citation.commitment_id else None
    statement: Statement | None = citation.statement if citation.statement_id else None
    if commitment:
        actor, code = commitment.actor_name, commitment.country_id or ""
    elif statement:
        actor, code = "", statement.speaker.country_id or ""
    else:
        actor, code = "", ""
    return [
        subject.summit.slug, citation.subject_type, subject.pk, subject.slug, actor, code,
        commitment.stance if commitment else "", commitment.category if commitment else "",
        statement.speaker.name if statement else "",
    ]  # fmt: skip


def citation_rows(citations) -> Iterator[list]:
    """Yield one row per citation, in CITATION_COLUMNS order (expects selectors.citation_list())."""
    for c in citations.iterator(chunk_size=CHUNK):
        yield [
            c.pk, *_subject_columns(c), c.quote, c.start, c.end, c.source.file_name, c.source.outlet,
            c.source.url, c.relation, c.note,
        ]  # fmt: skip


def statement_rows(statements) -> Iterator[list]:
    """Yield one row per statement, in STATEMENT_COLUMNS order (expects selectors.statement_list())."""
    for s in statements.iterator(chunk_size=CHUNK):
        yield [
            s.pk, s.summit.slug, s.slug, s.speaker.name, s.speaker.country_id or "", s.text, s.kind,
            s.said_on.isoformat() if s.said_on else "", s.context, s.sources_count,
        ]  # fmt: skip


def actor_rows(rows) -> Iterator[list]:
    """Yield one row per country or organisation of a country or organisation list."""
    for row in rows:
        code = getattr(row.actor, "code", None) or row.actor.slug
        yield [
            code,
            row.actor.name,
            *(row.counts[s] for s in ("pledge", "conditional", "refusal", "support")),
            row.total,
        ]
