"""Public pages: each view resolves its input, calls a selector and renders."""

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import datapackage, exports, selectors


def _csv(name: str, lines) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _filtered_csv(name: str, filterset, columns) -> HttpResponse:
    if not filterset.is_valid():
        return HttpResponse(filterset.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    return _csv(name, exports.stream_csv(filterset.qs, columns))


@require_safe
def home(request):
    return render(request, "coalition/home.html", {"summits": selectors.summit_list()})


@require_safe
def summit_detail(request, slug):
    return render(request, "coalition/summit_detail.html", {"page": selectors.summit_detail(slug=slug)})


def _filtered_page(request, filterset, template: str) -> HttpResponse:
    # An invalid filter is refused with its message (400), never silently ignored.
    return render(request, template, {"filter": filterset}, status=200 if filterset.is_valid() else 400)


@require_safe
def commitment_list(request):
    return _filtered_page(request, selectors.commitment_list(params=request.GET), "coalition/commitment_list.html")


@require_safe
def commitments_csv(request):
    filterset = selectors.commitment_export(params=request.GET)
    return _filtered_csv("commitments", filterset, exports.COMMITMENT_COLUMNS)


@require_safe
def statement_list(request):
    return _filtered_page(request, selectors.statement_list(params=request.GET), "coalition/statement_list.html")


@require_safe
def statements_csv(request):
    filterset = selectors.statement_export(params=request.GET)
    return _filtered_csv("statements", filterset, exports.STATEMENT_COLUMNS)


@require_safe
def citations_csv(request):
    filterset = selectors.citation_export(params=request.GET)
    return _filtered_csv("citations", filterset, exports.CITATION_COLUMNS)


@require_safe
def sources_csv(request):
    return _csv("sources", exports.stream_csv(selectors.source_export(), exports.SOURCE_COLUMNS))


def _actor_list(request, select, kind: str):
    filterset, rows = select(params=request.GET)
    status = 200 if filterset.is_valid() else 400
    context = {"filter": filterset, "rows": rows, "kind": kind}
    return render(request, "coalition/actor_list.html", context, status=status)


def _actor_csv(request, select, name: str):
    filterset, rows = select(params=request.GET)
    if not filterset.is_valid():
        return HttpResponse(filterset.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    return _csv(name, exports.csv_lines(exports.ACTOR_COLUMNS, exports.actor_rows(rows)))


@require_safe
def country_list(request):
    return _actor_list(request, selectors.country_list, "countries")


@require_safe
def countries_csv(request):
    return _actor_csv(request, selectors.country_list, "countries")


@require_safe
def organisation_list(request):
    return _actor_list(request, selectors.organisation_list, "organisations")


@require_safe
def organisations_csv(request):
    return _actor_csv(request, selectors.organisation_list, "organisations")


@require_safe
def country_detail(request, code):
    if code != code.upper():  # one URL per country: /countries/GB/
        return redirect("country-detail", code=code.upper(), permanent=True)
    page = selectors.actor_detail(country=code, summit=request.GET.get("summit") or None)
    return render(request, "coalition/actor_detail.html", {"page": page})


@require_safe
def organisation_detail(request, slug):
    page = selectors.actor_detail(organisation=slug, summit=request.GET.get("summit") or None)
    return render(request, "coalition/actor_detail.html", {"page": page})


@require_safe
def source_list(request):
    return render(request, "coalition/source_list.html", {"sources": selectors.source_list()})


@require_safe
def source_detail(request, file_name):
    return render(request, "coalition/source_detail.html", {"page": selectors.source_detail(file_name=file_name)})


@require_safe
def datapackage_json(request):
    """The Data Package descriptor, its resources pointing at this site's CSV downloads."""
    package = datapackage.descriptor(path_for=lambda name: request.build_absolute_uri(reverse(f"{name}-csv")))
    return JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
