"""Reading a change feed to replay: from the API, following its `next` links, or from a saved file."""

import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen


def changes_from_url(url: str, *, after: str | None = None, timeout: float = 60) -> tuple[list[dict], str | None]:
    """Return every change the feed at `url` gives after the cursor `after`, and the cursor to poll from."""
    if after:
        url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode({'after': after})}"
    changes, cursor = [], after
    while url:
        request = Request(url, headers={"Accept": "application/json"})
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (the address is the researcher's own)
            page = json.load(response)
        changes += page["changes"]
        url, cursor = page["next"], page["cursor"]
    return changes, cursor


def changes_from_file(path: Path) -> tuple[list[dict], str | None]:
    """Return the changes saved in `path`: a feed response, a list of responses, or a list of changes."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pages = [data] if isinstance(data, dict) else data
    if pages and all(isinstance(page, dict) and "changes" in page for page in pages):
        return [change for page in pages for change in page["changes"]], pages[-1].get("cursor")
    changes = pages
    return changes, changes[-1]["cursor"] if changes else None
