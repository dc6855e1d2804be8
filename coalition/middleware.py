"""Request checks that run before any view: control characters refused, the client's address behind proxies."""

import ipaddress
import re
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

# C0 controls and DEL. PostgreSQL refuses NUL in text, and no page has a legitimate use for any of them
# in a path or a query parameter (tab and newline included: the site's values are single-line).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
API_PATH = "/api/"


class RejectControlCharactersMiddleware:
    """Answer 400 to a request whose path or query string, once decoded, holds a control character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace").replace("+", " ")
        if CONTROL_CHARACTERS.search(request.path) or CONTROL_CHARACTERS.search(query):
            message = "The address contains a control character (such as %00), which no page accepts."
            if request.path.startswith(API_PATH):  # the API answers in JSON, in the shape its schema documents
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def client_ip_address(request) -> str | None:
    """Return the client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw."""
    proxies = settings.COALITION_TRUSTED_PROXY_COUNT
    if proxies:
        # Each proxy appends the address it received the request from; entries left of those the
        # trusted proxies added come from the client and can be forged.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _is_address(text: str) -> bool:
    # A malformed entry (a misconfigured proxy, or no proxy in front at all) falls back to the connection's
    # address rather than failing the login.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
