"""The public tables, column by column: the one place their names, types and meanings are written."""

from django.db.models import Case, CharField, OuterRef, Value, When
from django.db.models.functions import Coalesce

from ..filters import SUBJECT_TYPES as SUBJECT_CHOICES
from ..filters import CitationFilter, CommitmentFilter, SourceFilter, StatementFilter
from ..models import Citation, Commitment, Source, Statement
from . import Column, ForeignKey, PublicTable, codes, reference, summits
from .columns import (
    CONTRADICTS,
    COUNTRY_CODE,
    SUPPORTS,
    actor_columns,
    citation_count,
    id_column,
    slug_column,
    sources_column,
    summit_column,
)

SUBJECT_TYPES = codes(SUBJECT_CHOICES)
SUMMIT_KEY, ACTOR_KEYS = summits.SUMMIT_KEY, summits.ACTOR_KEYS

COMMITMENTS = PublicTable(
    name="commitments",
    title="Commitments and refusals",
    description="One row per position a country or organisation took at a summit: a pledge, a conditional "
    "offer, a refusal or support, in one category.",
    model=Commitment,
    columns=(
        id_column("commitment"),
        summit_column(),
        slug_column("commitment"),
        *actor_columns(),
        Column(
            "category",
            "string",
            "What the commitment is about.",
            "category",
            codes=codes(Commitment.Category),
            required=True,
            trusted=True,
        ),
        Column(
            "stance",
            "string",
            "The position taken.",
            "stance",
            codes=codes(Commitment.Stance),
            required=True,
            trusted=True,
        ),
        Column(
            "condition",
            "string",
            "The condition attached, as the sources state it (e.g. after a ceasefire); empty when none is stated.",
            "condition",
        ),
        Column(
            "status",
            "string",
            "How far it has gone.",
            "status",
            codes=codes(Commitment.Status),
            required=True,
            trusted=True,
        ),
        Column(
            "description",
            "string",
            "What was committed or refused, in the editors' words.",
            "description",
            required=True,
        ),
        Column("document", "string", "The slug of the summit document that records it, if any.", "document__slug"),
        sources_column(
            "How many distinct sources support it (cite it with relation 'supports').",
            commitment=OuterRef("pk"),
            relation=SUPPORTS,
        ),
        Column(
            "contradicting_sources",
            "integer",
            "How many distinct sources contradict it.",
            citation_count(distinct_sources=True, commitment=OuterRef("pk"), relation=CONTRADICTS),
            required=True,
        ),
    ),
    natural_key=("summit", "slug"),
    foreign_keys=(SUMMIT_KEY, *ACTOR_KEYS),
    filterset=CommitmentFilter,
)

STATEMENTS = PublicTable(
    name="statements",
    title="Statements",
    description="One row per statement made at or about a summit. `text` is the editors' rendering; the verbatim "
    "words are the quotes in the citations table (subject_type 'statement').",
    model=Statement,
    columns=(
        id_column("statement"),
        summit_column(),
        slug_column("statement"),
        Column("speaker", "string", "Who said it.", "speaker__name", required=True),
        Column(
            "speaker_country", "string", f"The speaker's country, {COUNTRY_CODE}.", "speaker__country_id", trusted=True
        ),
        Column(
            "text",
            "string",
            "What was said, as the editors render it from the sources ([brackets] mark their "
            "insertions); the exact words are in the citations.",
            "text",
            required=True,
        ),
        Column(
            "kind",
            "string",
            "Whether the sources quote it directly or paraphrase it.",
            "kind",
            codes=codes(Statement.Kind),
            required=True,
            trusted=True,
        ),
        Column("said_on", "date", "When it was said; empty when no source says.", "said_on", trusted=True),
        Column("context", "string", "Where or how it was said.", "context"),
        sources_column("How many distinct sources report it.", statement=OuterRef("pk")),
    ),
    natural_key=("summit", "slug"),
    foreign_keys=(
        SUMMIT_KEY,
        ForeignKey(("speaker",), "people", ("name",)),
        ForeignKey(("speaker_country",), "country_codes", ("code",)),
    ),
    filterset=StatementFilter,
)

SOURCES = PublicTable(
    name="sources",
    title="Sources",
    description="One row per news article the records are drawn from. A detail is filled only where the article "
    "itself gives it.",
    model=Source,
    columns=(
        Column("file_name", "string", "The article's file name; its key.", "file_name", required=True, unique=True),
        Column("outlet", "string", "The outlet, only as the article names it.", "outlet"),
        Column("title", "string", "The headline, only as the article gives it.", "title"),
        Column("author", "string", "The author, only as the article names one.", "author"),
        Column("url", "string", "The article's address, only as the article gives it.", "url"),
        Column("published_on", "date", "Publication date, only as the article gives it.", "published_on", trusted=True),
        Column("language", "string", "ISO 639-1 code of the text.", "language", trusted=True),
        Column(
            "sha256", "string", "SHA-256 of the article's text (UTF-8).", "text_sha256", required=True, trusted=True
        ),
        Column(
            "citations",
            "integer",
            "How many quotes are cited from it.",
            citation_count(distinct_sources=False, source=OuterRef("pk")),
            required=True,
        ),
    ),
    primary_key=("file_name",),
    natural_key=("file_name",),
    filterset=SourceFilter,
)

