"""The read-only JSON API at /api/v1/ (django-ninja): the public tables, the change feed and the quotes as
W3C Web Annotations, described by an OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

from . import annotations, changes, lists

api = NinjaAPI(
    title="coalition API",
    version="1",
    description="Read-only JSON for the public data: the same tables, columns and filters as the CSV downloads.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
api.add_router("", lists.router)
api.add_router("/changes/", changes.router)
api.add_router("/annotations/", annotations.router)
