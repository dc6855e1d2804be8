"""Citations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/): the quote in its source, linked
to the record it backs."""

from collections.abc import Callable

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_MEDIA_TYPE = f'application/ld+json; profile="{ANNOTATION_CONTEXT}"'
QUOTE_CONTEXT = 32  # characters of prefix and suffix, as annotation tools use


def quote_selector(text: str, start: int, end: int, width: int = QUOTE_CONTEXT) -> dict:
    """Return a TextQuoteSelector for text[start:end], with `width` characters of context each side, widened
    where needed so that prefix + exact + suffix occurs in the text only there."""
    while True:
        prefix, exact, suffix = text[max(0, start - width) : start], text[start:end], text[end : end + width]
        whole = prefix + exact + suffix
        first = text.find(whole)
        reaches_both_ends = start - len(prefix) == 0 and end + len(suffix) == len(text)
        if text.find(whole, first + 1) < 0 or reaches_both_ends:
            return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}
        width *= 2


def annotation(citation, *, text: str, times: tuple | None, url: Callable[[str], str], api_url: str) -> dict:
    """Return `citation` as a Web Annotation; `url` makes a site path absolute, `api_url` is its own address."""
    subject = citation.subject
    bodies = [
        {"type": "SpecificResource", "source": url(subject.get_absolute_url()), "purpose": "linking"},
        # The relation as a tag: the W3C model has no "supports"/"contradicts" motivation of its own.
        {"type": "TextualBody", "value": citation.relation, "purpose": "tagging", "format": "text/plain"},
    ]
    if citation.note:
        bodies.append({"type": "TextualBody", "value": citation.note, "purpose": "commenting",
                       "format": "text/plain"})  # fmt: skip
    result = {
        "@context": ANNOTATION_CONTEXT,
        "id": api_url,
        "type": "Annotation",
        "motivation": "linking",
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": url(citation.source.get_absolute_url()),
            "selector": [
                {"type": "TextPositionSelector", "start": citation.start, "end": citation.end},
                quote_selector(text, citation.start, citation.end),
            ],
        },
    }
    if times:
        result["created"], result["modified"] = (moment.isoformat() for moment in times)
    return result
