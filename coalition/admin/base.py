"""What every coalition model admin shares."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from ..quotes import split_by_spans


class CuratedAdmin(SimpleHistoryAdmin):
    """A model admin with history (who changed what, when, with revert) and a save bar on top."""

    save_on_top = True
    # A URL typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = 50
    show_full_result_count = False


def quote_in_context(citation, width: int = 160) -> str:
    """Return HTML of the source text around a citation's quote, the quote highlighted."""
    if citation is None or citation.pk is None or not citation.source_id:
        return "—"
    before, quote, after = citation.in_context(width)
    return format_html('<div class="quote-context">{}<mark>{}</mark>{}</div>', before, quote, after)


def highlighted_text(text: str, spans: list[tuple[int, int]]) -> str:
    """Return HTML of a whole text with the given spans highlighted, line breaks kept."""
    body = format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", piece) if inside else piece,)
            for piece, inside in split_by_spans(text, spans)
        ),
    )
    return format_html('<div style="white-space: pre-wrap; max-width: 60em">{}</div>', body)


def shorten(text: str, length: int = 80) -> str:
    """Return `text` cut to `length` characters with an ellipsis when longer."""
    return text if len(text) <= length else text[: length - 1] + "…"


class ReadableInlineMixin:
    """Inline that shows nothing extra and no blank forms for users who may only view."""

    extra = 0
    show_change_link = True


__all__ = ["CuratedAdmin", "ReadableInlineMixin", "admin", "highlighted_text", "quote_in_context", "shorten"]
