"""Columns and expressions several public tables share: ids, summits, slugs, actors, source counts."""

from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import Citation, Commitment
from . import Column, codes

SUPPORTS, CONTRADICTS = Citation.Relation.SUPPORTS, Citation.Relation.CONTRADICTS
ACTOR_TYPES = codes([("country", "Country"), ("organisation", "Organisation")])
STANCES = codes(Commitment.Stance)
COUNTRY_CODE = "ISO 3166-1 alpha-2 code, e.g. FR (see country_codes)"
ORGANISATION_SLUG = "slug (see organisation_codes)"


def citation_count(*, distinct_sources: bool, **match) -> Coalesce:
    """Return, per outer row, how many citations (or distinct sources) match `match` (with OuterRef values)."""
    group = next(name for name, value in match.items() if isinstance(value, OuterRef))
    counted = Count("source", distinct=True) if distinct_sources else Count("pk")
    counts = Citation.objects.filter(**match).order_by().values(group).annotate(n=counted).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def id_column(what: str) -> Column:
    """Return the `id` column of a table whose rows are `what`s."""
    return Column("id", "integer", f"The {what}'s id: stable, never reused.", "pk", required=True, unique=True)


def summit_column(path="summit__slug") -> Column:
    """Return the `summit` column: the summit's slug, read through `path`."""
    return Column("summit", "string", "The summit's slug, e.g. paris-2026 (see summits).", path, required=True)


def slug_column(what: str) -> Column:
    """Return the `slug` column of a summit record."""
    return Column("slug", "string", f"The {what}'s identifier, unique within its summit.", "slug", required=True)


def sources_column(description: str, **match) -> Column:
    """Return the `sources` column: how many distinct sources cite the row as `match` says."""
    return Column("sources", "integer", description, citation_count(distinct_sources=True, **match), required=True)


def actor_columns(prefix: str = "", *, what: str = "The country or organisation") -> tuple[Column, ...]:
    """Return actor, actor_type, country_code and organisation of a row naming a country or an organisation
    through `prefix` (e.g. "participant__")."""
    country, organisation = f"{prefix}country", f"{prefix}organisation"
    actor_type = Case(
        When(**{f"{country}__isnull": False}, then=Value("country")),
        default=Value("organisation"),
        output_field=CharField(),
    )
    return (
        Column(
            "actor",
            "string",
            f"{what}: its name.",
            Coalesce(f"{country}__name", f"{organisation}__name"),
            required=True,
        ),
        Column(
            "actor_type",
            "string",
            "Whether the actor is a country or an organisation.",
            actor_type,
            codes=ACTOR_TYPES,
            required=True,
            trusted=True,
        ),
        Column(
            "country_code",
            "string",
            f"The country's {COUNTRY_CODE}; empty for an organisation.",
            f"{country}_id",
            trusted=True,
        ),
        Column(
            "organisation",
            "string",
            f"The organisation's {ORGANISATION_SLUG}; empty for a country.",
            f"{organisation}__slug",
        ),
    )
