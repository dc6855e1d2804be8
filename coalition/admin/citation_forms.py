"""The citation form: a quote found more than once in its source asks which occurrence it is."""

from django import forms
from django.utils.html import format_html

from ..quotes import context, occurrences
from .concurrency import VersionedModelForm

CONTEXT_WIDTH = 50  # characters shown on each side of an occurrence


class CitationForm(VersionedModelForm):
    """A citation's form whose `occurrence` choice places a quote the source holds several times."""

    occurrence = forms.IntegerField(
        label="occurrence",
        required=False,
        widget=forms.RadioSelect,
        help_text="Asked only when the quote occurs more than once in the source: choose the passage you mean.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        citation = self.instance
        if citation.pk is not None and citation.source_id is not None and not self.is_bound:
            if len(self._offer(citation.source, citation.quote)) > 1:
                self.initial["occurrence"] = citation.start

    def _offer(self, source, quote: str) -> list[int]:
        """Offer each place `quote` occurs in `source` as a choice, shown in its context; return the offsets."""
        positions = occurrences(source.text, quote)
        self.fields["occurrence"].widget.choices = [
            (position, self._in_context(source.text, position, len(quote))) for position in positions
        ] if len(positions) > 1 else []  # fmt: skip
        return positions

    @staticmethod
    def _in_context(text: str, start: int, length: int):
        before, quote, after = context(text, start, start + length, CONTEXT_WIDTH)
        return format_html("at character {}: {}<mark>{}</mark>{}", start, before, quote, after)

    def clean(self):
        cleaned = super().clean()
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if source is None or not quote:
            return cleaned
        positions = self._offer(source, quote)
        if len(positions) < 2:
            return cleaned
        chosen = cleaned.get("occurrence")
        unchanged = self.instance.pk is not None and not {"source", "quote"} & set(self.changed_data)
        if chosen in positions:
            # Located from here: the model keeps a start that points at its quote.
            self.instance.start = chosen
        elif not (unchanged and self.instance.start in positions):
            self.add_error(
                "occurrence",
                f"“{quote[:60]}” occurs {len(positions)} times in source “{source.file_name}”: "
                "choose which one this citation quotes.",
            )
        return cleaned
