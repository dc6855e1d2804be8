"""The public tables, column by column: the one place their names, types and meanings are written."""

from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..filters import CitationFilter, CommitmentFilter, StatementFilter
from ..models import Citation, Commitment, Source, Statement
from . import Column, ForeignKey, PublicTable, codes

SUPPORTS, CONTRADICTS = Citation.Relation.SUPPORTS, Citation.Relation.CONTRADICTS
SUBJECT_TYPES = codes([("commitment", "Commitment"), ("statement", "Statement"), ("discrepancy", "Discrepancy")])
ACTOR_TYPES = codes([("country", "Country"), ("organisation", "Organisation")])


def citation_count(*, distinct_sources: bool, **match) -> Coalesce:
    """Return, per outer row, how many citations (or distinct sources) match `match` (with OuterRef values)."""
    group = next(name for name, value in match.items() if isinstance(value, OuterRef))
    counted = Count("source", distinct=True) if distinct_sources else Count("pk")
    counts = Citation.objects.filter(**match).order_by().values(group).annotate(n=counted).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _id(what: str) -> Column:
    return Column("id", "integer", f"The {what}'s id: stable, never reused.", "pk", required=True, unique=True)


def _summit(path: str = "summit__slug") -> Column:
    return Column("summit", "string", "The summit's slug, e.g. paris-2026.", path, required=True)


def _slug(what: str) -> Column:
    return Column("slug", "string", f"The {what}'s identifier, unique within its summit.", "slug", required=True)


def _sources(description: str, **match) -> Column:
    return Column("sources", "integer", description, citation_count(distinct_sources=True, **match), required=True)


COUNTRY_CODE = "ISO 3166-1 alpha-2 code, e.g. FR"

COMMITMENTS = PublicTable(
    name="commitments",
    title="Commitments and refusals",
    description="One row per position a country or organisation took at a summit: a pledge, a conditional "
    "offer, a refusal or support, in one category.",
    model=Commitment,
    columns=(
        _id("commitment"),
        _summit(),
        _slug("commitment"),
        Column("actor", "string", "The country's or organisation's name.",
               Coalesce("country__name", "organisation__name"), required=True),
        Column("actor_type", "string", "Whether the actor is a country or an organisation.",
               Case(When(country__isnull=False, then=Value("country")), default=Value("organisation"),
                    output_field=CharField()),
               codes=ACTOR_TYPES, required=True, trusted=True),
        Column("country_code", "string", f"{COUNTRY_CODE}; empty for an organisation.", "country_id", trusted=True),
        Column("organisation", "string", "The organisation's slug; empty for a country.", "organisation__slug"),
        Column("category", "string", "What the commitment is about.", "category", codes=codes(Commitment.Category),
               required=True, trusted=True),
        Column("stance", "string", "The position taken.", "stance", codes=codes(Commitment.Stance), required=True,
               trusted=True),
        Column("condition", "string", "The condition attached, as the sources state it (e.g. after a ceasefire); "
               "empty when none is stated.", "condition"),
        Column("status", "string", "How far it has gone.", "status", codes=codes(Commitment.Status), required=True,
               trusted=True),
        Column("description", "string", "What was committed or refused, in the editors' words.", "description",
               required=True),
        Column("document", "string", "The slug of the summit document that records it, if any.", "document__slug"),
        _sources("How many distinct sources support it (cite it with relation 'supports').",
                 commitment=OuterRef("pk"), relation=SUPPORTS),
        Column("contradicting_sources", "integer", "How many distinct sources contradict it.",
               citation_count(distinct_sources=True, commitment=OuterRef("pk"), relation=CONTRADICTS), required=True),
    ),
    natural_key=("summit", "slug"),
    filterset=CommitmentFilter,
)

