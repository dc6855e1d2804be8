"""The coalition tables as SQLAlchemy sees them, written by hand to match the columns Django's migrations create.

Never import the Django models here: tests/test_research.py compares this metadata with the migrated
database through Alembic (columns, types, nullability, keys, uniqueness), so a model change that is not
mirrored here fails the tests. The editors' `notes` columns are left out: they are not public. Indexes are
the ones queries on the published file need (one per foreign key), not copies of the site's.
"""

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Django's BigAutoField is bigint on PostgreSQL but "integer ... AUTOINCREMENT" on SQLite (a rowid),
# and a positive small integer is "smallint unsigned" there, which SQLite reads as plain INTEGER.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
SMALL_COUNT = SmallInteger().with_variant(Integer(), "sqlite")

STANCES = ("pledge", "conditional", "refusal", "support")  # Commitment.Stance, in the models' order
SUBJECTS = ("commitment", "statement", "discrepancy")  # what a citation can cite, one per row

metadata = MetaData()


def _col(name: str, type_: Any, *, null: bool = False, unique: bool = False) -> Column:
    """Return a column that, like a Django field, is NOT NULL unless `null` is set."""
    return Column(name, type_, nullable=null, unique=unique)


def _id() -> Column:
    """Return the BigAutoField primary key of every model's table but coalition_country."""
    return Column("id", BIG_ID, primary_key=True)


def _fk(name: str, target: str, *, null: bool = False) -> Column:
    """Return a foreign key as Django creates it (deferred until commit, typed like its target), indexed."""
    type_ = String(2) if target == "coalition_country.code" else BigInteger()
    return Column(name, type_, ForeignKey(target, deferrable=True, initially="DEFERRED"), nullable=null, index=True)


def _source_counts() -> list[Column]:
    """Return the stored counts of distinct sources that support and that contradict a record."""
    return [_col("source_count", Integer), _col("contradicting_count", Integer)]


def _table(name: str, description: str, *items: Any) -> Table:
    # A description in `info`, not `comment`: the database has no comments, and Alembic compares them.
    return Table(name, metadata, *items, info={"description": description})


