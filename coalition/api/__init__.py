"""The read-only JSON API at /api/v1/ (django-ninja): the public tables, the change feed and the quotes as
W3C Web Annotations, described by an OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from . import annotations, changes, errors, lists

api = NinjaAPI(
    title="coalition API",
    version="1",
    description="Read-only JSON for the public data: the same tables, columns and filters as the CSV downloads.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    # No validator badge: it would load an image from another site, which the Content Security Policy refuses.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs/",
)


@api.exception_handler(ValidationError)
def refused_parameters(request, exc: ValidationError):
    # A parameter that is not of its declared type is invalid input like any other: 400, not ninja's 422.
    return api.create_response(request, errors.validation_errors(exc.errors), status=400)


api.add_router("", lists.router)
api.add_router("/changes/", changes.router)
api.add_router("/annotations/", annotations.router)