_SUBJECT_TYPE = Case(
    When(commitment__isnull=False, then=Value("commitment")),
    When(statement__isnull=False, then=Value("statement")),
    default=Value("discrepancy"),
    output_field=CharField(),
)

CITATIONS = PublicTable(
    name="citations",
    title="Citations",
    description="One row per quote: the exact words in a source that support or contradict a commitment, a "
    "statement or a discrepancy, with their position (text[start:end] == quote).",
    model=Citation,
    columns=(
        id_column("citation"),
        summit_column(Coalesce("commitment__summit__slug", "statement__summit__slug", "discrepancy__summit__slug")),
        Column(
            "subject_type",
            "string",
            "What the quote backs.",
            _SUBJECT_TYPE,
            codes=SUBJECT_TYPES,
            required=True,
            trusted=True,
        ),
        Column(
            "subject_id",
            "integer",
            "The id of the commitment, statement or discrepancy.",
            Coalesce("commitment_id", "statement_id", "discrepancy_id"),
            required=True,
        ),
        Column(
            "subject_slug",
            "string",
            "Its slug within the summit.",
            Coalesce("commitment__slug", "statement__slug", "discrepancy__slug"),
            required=True,
        ),
        Column(
            "actor",
            "string",
            "For a commitment: the country or organisation.",
            Coalesce("commitment__country__name", "commitment__organisation__name"),
        ),
        Column(
            "country_code",
            "string",
            f"The commitment's country or the speaker's country, {COUNTRY_CODE}.",
            Coalesce("commitment__country_id", "statement__speaker__country_id"),
            trusted=True,
        ),
        Column(
            "stance",
            "string",
            "For a commitment: its stance.",
            "commitment__stance",
            codes=codes(Commitment.Stance),
            trusted=True,
        ),
        Column(
            "category",
            "string",
            "For a commitment: its category.",
            "commitment__category",
            codes=codes(Commitment.Category),
            trusted=True,
        ),
        Column("speaker", "string", "For a statement: who said it.", "statement__speaker__name"),
        Column("quote", "string", "The exact words in the source.", "quote", required=True),
        Column(
            "start",
            "integer",
            "Where the quote starts in the source's text (0-based, in characters).",
            "start",
            required=True,
        ),
        Column("end", "integer", "Where it ends (exclusive): text[start:end] == quote.", "end", required=True),
        Column("source_file", "string", "The source's file name.", "source__file_name", required=True),
        Column("source_outlet", "string", "The source's outlet, only as the article names it.", "source__outlet"),
        Column("source_url", "string", "The source's address, only as the article gives it.", "source__url"),
        Column(
            "relation",
            "string",
            "Whether the quote supports or contradicts what it backs.",
            "relation",
            codes=codes(Citation.Relation),
            required=True,
            trusted=True,
        ),
        Column("note", "string", "Why the quote backs the record, where that needs saying.", "note"),
        Column("commitment_id", "integer", "The commitment's id when it backs one.", "commitment_id"),
        Column("statement_id", "integer", "The statement's id when it backs one.", "statement_id"),
        Column(
            "discrepancy_id",
            "integer",
            "The discrepancy's id when it gives one source's version of it.",
            "discrepancy_id",
        ),
    ),
    foreign_keys=(
        SUMMIT_KEY,
        ForeignKey(("commitment_id",), "commitments", ("id",)),
        ForeignKey(("statement_id",), "statements", ("id",)),
        ForeignKey(("discrepancy_id",), "discrepancies", ("id",)),
        ForeignKey(("country_code",), "country_codes", ("code",)),
        ForeignKey(("source_file",), "sources", ("file_name",)),
    ),
    filterset=CitationFilter,
)

# In the order a loader needs them: a table after the tables it refers to.
TABLES: dict[str, PublicTable] = {
    table.name: table
    for table in (
        reference.COUNTRY_CODES,
        reference.ORGANISATION_CODES,
        reference.PEOPLE,
        reference.SUMMITS,
        SOURCES,
        summits.PARTICIPANTS,
        summits.REPRESENTATIVES,
        summits.DOCUMENTS,
        summits.SIGNATORIES,
        COMMITMENTS,
        STATEMENTS,
        summits.DISCREPANCIES,
        CITATIONS,
    )
}