countries = _table(
    "coalition_country",
    "Every ISO 3166-1 country; `code` (e.g. GB) is the key other tables use.",
    Column("code", String(2), primary_key=True),
    _col("name", String(100), unique=True),
)
organisations = _table(
    "coalition_organisation",
    "International organisations, alliances and informal formats, e.g. the EU or NATO.",
    _id(),
    _col("name", String(200), unique=True),
    _col("slug", String(100), unique=True),
    _col("short_name", String(50)),
    _col("kind", String(20)),
    _col("description", Text),
)
people = _table(
    "coalition_person",
    "People who represented a country or organisation, or whom a source quotes.",
    _id(),
    _col("name", String(200), unique=True),
    _col("name_variants", String(500)),
    _col("office", String(300)),
    _fk("country_id", "coalition_country.code", null=True),
    _fk("organisation_id", "coalition_organisation.id", null=True),
)
summits = _table(
    "coalition_summit",
    "Diplomatic meetings, with the sizes the sources report (NULL where no source says).",
    _id(),
    _col("name", String(200)),
    _col("slug", String(100), unique=True),
    _col("start_date", Date),
    _col("end_date", Date),
    _col("city", String(100)),
    _col("reported_country_count", SMALL_COUNT, null=True),
    _col("reported_leader_count", SMALL_COUNT, null=True),
    _col("description", Text),
    _col("participant_count", Integer),
    _col("commitment_count", Integer),
    _col("statement_count", Integer),
    _fk("host_country_id", "coalition_country.code"),
)
participants = _table(
    "coalition_participant",
    "A country or an organisation (exactly one is set) taking part in a summit.",
    _id(),
    _col("role", String(20)),
    _col("level", String(20)),
    _fk("country_id", "coalition_country.code", null=True),
    _fk("organisation_id", "coalition_organisation.id", null=True),
    _fk("summit_id", "coalition_summit.id"),
    UniqueConstraint("summit_id", "country_id", name="participant_country_once_per_summit"),
    UniqueConstraint("summit_id", "organisation_id", name="participant_organisation_once_per_summit"),
)
participant_representatives = _table(
    "coalition_participant_representatives",
    "Who represented each participant: one row per participant and person.",
    # Plain integer even on PostgreSQL: migrations build Django's hidden many-to-many table with
    # AutoField, not the app's default BigAutoField (the ORM thinks bigint; the database has int).
    Column("id", Integer, primary_key=True),
    _fk("participant_id", "coalition_participant.id"),
    _fk("person_id", "coalition_person.id"),
    # Unnamed: Django names it differently on each backend (truncated to 63 characters on PostgreSQL).
    UniqueConstraint("participant_id", "person_id"),
)
documents = _table(
    "coalition_document",
    "Texts a summit produced, e.g. the Paris Declaration.",
    _id(),
    _col("slug", String(100)),
    _col("title", String(300)),
    _col("kind", String(30)),
    _col("signed_on", Date, null=True),
    _col("description", Text),
    _fk("summit_id", "coalition_summit.id"),
    UniqueConstraint("summit_id", "slug", name="document_slug_unique_per_summit"),
)
signatories = _table(
    "coalition_signatory",
    "Who signed a document, for which country or organisation; `disputed` when sources disagree.",
    _id(),
    _col("disputed", Boolean),
    _fk("country_id", "coalition_country.code", null=True),
    _fk("document_id", "coalition_document.id"),
    _fk("organisation_id", "coalition_organisation.id", null=True),
    _fk("person_id", "coalition_person.id"),
    UniqueConstraint("document_id", "person_id", name="signatory_once_per_document"),
)
sources = _table(
    "coalition_source",
    "News articles with their verbatim text; empty strings mean the article does not say.",
    _id(),
    _col("file_name", String(200), unique=True),
    _col("outlet", String(200)),
    _col("title", String(500)),
    _col("author", String(200)),
    _col("url", String(500)),
    _col("published_on", Date, null=True),
    _col("language", String(10)),
    _col("text", Text),
    _col("text_sha256", String(64)),
    _col("citation_count", Integer),
)
statements = _table(
    "coalition_statement",
    "Things people said at or about a summit, as a direct quote or a paraphrase.",
    _id(),
    _col("slug", String(100)),
    _col("said_on", Date, null=True),
    _col("kind", String(20)),
    _col("text", Text),
    _col("context", String(300)),
    *_source_counts(),
    _fk("speaker_id", "coalition_person.id"),
    _fk("summit_id", "coalition_summit.id"),
    UniqueConstraint("summit_id", "slug", name="statement_slug_unique_per_summit"),
)
commitments = _table(
    "coalition_commitment",
    "Pledges, conditions and refusals by a country or an organisation (exactly one is set).",
    _id(),
    _col("slug", String(100)),
    _col("category", String(30)),
    _col("stance", String(20)),
    _col("condition", String(300)),
    _col("status", String(20)),
    _col("description", Text),
    *_source_counts(),
    _fk("country_id", "coalition_country.code", null=True),
    _fk("document_id", "coalition_document.id", null=True),
    _fk("organisation_id", "coalition_organisation.id", null=True),
    _fk("summit_id", "coalition_summit.id"),
    UniqueConstraint("summit_id", "slug", name="commitment_slug_unique_per_summit"),
)
discrepancies = _table(
    "coalition_discrepancy",
    "Points on which the sources disagree; each version is a citation.",
    _id(),
    _col("slug", String(100)),
    _col("topic", String(300)),
    _col("description", Text),
    *_source_counts(),
    _fk("summit_id", "coalition_summit.id"),
    UniqueConstraint("summit_id", "slug", name="discrepancy_slug_unique_per_summit"),
)
citations = _table(
    "coalition_citation",
    "The exact quote in a source behind one commitment, statement or discrepancy; "
    "`start`/`end` are character offsets into the source text.",
    _id(),
    _col("quote", Text),
    _col("start", Integer),
    _col("end", Integer),
    _col("relation", String(20)),
    _col("note", String(500)),
    _fk("commitment_id", "coalition_commitment.id", null=True),
    _fk("discrepancy_id", "coalition_discrepancy.id", null=True),
    _fk("source_id", "coalition_source.id"),
    _fk("statement_id", "coalition_statement.id", null=True),
    *(
        UniqueConstraint(f"{subject}_id", "source_id", "start", name=f"citation_unique_per_{subject}_source_start")
        for subject in SUBJECTS
    ),
)
stance_tallies = _table(
    "coalition_stancetally",
    "How many commitments of each stance and category each country or organisation made at each summit "
    "(kept by the database; one row per combination that occurs).",
    _id(),
    _col("category", String(30)),
    _col("stance", String(20)),
    _col("commitment_count", Integer),
    _fk("country_id", "coalition_country.code", null=True),
    _fk("organisation_id", "coalition_organisation.id", null=True),
    _fk("summit_id", "coalition_summit.id"),
)
