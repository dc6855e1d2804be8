"""The public CSVs as a Frictionless Data Package: each resource's fields, types and keys, and an export."""

import json
from collections.abc import Callable
from pathlib import Path

from . import exports
from .models import Citation, Commitment, Source, Statement

DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True}
NOTE = (
    "A cell that a spreadsheet would run as a formula (starting with =, +, -, @) is written with a leading "
    "apostrophe. Empty cells are missing values."
)


def _field(name: str, type_: str = "string", description: str = "", **constraints) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _choices(model_field) -> list[str]:
    return [value for value, _ in model_field.choices]


ID = {"required": True, "unique": True}
SUMMIT = _field("summit", description="The summit's slug, e.g. paris-2026.", required=True)
COUNTRY = "ISO 3166-1 alpha-2 code; empty for an organisation."

SCHEMAS = {
    "sources": {
        "fields": [
            _field("file_name", description="The article's file name in the seeds folder.", required=True, unique=True),
            _field("outlet", description="The outlet, only as the article names it."),
            _field("title", description="The headline, only as the article gives it."),
            _field("author", description="The author, only as the article names one."),
            _field("url", "string", "The article's address, only as the article gives it."),
            _field("published_on", "date", "Publication date, only as the article gives it."),
            _field("language", description="ISO 639-1 code of the text."),
            _field("sha256", description="SHA-256 of the article's text (UTF-8).", required=True),
            _field("citations_count", "integer", "How many quotes are cited from it.", required=True, minimum=0),
        ],
        "primaryKey": ["file_name"],
    },
    "commitments": {
        "fields": [
            _field("id", "integer", "The commitment's id.", **ID),
            SUMMIT,
            _field("slug", description="The commitment's identifier within its summit.", required=True),
            _field("actor", description="The country or organisation.", required=True),
            _field("actor_type", description="country or organisation.", enum=["country", "organisation"]),
            _field("country_code", description=COUNTRY),
            _field("organisation", description="The organisation's slug; empty for a country."),
            _field("category", enum=_choices(Commitment.category.field), required=True),
            _field("stance", enum=_choices(Commitment.stance.field), required=True),
            _field("condition", description="The condition attached, e.g. after a ceasefire."),
            _field("status", enum=_choices(Commitment.status.field), required=True),
            _field("description", required=True),
            _field("document", description="The slug of the summit document that records it."),
            _field("sources_count", "integer", "Distinct sources that support it.", required=True, minimum=0),
            _field("contradicting_sources_count", "integer", "Distinct sources that contradict it.", minimum=0),
        ],
        "primaryKey": ["id"],
    },
    "statements": {
        "fields": [
            _field("id", "integer", "The statement's id.", **ID),
            SUMMIT,
            _field("slug", required=True),
            _field("speaker", description="Who said it.", required=True),
            _field("speaker_country", description="The speaker's country, ISO 3166-1 alpha-2."),
            _field("quote", description="What was said, as one source renders it.", required=True),
            _field("kind", enum=_choices(Statement.kind.field), required=True),
            _field("said_on", "date"),
            _field("context", description="Where or how it was said."),
            _field("sources_count", "integer", "Distinct sources that quote it.", required=True, minimum=0),
        ],
        "primaryKey": ["id"],
    },
    "citations": {
        "fields": [
            _field("id", "integer", "The citation's id.", **ID),
            SUMMIT,
            _field("subject_type", enum=["commitment", "statement", "discrepancy"], required=True),
            _field("subject_id", "integer", "The id of the commitment, statement or discrepancy.", required=True),
            _field("subject_slug", required=True),
            _field("actor", description="For a commitment: the country or organisation."),
            _field("country_code", description="The commitment's country, or the speaker's country."),
            _field("stance", description="For a commitment: its stance."),
            _field("category", description="For a commitment: its category."),
            _field("speaker", description="For a statement: who said it."),
            _field("quote", description="The exact words in the source.", required=True),
            _field("start", "integer", "Where the quote starts in the source text (0-based).", minimum=0),
            _field("end", "integer", "Where it ends (exclusive): text[start:end] == quote.", minimum=1),
            _field("source_file", required=True),
            _field("source_outlet"),
            _field("source_url"),
            _field("relation", enum=_choices(Citation.relation.field), required=True),
            _field("note"),
            _field("commitment_id", "integer", "The commitment's id when it cites one."),
            _field("statement_id", "integer", "The statement's id when it cites one."),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["commitment_id"], "reference": {"resource": "commitments", "fields": ["id"]}},
            {"fields": ["statement_id"], "reference": {"resource": "statements", "fields": ["id"]}},
            {"fields": ["source_file"], "reference": {"resource": "sources", "fields": ["file_name"]}},
        ],
    },
}

TABLES = {
    "sources": (Source, exports.SOURCE_COLUMNS),
    "commitments": (Commitment, exports.COMMITMENT_COLUMNS),
    "statements": (Statement, exports.STATEMENT_COLUMNS),
    "citations": (Citation, exports.CITATION_COLUMNS),
}


def descriptor(*, path_for: Callable[[str], str] = lambda name: f"{name}.csv") -> dict:
    """Return the Data Package descriptor; `path_for` gives each resource's path or URL."""
    return {
        "profile": "tabular-data-package",
        "name": "coalition",
        "title": "coalition: commitments, refusals, statements and their sources at diplomatic summits",
        "description": "Every commitment and statement is linked to the exact quote in the news article that "
        "reports it (citations). " + NOTE,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name,
                "path": path_for(name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": DIALECT,
                "schema": SCHEMAS[name],
            }
            for name in TABLES
        ],
    }


def write_package(directory: Path) -> dict[str, int]:
    """Write each table's CSV and datapackage.json into `directory`; return the rows written per table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (model, columns) in TABLES.items():
        with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
            for chunk in exports.stream_csv(model.objects.all(), columns):
                out.write(chunk)
        written[name] = model.objects.count()
    (directory / "datapackage.json").write_text(json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n")
    return written
