"""The whole dataset as ready queries: one per public table (the CSVs), with the columns of its CSV in order;
the published SQLite file has a view of each."""

from collections.abc import Callable

from sqlalchemy import Select, select

from .queries import (
    actor_columns,
    citations_with_sources,
    commitments_per_country,
    distinct_sources,
    sources_with_citation_counts,
    statements_with_speakers,
)
from .tables import (
    citations,
    countries,
    discrepancies,
    documents,
    organisations,
    participant_representatives,
    participants,
    people,
    signatories,
    summits,
)


def _of_summit(query: Select, summit: str | None) -> Select:
    """Return `query` narrowed to the summit with slug `summit` (the query joins `summits`), or unchanged."""
    return query if summit is None else query.where(summits.c.slug == summit)


def country_names() -> Select:
    """Return one row per country, with the columns of country_codes.csv."""
    return select(countries.c.code, countries.c.name).order_by(countries.c.code)


def organisation_details() -> Select:
    """Return one row per organisation, with the columns of organisation_codes.csv."""
    o = organisations.c
    return select(o.id, o.slug, o.name, o.short_name, o.kind, o.description).order_by(o.slug)


def people_with_affiliations() -> Select:
    """Return one row per person, with the columns of people.csv: office, country and organisation."""
    return (
        select(
            people.c.id,
            people.c.name,
            people.c.name_variants.label("other_spellings"),
            people.c.office,
            people.c.country_id.label("country_code"),
            organisations.c.slug.label("organisation"),
        )
        .outerjoin(organisations, organisations.c.id == people.c.organisation_id)
        .order_by(people.c.name)
    )


def summits_with_sizes() -> Select:
    """Return one row per summit, with the columns of summits.csv: dates, place and reported sizes."""
    s = summits.c
    return select(
        s.id,
        s.slug,
        s.name,
        s.start_date,
        s.end_date,
        s.city,
        s.host_country_id.label("host_country"),
        s.reported_country_count,
        s.reported_leader_count,
        s.description,
    ).order_by(s.start_date, s.slug)


def participants_per_summit(*, summit: str | None = None) -> Select:
    """Return one row per participant, with the columns of participants.csv, filtered by summit slug."""
    query = (
        select(
            participants.c.id,
            summits.c.slug.label("summit"),
            *actor_columns(participants),
            participants.c.role,
            participants.c.level,
        )
        .join(summits, summits.c.id == participants.c.summit_id)
        .outerjoin(countries, countries.c.code == participants.c.country_id)
        .outerjoin(organisations, organisations.c.id == participants.c.organisation_id)
        .order_by(summits.c.start_date, summits.c.slug, "actor")
    )
    return _of_summit(query, summit)


def representatives_per_participant(*, summit: str | None = None) -> Select:
    """Return one row per participant and person representing it, with the columns of representatives.csv."""
    query = (
        select(
            participant_representatives.c.participant_id,
            summits.c.slug.label("summit"),
            people.c.name.label("person"),
        )
        .join(participants, participants.c.id == participant_representatives.c.participant_id)
        .join(summits, summits.c.id == participants.c.summit_id)
        .join(people, people.c.id == participant_representatives.c.person_id)
        .order_by(summits.c.start_date, summits.c.slug, participant_representatives.c.participant_id, people.c.name)
    )
    return _of_summit(query, summit)


def documents_per_summit(*, summit: str | None = None) -> Select:
    """Return one row per document, with the columns of documents.csv, filtered by summit slug."""
    d = documents.c
    query = (
        select(d.id, summits.c.slug.label("summit"), d.slug, d.title, d.kind, d.signed_on, d.description)
        .join(summits, summits.c.id == d.summit_id)
        .order_by(summits.c.start_date, summits.c.slug, d.slug)
    )
    return _of_summit(query, summit)


def signatories_per_document(*, summit: str | None = None) -> Select:
    """Return one row per signature, with the columns of signatories.csv, filtered by summit slug."""
    query = (
        select(
            signatories.c.id,
            summits.c.slug.label("summit"),
            signatories.c.document_id,
            documents.c.slug.label("document"),
            people.c.name.label("person"),
            signatories.c.country_id.label("country_code"),
            organisations.c.slug.label("organisation"),
            signatories.c.disputed,
        )
        .join(documents, documents.c.id == signatories.c.document_id)
        .join(summits, summits.c.id == documents.c.summit_id)
        .join(people, people.c.id == signatories.c.person_id)
        .outerjoin(organisations, organisations.c.id == signatories.c.organisation_id)
        .order_by(summits.c.start_date, summits.c.slug, documents.c.slug, people.c.name)
    )
    return _of_summit(query, summit)


def discrepancies_with_source_counts(*, summit: str | None = None) -> Select:
    """Return one row per discrepancy, with the columns of discrepancies.csv, filtered by summit slug."""
    d = discrepancies.c
    query = (
        select(
            d.id,
            summits.c.slug.label("summit"),
            d.slug,
            d.topic,
            d.description,
            distinct_sources(citations.c.discrepancy_id == d.id).label("sources"),
        )
        .join(summits, summits.c.id == d.summit_id)
        .order_by(summits.c.start_date, summits.c.slug, d.slug)
    )
    return _of_summit(query, summit)


# The public vocabulary's tables (the CSVs), in its order, and the query giving each one's columns in the CSV's
# order: the published SQLite file has a view of each, by this name.
CSV_QUERIES: dict[str, Callable[[], Select]] = {
    "country_codes": country_names,
    "organisation_codes": organisation_details,
    "people": people_with_affiliations,
    "summits": summits_with_sizes,
    "sources": sources_with_citation_counts,
    "participants": participants_per_summit,
    "representatives": representatives_per_participant,
    "documents": documents_per_summit,
    "signatories": signatories_per_document,
    "commitments": commitments_per_country,
    "statements": statements_with_speakers,
    "discrepancies": discrepancies_with_source_counts,
    "citations": citations_with_sources,
}
