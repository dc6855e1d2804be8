"""Public pages: each view resolves its input, calls a selector and renders."""

from functools import wraps

from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import datapackage, exports, publication, selectors
from .pagination import InvalidCursor
from .selectors.search import search_results
from .vocabulary import TABLES


def _csv(name: str, lines) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _refused(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@require_safe
def table_csv(request, name: str):
    """The CSV of the public table `name` (coalition.vocabulary), narrowed by its URL filters."""
    try:
        rows = selectors.table_rows(name=name, params=request.GET)
    except selectors.InvalidFilter as refused:
        return _refused(str(refused))
    lines = exports.stream_csv(rows, exports.csv_columns(TABLES[name]))
    return _csv(selectors.download_name(base=name, params=request.GET), lines)


def paged(view):
    """Wrap a list view: a page link that is not valid (changed by hand, or out of date) is refused with a 400."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InvalidCursor as refused:
            return render(request, "coalition/invalid_link.html", {"message": str(refused)}, status=400)

    return wrapped


def _after(request) -> str | None:
    return request.GET.get("after") or None


def _filtered_page(request, page: selectors.FilteredPage, template: str, **context) -> HttpResponse:
    # An invalid filter is refused with its message (400), never silently ignored.
    context = {"form": page.form, "page": page.page, **context}
    return render(request, template, context, status=400 if page.errors else 200)


@require_safe
@paged
def home(request):
    page = selectors.summit_list(params=request.GET, after=_after(request))
    return render(request, "coalition/home.html", {"page": page, "tables": TABLES.values()})


@require_safe
@paged
def summit_detail(request, slug):
    page = selectors.summit_detail(slug=slug, params=request.GET)
    return render(request, "coalition/summit_detail.html", {"page": page})


@require_safe
@paged
def commitment_list(request):
    page = selectors.commitment_list(params=request.GET, after=_after(request))
    return _filtered_page(request, page, "coalition/commitment_list.html")


@require_safe
@paged
def statement_list(request):
    page = selectors.statement_list(params=request.GET, after=_after(request))
    return _filtered_page(request, page, "coalition/statement_list.html")


def _actor_list(request, select, kind: str):
    page = select(params=request.GET, after=_after(request))
    return _filtered_page(request, page, "coalition/actor_list.html", kind=kind)


def _actor_csv(request, kind: str):
    try:
        rows = selectors.actor_export(kind=kind, params=request.GET)
    except selectors.InvalidFilter as refused:
        return _refused(str(refused))
    lines = exports.csv_lines(exports.ACTOR_COLUMNS, exports.actor_rows(rows))
    return _csv(selectors.download_name(base=kind, params=request.GET), lines)


@require_safe
@paged
def country_list(request):
    return _actor_list(request, selectors.country_list, "countries")


@require_safe
def countries_csv(request):
    return _actor_csv(request, "countries")


@require_safe
@paged
def organisation_list(request):
    return _actor_list(request, selectors.organisation_list, "organisations")


@require_safe
def organisations_csv(request):
    return _actor_csv(request, "organisations")


@require_safe
@paged
def country_detail(request, code):
    if code != code.upper():  # one URL per country: /countries/GB/
        return redirect("country-detail", code=code.upper(), permanent=True)
    page = selectors.actor_detail(country=code, summit=request.GET.get("summit") or None, params=request.GET)
    return render(request, "coalition/actor_detail.html", {"page": page})


@require_safe
@paged
def organisation_detail(request, slug):
    page = selectors.actor_detail(organisation=slug, summit=request.GET.get("summit") or None, params=request.GET)
    return render(request, "coalition/actor_detail.html", {"page": page})


@require_safe
@paged
def source_list(request):
    page = selectors.source_list(params=request.GET, after=_after(request))
    return _filtered_page(request, page, "coalition/source_list.html")


@require_safe
def source_detail(request, file_name):
    return render(request, "coalition/source_detail.html", {"page": selectors.source_detail(file_name=file_name)})


@require_safe
def datapackage_json(request):
    """The Data Package descriptor, its resources pointing at this site's CSV downloads."""
    package = datapackage.descriptor(path_for=lambda name: request.build_absolute_uri(reverse(f"{name}-csv")))
    return JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})


@require_safe
def coalition_sqlite(request):
    """The public data as one SQLite file, made afresh only when the data has changed."""
    path = publication.published_sqlite()
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="coalition.sqlite", content_type="application/vnd.sqlite3"
    )


@require_safe
def search(request):
    page = search_results(params=request.GET)
    return render(request, "coalition/search.html", {"page": page}, status=200 if page.is_valid else 400)
