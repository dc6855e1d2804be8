"""Public pages served from a cache that any write invalidates, with ETag and Last-Modified for revalidation.

The cache key and the ETag hold the data version, which the database moves on with every write (see
coalition/aggregates), so a page is never served stale and nothing has to be deleted from the cache: entries of
old versions simply stop being asked for and age out.
"""

import hashlib
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


def public_page(view):
    """Wrap a public GET view: answer 304 to a client whose copy is current, else serve from the cache or render.

    Streaming responses (the CSVs) get the validators but are not stored: they are built for any size.
    """

    @condition(etag_func=_etag, last_modified_func=_last_modified)
    @wraps(view)
    def cached(request, *args, **kwargs):
        cache = caches[settings.COALITION_PAGE_CACHE]
        key = f"page:{_etag(request)}"
        if (stored := cache.get(key)) is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]))
        return response

    @wraps(view)
    def revalidated(request, *args, **kwargs):
        response = cached(request, *args, **kwargs)
        # Shared caches may keep it, but must ask again each time: a write may have changed it.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return revalidated
