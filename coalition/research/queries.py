"""Ready queries for researchers: each returns a SQLAlchemy select() whose columns bear the public vocabulary's
names (the CSVs' headers), so a frame read here lines up with a downloaded CSV."""

from sqlalchemy import Select, Table, case, distinct, func, select

from .tables import (
    STANCES,
    SUBJECTS,
    citations,
    commitments,
    countries,
    discrepancies,
    documents,
    organisations,
    people,
    sources,
    statements,
    summits,
)


def distinct_sources(*match) -> Select:
    """Return a scalar subquery: how many distinct sources cite the outer row under the conditions `match`."""
    return select(func.count(distinct(citations.c.source_id))).where(*match).scalar_subquery()


def actor_columns(table: Table) -> tuple:
    """Return actor, actor_type, country_code and organisation of `table`'s rows, each naming a country or an
    organisation (joined as `countries` and `organisations`)."""
    return (
        func.coalesce(countries.c.name, organisations.c.name).label("actor"),
        case((table.c.country_id.is_not(None), "country"), else_="organisation").label("actor_type"),
        table.c.country_id.label("country_code"),
        organisations.c.slug.label("organisation"),
    )


def commitments_per_country(*, summit: str | None = None, country: str | None = None) -> Select:
    """Return one row per commitment, with the columns of commitments.csv, filtered by summit slug or country code."""
    query = (
        select(
            commitments.c.id,
            summits.c.slug.label("summit"),
            commitments.c.slug,
            *actor_columns(commitments),
            commitments.c.category,
            commitments.c.stance,
            commitments.c.condition,
            commitments.c.status,
            commitments.c.description,
            documents.c.slug.label("document"),
            distinct_sources(citations.c.commitment_id == commitments.c.id, citations.c.relation == "supports").label(
                "sources"
            ),
            distinct_sources(
                citations.c.commitment_id == commitments.c.id, citations.c.relation == "contradicts"
            ).label("contradicting_sources"),
        )
        .join(summits, summits.c.id == commitments.c.summit_id)
        .outerjoin(countries, countries.c.code == commitments.c.country_id)
        .outerjoin(organisations, organisations.c.id == commitments.c.organisation_id)
        .outerjoin(documents, documents.c.id == commitments.c.document_id)
        .order_by(summits.c.start_date, summits.c.slug, "actor", commitments.c.category, commitments.c.slug)
    )
    if summit is not None:
        query = query.where(summits.c.slug == summit)
    if country is not None:
        query = query.where(commitments.c.country_id == country)
    return query


def stance_counts_per_country(*, summit: str | None = None) -> Select:
    """Return one row per country that took a position: how many commitments of each stance, and in all."""
    query = (
        select(
            countries.c.code.label("country_code"),
            countries.c.name.label("actor"),
            # COUNT ignores the NULL that CASE gives for other stances; portable, unlike FILTER (…).
            *(func.count(case((commitments.c.stance == stance, 1))).label(stance) for stance in STANCES),
            func.count(commitments.c.id).label("total"),
        )
        .join(countries, countries.c.code == commitments.c.country_id)
        .group_by(countries.c.code, countries.c.name)
        .order_by(countries.c.name)
    )
    if summit is not None:
        query = query.join(summits, summits.c.id == commitments.c.summit_id).where(summits.c.slug == summit)
    return query


def statements_with_speakers(*, summit: str | None = None) -> Select:
    """Return one row per statement, with the columns of statements.csv, filtered by summit slug."""
    query = (
        select(
            statements.c.id,
            summits.c.slug.label("summit"),
            statements.c.slug,
            people.c.name.label("speaker"),
            people.c.country_id.label("speaker_country"),
            statements.c.text,
            statements.c.kind,
            statements.c.said_on,
            statements.c.context,
            distinct_sources(citations.c.statement_id == statements.c.id).label("sources"),
        )
        .join(summits, summits.c.id == statements.c.summit_id)
        .join(people, people.c.id == statements.c.speaker_id)
        .order_by(summits.c.start_date, summits.c.slug, people.c.name, statements.c.slug)
    )
    if summit is not None:
        query = query.where(summits.c.slug == summit)
    return query


def sources_with_citation_counts() -> Select:
    """Return one row per source (without its text), with the columns of sources.csv."""
    cited = select(func.count()).where(citations.c.source_id == sources.c.id).scalar_subquery()
    return select(
        sources.c.file_name,
        sources.c.outlet,
        sources.c.title,
        sources.c.author,
        sources.c.url,
        sources.c.published_on,
        sources.c.language,
        sources.c.text_sha256.label("sha256"),
        cited.label("citations"),
    ).order_by(sources.c.file_name)


def citations_with_sources(*, summit: str | None = None, subject_type: str | None = None) -> Select:
    """Return one row per citation, with the columns of citations.csv: what it backs, the quote and its offsets,
    and the source's details; filtered by summit slug or subject type."""
    if subject_type is not None and subject_type not in SUBJECTS:
        raise ValueError(f"subject_type is one of {', '.join(SUBJECTS)}, not {subject_type!r}.")
    kind = case(
        (citations.c.commitment_id.is_not(None), "commitment"),
        (citations.c.statement_id.is_not(None), "statement"),
        else_="discrepancy",
    )
    summit_id = func.coalesce(commitments.c.summit_id, statements.c.summit_id, discrepancies.c.summit_id)
    query = (
        select(
            citations.c.id,
            summits.c.slug.label("summit"),
            kind.label("subject_type"),
            func.coalesce(citations.c.commitment_id, citations.c.statement_id, citations.c.discrepancy_id).label(
                "subject_id"
            ),
            func.coalesce(commitments.c.slug, statements.c.slug, discrepancies.c.slug).label("subject_slug"),
            func.coalesce(countries.c.name, organisations.c.name).label("actor"),
            func.coalesce(commitments.c.country_id, people.c.country_id).label("country_code"),
            commitments.c.stance,
            commitments.c.category,
            people.c.name.label("speaker"),
            citations.c.quote,
            citations.c.start,
            citations.c.end,
            sources.c.file_name.label("source_file"),
            sources.c.outlet.label("source_outlet"),
            sources.c.url.label("source_url"),
            citations.c.relation,
            citations.c.note,
            citations.c.commitment_id,
            citations.c.statement_id,
            citations.c.discrepancy_id,
        )
        .join(sources, sources.c.id == citations.c.source_id)
        .outerjoin(commitments, commitments.c.id == citations.c.commitment_id)
        .outerjoin(countries, countries.c.code == commitments.c.country_id)
        .outerjoin(organisations, organisations.c.id == commitments.c.organisation_id)
        .outerjoin(statements, statements.c.id == citations.c.statement_id)
        .outerjoin(people, people.c.id == statements.c.speaker_id)
        .outerjoin(discrepancies, discrepancies.c.id == citations.c.discrepancy_id)
        .join(summits, summits.c.id == summit_id)
        .order_by(sources.c.file_name, citations.c.start, citations.c.id)
    )
    if summit is not None:
        query = query.where(summits.c.slug == summit)
    if subject_type is not None:
        query = query.where(kind == subject_type)
    return query
