"""Public pages served from a cache that any write invalidates, with ETag and Last-Modified for revalidation.

The cache key and the ETag hold the data version, which the database moves on with every write (see
coalition/aggregates), so a page is never served stale and nothing has to be deleted from the cache: entries of
old versions simply stop being asked for and age out.
"""

import hashlib
from collections.abc import Iterator
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from . import aggregates


def _state(request) -> aggregates.DataState:
    # One query per request, however many times the validators ask.
    if not hasattr(request, "_coalition_data_state"):
        request._coalition_data_state = aggregates.data_state()
    return request._coalition_data_state


@cache
def release() -> str:
    """Return a fingerprint of the code and templates that render the pages, the same in every worker process."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in {".py", ".html"}):
        digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:8]


def _etag(request, *args, **kwargs) -> str:
    # The address is part of it (a page's ETag must differ from another page's at the same version), and the
    # release, so that a client's copy from before a deployment is not taken as current after it.
    page = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:12]
    return f"{_state(request).token}-{release()}-{page}"


def _last_modified(request, *args, **kwargs):
    return _state(request).changed_at


# A streamed download (a CSV) that ends within this many bytes is stored like a page; a longer one streams on.
SMALL_DOWNLOAD = 1 << 20
# The headers a stored page is served again with.
STORED_HEADERS = ("Content-Type", "Content-Disposition")


def _stored_when_small(chunks, store) -> Iterator[bytes]:
    """Yield a download's chunks as they come; once they have ended within SMALL_DOWNLOAD bytes, `store` them."""
    read, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if read is not None and size <= SMALL_DOWNLOAD:
            read.append(chunk)
        else:
            read = None  # too large: no copy is kept
        yield chunk
    if read is not None:
        store(b"".join(read))


def public_page(view):
    """Wrap a public GET view: answer 304 to a client whose copy is current, else serve from the cache or render.

    Streamed downloads (the CSVs) are stored too when they are small; a large one streams, never held in memory.
    """

    @condition(etag_func=_etag, last_modified_func=_last_modified)
    @wraps(view)
    def cached(request, *args, **kwargs):
        cache = caches[settings.COALITION_PAGE_CACHE]
        key = f"page:{_etag(request)}"
        if (stored := cache.get(key)) is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies:
            return response
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        if not response.streaming:
            cache.set(key, (response.content, headers))
        else:
            # Kept while it streams, not read ahead here: the middleware may still use the database connection
            # that the download's query will hold until its last row.
            response.streaming_content = _stored_when_small(
                response.streaming_content, lambda content: cache.set(key, (content, headers))
            )
        return response

    @wraps(view)
    def revalidated(request, *args, **kwargs):
        response = cached(request, *args, **kwargs)
        # Shared caches may keep it, but must ask again each time: a write may have changed it.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return revalidated
