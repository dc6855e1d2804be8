"""The linkers' aids on existing admin pages: suggested passages on a record's page, coverage on a source's."""

from django.contrib import admin
from django.db.models import Prefetch
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from ..models import Citation
from ..quotes import context
from ..selectors.coverage import cited_share, source_coverage, uncited_sentences
from ..selectors.suggestions import quote_suggestions

SHARE_LABEL = "share of the text’s characters inside at least one citation’s quote"


def reading_url(source_id: int, start: int, end: int, record=None) -> str:
    """Return the address of the source's reading view with the passage selected (and the record chosen)."""
    query = {f"{record._meta.model_name}": record.pk} if record is not None else {}
    query |= {"start": start, "end": end}
    return f"{reverse('admin:coalition_source_changelist')}{source_id}/read/?{urlencode(query)}"


def _passage_html(text: str, start: int, end: int) -> str:
    before, passage, after = context(text, start, end, 120)
    return format_html('<div class="quote-context">{}<mark>{}</mark>{}</div>', before, passage, after)


class SuggestionsMixin:
    """A record's change page: a read-only panel of the passages most likely to report it, each a click from
    being cited."""

    @admin.display(description="suggested passages")
    def suggested_passages(self, obj):
        if obj is None or obj.pk is None:
            return "Save the record first: passages are suggested for its actor and words."
        suggestions = quote_suggestions(record=obj, limit=10)
        if not suggestions:
            return "No source names its actor or shares its words."
        cited = list(obj.citations.values_list("source_id", "start", "end"))
        items = []
        for passage in suggestions:
            already = any(
                source == passage.source.pk and start < passage.end and passage.start < end
                for source, start, end in cited
            )
            action = (
                format_html("<strong>{}</strong>", "already cited")
                if already
                else format_html(
                    '<a href="{}">Cite this passage</a>',
                    reading_url(passage.source.pk, passage.start, passage.end, obj),
                )
            )
            items.append(
                (
                    passage.source.file_name,
                    f"{passage.score:.1f}",
                    passage.why,
                    _passage_html(passage.source.text, passage.start, passage.end),
                    action,
                )
            )
        rows = format_html_join("", "<li><strong>{}</strong> — score {}: {}{}{}</li>", items)
        return format_html('<ol class="suggested-passages">{}</ol>', rows)


class CoverageMixin:
    """A source's cited share on its page and in the list, and its worklist of uncited sentences naming a
    participant."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match.url_name.endswith("changelist"):
            # The shown page's citations in one query, and the text's length without reading the text.
            spans = Citation.objects.only("source_id", "start", "end")
            queryset = queryset.annotate(text_length=Length("text")).prefetch_related(
                Prefetch("citations", queryset=spans, to_attr="spans")
            )
        return queryset

    @admin.display(description="cited share")
    def coverage_column(self, obj):
        return f"{cited_share(obj.text_length, [(c.start, c.end) for c in obj.spans]):.0%}"

    @admin.display(description="cited share")
    def coverage(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return f"{source_coverage(source=obj):.0%} — the {SHARE_LABEL}"

    @admin.display(description="uncited sentences naming a participant")
    def worklist(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        sentences = uncited_sentences(source=obj)
        if not sentences:
            return "None: every sentence naming a participant is cited."
        items = format_html_join(
            "",
            '<li>{} <em>(names “{}”: {})</em> <a href="{}">Cite this sentence</a></li>',
            ((s.text, s.named, s.participant, reading_url(obj.pk, s.start, s.end)) for s in sentences),
        )
        return format_html('<ol class="worklist">{}</ol>', items)
