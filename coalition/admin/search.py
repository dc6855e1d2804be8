"""The editing interface's search box through the full-text index, as on the public site."""

from .. import search


class FullTextSearchMixin:
    """Search a changelist (and its autocomplete) with the full-text index instead of LIKE over every row.

    A LIKE '%…%' over a million descriptions reads them all, and one across relations needs DISTINCT; the index
    finds the rows at once, each at most once.
    """

    search_help_text = (
        "All the words must occur (“pledge” also finds “pledged”); “a phrase” in quotes, -word to leave one out."
    )

    def get_search_results(self, request, queryset, search_term):
        # The classes after this one still order the rows (see CuratedAdmin); only the words are read here.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        if search_term.strip():
            queryset = search.matching(queryset, search_term)
        return queryset, may_have_duplicates
