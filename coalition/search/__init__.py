"""Full-text search over commitments, statements, quotes and sources: PostgreSQL text search or SQLite FTS5.

Both databases stem English words ("pledge" finds "pledged", "refuse" finds "refusal") and take the same query
language, read from what a person typed without ever failing on it: words (all must occur), "a phrase",
-word to leave out, and `or` between alternatives. Everything else is dropped before the database sees it.

PostgreSQL searches a stored generated column `to_tsvector('english', …)` of each table's text columns with a
GIN index on it (stored, not an index on the expression: a row is then checked without parsing its text again,
and the column's statistics tell the planner how rare a word is, so a rare word is looked up in the index and a
common one read along the primary key); SQLite an external-content FTS5 table (`porter unicode61`) beside each
table, kept in step by triggers on insert, update and delete. Both are installed by `schema.install()` after
every migrate (see coalition/signals.py), named by their definition so that a changed definition replaces them;
the triggers are not the stored counts' (coalition/aggregates), so a bulk load, which suspends those, keeps the
search tables right row by row.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"  # PostgreSQL's text search configuration; SQLite's porter stemmer is English too
TOKENIZER = "porter unicode61"
MAX_QUERY_CHARACTERS = 1000  # a longer query is cut: no one types more, and it bounds the work
MAX_TERMS = 16
# Marks around matched words while the text is still raw; the text is escaped before they become <mark>.
START, STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class Document:
    """The text columns of one table that search reads, in order; `long` ones are shown as snippets."""

    table: str
    columns: tuple[str, ...]
    long: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self!r}{CONFIG}{TOKENIZER}".encode()).hexdigest()[:8]

    @property
    def fts_table(self) -> str:
        """SQLite's FTS5 table of this document."""
        return f"{self.table}_fts"

    @property
    def vector_column(self) -> str:
        """PostgreSQL's generated tsvector column of this document."""
        return f"fts_{self.digest}"

    def vector_sql(self) -> str:
        """Return PostgreSQL's tsvector expression, which the generated column stores."""
        text = " || ' ' || ".join(f"COALESCE({column}, '')" for column in self.columns)
        return f"to_tsvector('{CONFIG}'::regconfig, {text})"


# The stance and category are searched with a commitment's words: "refuse troops" finds a refusal in the troops
# category whatever its description says ("refuse" and "refusal" stem alike).
DOCUMENTS = {
    "Commitment": Document("coalition_commitment", ("description", "condition", "stance", "category")),
    "Statement": Document("coalition_statement", ("text", "context")),
    "Citation": Document("coalition_citation", ("quote", "note")),
    "Source": Document("coalition_source", ("title", "outlet", "author", "file_name", "text"), long=("text",)),
}


# --- the query language ------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")  # letters and digits: "_" separates words in both databases
TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Query:
    """A parsed query: groups that must all match (each any of its phrases), and phrases that must not."""

    required: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    def websearch(self) -> str:
        """Return the query for PostgreSQL's websearch_to_tsquery, built from plain words only."""

        def phrase(words):
            return f'"{" ".join(words)}"'

        groups = [" or ".join(phrase(p) for p in group) for group in self.required]
        return " ".join([*groups, *(f"-{phrase(p)}" for p in self.excluded)])

    def fts5(self) -> str:
        """Return the query for FTS5's MATCH: every word in double quotes, so none is read as an operator."""

        def phrase(words):
            return '"' + " ".join(words) + '"'

        groups = ["(" + " OR ".join(phrase(p) for p in group) + ")" for group in self.required]
        return " AND ".join(groups) + "".join(f" NOT {phrase(p)}" for p in self.excluded)


def parse(text: str) -> Query | None:
    """Return the query a person typed, or None when it holds no word to look for."""
    text = text.replace("\x00", " ")[:MAX_QUERY_CHARACTERS]
    required: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    alternative = False
    for match in TERM.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and raw.lower() == "or" and not negated:
            alternative = bool(required)
            continue
        words = tuple(WORD.findall(raw.lower()))
        if not words or len(required) + len(excluded) >= MAX_TERMS:
            alternative = False
            continue
        if negated:
            excluded.append(words)
        elif alternative:
            required[-1].append(words)
        else:
            required.append([words])
        alternative = False
    if not required:
        return None  # only exclusions, or nothing: match nothing rather than everything
    return Query(tuple(tuple(group) for group in required), tuple(excluded))


# --- matching and highlighting -----------------------------------------------------------------------------


def _document(model) -> Document:
    return DOCUMENTS[model._meta.object_name]


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Return `queryset` narrowed to the rows whose text matches what was typed (none if it holds no word)."""
    query = parse(text)
    document = _document(queryset.model)
    if query is None:
        # A condition that is never true rather than .none(): the CSVs compile their queryset to SQL.
        return queryset.filter(RawSQL("1 = 0", [], output_field=BooleanField()))
    if connections[queryset.db].vendor == "postgresql":
        # On the query's own table (a queryset's base table keeps its name as alias), so the planner weighs it.
        column = f"{document.table}.{document.vector_column}"
        condition = f"{column} @@ websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
        return queryset.filter(RawSQL(condition, [query.websearch()], output_field=BooleanField()))
    fts = document.fts_table
    return queryset.filter(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query.fts5()]))


def marked(text: str) -> SafeString:
    """Return `text` escaped for HTML, with the database's match markers turned into <mark> elements."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (everything but the two markers was escaped just above)


def highlights(model, text: str, ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> dict[int, dict[str, SafeString]]:
    """Return, for each of the rows `ids`, every text column with the matched words marked (long ones cut)."""
    ids = list(ids)
    query = parse(text)
    if query is None or not ids:
        return {}
    document = _document(model)
    connection = connections[using]
    placeholders = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        shown = []
        for column in document.columns:
            options = (
                f"StartSel={START}, StopSel={STOP}, MaxFragments=3, MaxWords=30, MinWords=12"
                if column in document.long
                else f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
            )
            shown.append(f"ts_headline('{CONFIG}'::regconfig, COALESCE({column}, ''), q, '{options}')")
        sql = (
            f"SELECT id, {', '.join(shown)} FROM {document.table}, "
            f"websearch_to_tsquery('{CONFIG}'::regconfig, %s) AS q WHERE id IN ({placeholders})"
        )
        params = [query.websearch(), *ids]
    else:
        fts = document.fts_table
        shown = [
            f"snippet({fts}, {n}, '{START}', '{STOP}', '…', 40)"
            if column in document.long
            else f"highlight({fts}, {n}, '{START}', '{STOP}')"
            for n, column in enumerate(document.columns)
        ]
        sql = f"SELECT rowid, {', '.join(shown)} FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({placeholders})"
        params = [query.fts5(), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: {column: marked(value or "") for column, value in zip(document.columns, row[1:], strict=True)}
            for row in cursor.fetchall()
        }