STATEMENTS = PublicTable(
    name="statements",
    title="Statements",
    description="One row per statement made at or about a summit. `text` is the editors' rendering; the verbatim "
    "words are the quotes in the citations table (subject_type 'statement').",
    model=Statement,
    columns=(
        _id("statement"),
        _summit(),
        _slug("statement"),
        Column("speaker", "string", "Who said it.", "speaker__name", required=True),
        Column("speaker_country", "string", f"The speaker's country, {COUNTRY_CODE}.", "speaker__country_id",
               trusted=True),
        Column("text", "string", "What was said, as the editors render it from the sources ([brackets] mark their "
               "insertions); the exact words are in the citations.", "text", required=True),
        Column("kind", "string", "Whether the sources quote it directly or paraphrase it.", "kind",
               codes=codes(Statement.Kind), required=True, trusted=True),
        Column("said_on", "date", "When it was said; empty when no source says.", "said_on", trusted=True),
        Column("context", "string", "Where or how it was said.", "context"),
        _sources("How many distinct sources report it.", statement=OuterRef("pk")),
    ),
    natural_key=("summit", "slug"),
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
        Column("published_on", "date", "Publication date, only as the article gives it.", "published_on",
               trusted=True),
        Column("language", "string", "ISO 639-1 code of the text.", "language", trusted=True),
        Column("sha256", "string", "SHA-256 of the article's text (UTF-8).", "text_sha256", required=True,
               trusted=True),
        Column("citations", "integer", "How many quotes are cited from it.",
               citation_count(distinct_sources=False, source=OuterRef("pk")), required=True),
    ),
    primary_key=("file_name",),
    natural_key=("file_name",),
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
        _id("citation"),
        _summit(Coalesce("commitment__summit__slug", "statement__summit__slug", "discrepancy__summit__slug")),
        Column("subject_type", "string", "What the quote backs.", _SUBJECT_TYPE, codes=SUBJECT_TYPES, required=True,
               trusted=True),
        Column("subject_id", "integer", "The id of the commitment, statement or discrepancy.",
               Coalesce("commitment_id", "statement_id", "discrepancy_id"), required=True),
        Column("subject_slug", "string", "Its slug within the summit.",
               Coalesce("commitment__slug", "statement__slug", "discrepancy__slug"), required=True),
        Column("actor", "string", "For a commitment: the country or organisation.",
               Coalesce("commitment__country__name", "commitment__organisation__name")),
        Column("country_code", "string", f"The commitment's country or the speaker's country, {COUNTRY_CODE}.",
               Coalesce("commitment__country_id", "statement__speaker__country_id"), trusted=True),
        Column("stance", "string", "For a commitment: its stance.", "commitment__stance",
               codes=codes(Commitment.Stance), trusted=True),
        Column("category", "string", "For a commitment: its category.", "commitment__category",
               codes=codes(Commitment.Category), trusted=True),
        Column("speaker", "string", "For a statement: who said it.", "statement__speaker__name"),
        Column("quote", "string", "The exact words in the source.", "quote", required=True),
        Column("start", "integer", "Where the quote starts in the source's text (0-based, in characters).", "start",
               required=True),
        Column("end", "integer", "Where it ends (exclusive): text[start:end] == quote.", "end", required=True),
        Column("source_file", "string", "The source's file name.", "source__file_name", required=True),
        Column("source_outlet", "string", "The source's outlet, only as the article names it.", "source__outlet"),
        Column("source_url", "string", "The source's address, only as the article gives it.", "source__url"),
        Column("relation", "string", "Whether the quote supports or contradicts what it backs.", "relation",
               codes=codes(Citation.Relation), required=True, trusted=True),
        Column("note", "string", "Why the quote backs the record, where that needs saying.", "note"),
        Column("commitment_id", "integer", "The commitment's id when it backs one.", "commitment_id"),
        Column("statement_id", "integer", "The statement's id when it backs one.", "statement_id"),
    ),
    foreign_keys=(
        ForeignKey(("commitment_id",), "commitments", ("id",)),
        ForeignKey(("statement_id",), "statements", ("id",)),
        ForeignKey(("source_file",), "sources", ("file_name",)),
    ),
    filterset=CitationFilter,
)

# In the order a loader needs them: a table after the tables it refers to.
TABLES: dict[str, PublicTable] = {table.name: table for table in (SOURCES, COMMITMENTS, STATEMENTS, CITATIONS)}
