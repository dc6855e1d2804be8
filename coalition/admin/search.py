"""The editing interface's search box through the full-text index, as on the public site."""

from django.db.models import Q

from .. import search


class FullTextSearchMixin:
    """Search a changelist (and its autocomplete) with the full-text index instead of LIKE over every row.

    A LIKE '%…%' over a million descriptions reads them all, and one across relations needs DISTINCT; the index
    finds the rows at once, each at most once. `search_keys` adds what the text does not hold but people type:
    the record's own slug (the whole term, any case) and the names of related rows (containing the term), each
    looked up in its own small table first, so no join and no DISTINCT either.
    """

    search_keys: list[str] = []

    search_help_text = (
        "All the words must occur (“pledge” also finds “pledged”); “a phrase” in quotes, -word to leave one out. "
        "A slug, or a name of who made it, finds the record too."
    )

    def get_search_results(self, request, queryset, search_term):
        # The classes after this one still order the rows (see CuratedAdmin); only the words are read here.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        term = search_term.strip()
        if term:
            # One query, its conditions ORed (the text's names the table itself, so not in a subquery).
            queryset = search.matching(queryset, term) | queryset.filter(self.key_matches(term))
        return queryset, may_have_duplicates

    def key_matches(self, term: str) -> Q:
        """Return the condition that one of `search_keys` matches `term` (never true when there are none)."""
        condition = Q(pk__in=[])
        for key in self.search_keys:
            relation, _, column = key.partition("__")
            if not column:
                condition |= Q(**{f"{key}__iexact": term})
                continue
            related = self.model._meta.get_field(relation).related_model
            condition |= Q(**{f"{relation}__in": related.objects.filter(**{f"{column}__icontains": term}).values("pk")})
        return condition
