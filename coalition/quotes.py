"""Finding a quote verbatim in a source's text, and explaining where it stops matching."""

from dataclasses import dataclass

# Typographic characters that look alike to an editor but are different to a computer.
_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)
_SHOWN = 30  # characters of context shown on each side of a mismatch


class QuoteNotFound(ValueError):
    """Raised when a quote is not a verbatim substring of the source text."""


@dataclass(frozen=True)
class Mismatch:
    """Where a quote stops matching its source: the longest matching start and what follows it."""

    matched: int  # how many leading characters of the quote occur verbatim in the text
    source_position: int | None  # where that matching start occurs in the text, if anywhere
    quote_continues: str
    source_continues: str
    lookalike_only: bool  # the quote matches once quotation marks, dashes and spaces are folded

    def message(self, source_label: str) -> str:
        """Return a sentence for editors saying which part of the quote did not match."""
        if self.matched == 0:
            text = (
                f"The quote is not in {source_label}: not even its first character “{self.quote_continues[:1]}” occurs."
            )
        else:
            text = (
                f"The quote is not verbatim in {source_label}: its first {self.matched} characters match "
                f"(up to source position {self.source_position + self.matched}), then the quote reads "
                f"“{self.quote_continues}” where the source reads “{self.source_continues}”."
            )
        if self.lookalike_only:
            text += (
                " The difference is only in quotation marks, apostrophes, dashes or spaces: copy the quote "
                "from the source text instead of retyping it."
            )
        return text


def fold_lookalikes(text: str) -> str:
    """Return `text` with curly quotes, dashes and special spaces replaced by plain ASCII ones."""
    return text.translate(_LOOKALIKES)


def explain_mismatch(text: str, quote: str) -> Mismatch:
    """Return where `quote` stops matching `text` (the longest leading part that does occur)."""
    low, high = 0, len(quote)
    # Whether a prefix occurs is monotonic in its length, so a binary search finds the longest.
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    position = text.find(quote[:low]) if low else None
    source_continues = "" if position is None else text[position + low : position + low + _SHOWN]
    return Mismatch(
        matched=low,
        source_position=position,
        quote_continues=quote[low : low + _SHOWN],
        source_continues=source_continues,
        lookalike_only=fold_lookalikes(quote) in fold_lookalikes(text),
    )


def locate(text: str, quote: str, start: int | None = None) -> tuple[int, int]:
    """Return the (start, end) offsets of `quote` in `text`, keeping `start` when it already points at it."""
    if not quote:
        raise QuoteNotFound("The quote is empty.")
    if start is not None and start >= 0 and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    found = text.find(quote)
    if found < 0:
        raise QuoteNotFound(quote)
    return found, found + len(quote)


def occurrences(text: str, quote: str) -> list[int]:
    """Return every offset at which `quote` occurs in `text`, overlapping occurrences included, in order."""
    found, position = [], text.find(quote) if quote else -1
    while position >= 0:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def context(text: str, start: int, end: int, width: int = 160) -> tuple[str, str, str]:
    """Return the text before a quote, the quote, and the text after it, each side at most `width` long."""
    before_start = max(0, start - width)
    return (
        ("…" if before_start else "") + text[before_start:start],
        text[start:end],
        text[end : end + width] + ("…" if end + width < len(text) else ""),
    )


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return `spans` sorted, with overlapping or touching spans merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def split_by_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Return `text` cut into (piece, is_inside_a_span) pairs, in order, spans merged where they overlap."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in merge_spans(spans):
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
