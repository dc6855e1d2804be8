"""A read-only SQLAlchemy view of the coalition tables, for researchers working in pandas or SQL.

It needs neither Django nor the site's settings: the database is the one DATABASE_URL names (else the site's
db.sqlite3), or any URL or SQLite file given, such as the published coalition.sqlite::

    import pandas as pd
    from coalition.research import commitments_per_country, read_only_engine

    commitments = pd.read_sql(commitments_per_country(summit="paris-2026"), read_only_engine("coalition.sqlite"))

Every engine it builds refuses to write. The ready queries' columns bear the public vocabulary's names (the
CSVs' headers). tests/test_research.py compares `metadata` with the migrated database through Alembic, so a
model change that is not mirrored here fails the tests. Each table's `info["description"]` says what a row
is; docs/research.md is the researchers' guide.
"""

from .dataset import (
    CSV_QUERIES,
    country_names,
    discrepancies_with_source_counts,
    documents_per_summit,
    organisation_details,
    participants_per_summit,
    people_with_affiliations,
    representatives_per_participant,
    signatories_per_document,
    summits_with_sizes,
)
from .engines import read_only_engine
from .queries import (
    citations_with_sources,
    commitments_per_country,
    sources_with_citation_counts,
    stance_counts_per_country,
    statements_with_speakers,
)
from .tables import (
    STANCES,
    SUBJECTS,
    citations,
    commitments,
    countries,
    discrepancies,
    documents,
    metadata,
    organisations,
    participant_representatives,
    participants,
    people,
    signatories,
    sources,
    stance_tallies,
    statements,
    summits,
)

__all__ = [
    "CSV_QUERIES", "STANCES", "SUBJECTS", "citations", "citations_with_sources", "commitments",
    "commitments_per_country", "countries", "country_names", "discrepancies", "discrepancies_with_source_counts",
    "documents", "documents_per_summit", "metadata", "organisation_details", "organisations",
    "participant_representatives", "participants", "participants_per_summit", "people", "people_with_affiliations",
    "read_only_engine", "representatives_per_participant", "signatories", "signatories_per_document", "sources",
    "sources_with_citation_counts", "stance_counts_per_country", "stance_tallies", "statements",
    "statements_with_speakers", "summits", "summits_with_sizes",
]  # fmt: skip
