"""The quotes as W3C Web Annotations at /api/v1/annotations/: one per citation, in annotation pages."""

from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Field, Query, Router, Schema, Status

from ..annotations import ANNOTATION_CONTEXT, ANNOTATION_MEDIA_TYPE, annotation
from ..pagination import InvalidCursor
from ..selectors.annotations import (
    ANNOTATIONS_MAX_PAGE_SIZE,
    ANNOTATIONS_PAGE_SIZE,
    UnknownFilterValue,
    annotated_citation,
    annotations_page,
)
from . import errors
from .schemas import ApiError

router = Router(tags=["annotations"])


class AnnotationsQuery(Schema):
    source: str | None = Field(None, description="Only the quotes of this source (its file name).")
    summit: str | None = Field(None, description="Only the quotes backing records of this summit (its slug).")
    after: str | None = Field(None, description="The page after this cursor (from a `next` link).")
    limit: int = Field(ANNOTATIONS_PAGE_SIZE, ge=1, le=ANNOTATIONS_MAX_PAGE_SIZE, description="Annotations a page.")


class Selector(Schema):
    type: Literal["TextPositionSelector", "TextQuoteSelector"]
    start: int | None = None
    end: int | None = None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None


class Target(Schema):
    type: Literal["SpecificResource"]
    source: str
    selector: list[Selector]


class Body(Schema):
    type: Literal["SpecificResource", "TextualBody"]
    purpose: Literal["linking", "tagging", "commenting"]
    source: str | None = None
    value: str | None = None
    format: str | None = None


class AnnotationOut(Schema):
    context: Literal[ANNOTATION_CONTEXT] = Field(alias="@context")
    id: str
    type: Literal["Annotation"]
    motivation: Literal["linking"]
    created: str | None = None
    modified: str | None = None
    body: list[Body]
    target: Target


class CollectionOut(Schema):
    id: str
    type: Literal["AnnotationCollection"]
    total: int
    first: str


class AnnotationPageOut(Schema):
    context: Literal[ANNOTATION_CONTEXT] = Field(alias="@context")
    id: str
    type: Literal["AnnotationPage"]
    partOf: CollectionOut
    next: str | None = None  # left out on the last page, as the W3C model has it
    items: list[AnnotationOut]


def _ld(schema: type[Schema], data: dict, status: int = 200) -> HttpResponse:
    # Validated against the declared schema, then served with the Web Annotation media type.
    body = schema.model_validate(data).model_dump_json(by_alias=True, exclude_none=True)
    return HttpResponse(body, status=status, content_type=ANNOTATION_MEDIA_TYPE)


def _ld_openapi(schema_name: str) -> dict:
    content = {ANNOTATION_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}
    return {"responses": {200: {"content": content}}}


def _annotation_url(request, pk: int) -> str:
    return request.build_absolute_uri(reverse("api-v1:annotation_detail", args=[pk]))


@router.get(
    "/",
    response={200: AnnotationPageOut, 400: ApiError},
    openapi_extra=_ld_openapi("AnnotationPageOut"),
    by_alias=True,
    summary="The quotes as W3C Web Annotations, a page at a time",
)
def annotation_list(request, query: Query[AnnotationsQuery]):
    """Return an AnnotationPage of the citations matching the filters, by id."""
    try:
        errors.refuse_unknown(request.GET, AnnotationsQuery.model_fields)
        found = annotations_page(source=query.source, summit=query.summit, after=query.after, limit=query.limit)
    except errors.Refused as refused:
        return Status(400, refused.body())
    except UnknownFilterValue as error:
        return Status(400, {"detail": str(error), "errors": {}})
    except InvalidCursor as error:
        return Status(400, errors.Refused("after", str(error)).body())
    filters = {name: value for name in ("source", "summit") if (value := getattr(query, name)) is not None}
    base = request.build_absolute_uri(reverse("api-v1:annotation_list"))

    def page_url(**extra) -> str:
        params = {**filters, **extra}
        return f"{base}?{urlencode(params)}" if params else base

    page = found.page
    items = [
        annotation(citation, text=found.texts[citation.source_id], times=found.times.get(citation.pk),
                   url=request.build_absolute_uri, api_url=_annotation_url(request, citation.pk))
        for citation in page.rows
    ]  # fmt: skip
    first = page_url(limit=query.limit)
    data = {
        "@context": ANNOTATION_CONTEXT,
        "id": page_url(after=query.after, limit=query.limit) if query.after else first,
        "type": "AnnotationPage",
        "partOf": {"id": page_url(), "type": "AnnotationCollection", "total": found.total, "first": first},
        "next": page_url(after=page.next_cursor, limit=query.limit) if page.next_cursor else None,
        "items": items,
    }
    return _ld(AnnotationPageOut, data)


@router.get(
    "/{citation_id}",
    response={200: AnnotationOut, 400: ApiError, 404: ApiError},
    openapi_extra=_ld_openapi("AnnotationOut"),
    by_alias=True,
    summary="One quote as a W3C Web Annotation",
)
def annotation_detail(request, citation_id: int):
    """Return the citation `citation_id` as a Web Annotation."""
    found = annotated_citation(pk=citation_id)
    if found is None:
        return Status(404, {"detail": f"citation_id: there is no citation with the id {citation_id}.", "errors": {}})
    citation = found.page.rows[0]
    return _ld(AnnotationOut, annotation(citation, text=found.texts[citation.source_id],
                                         times=found.times.get(citation.pk), url=request.build_absolute_uri,
                                         api_url=_annotation_url(request, citation.pk)))  # fmt: skip
