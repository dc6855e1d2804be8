"""What the page queries share: stances in order, and citations and commitments as pages show them."""

from django.db.models import QuerySet

from ..models import (
    Citation,
    Commitment,
)

STANCES = [value for value, _ in Commitment.Stance.choices]

# Citations as the pages show them: the source's details but not its (long) text.
CITATIONS_WITH_SOURCES = Citation.objects.select_related("source").defer("source__text").order_by("source", "start")


def commitments_with_counts() -> QuerySet[Commitment]:
    """Return commitments with summit, actor and document loaded (their source counts are stored columns)."""
    return Commitment.objects.select_related("summit", "country", "organisation", "document")
