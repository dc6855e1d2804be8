"""What every coalition model admin shares."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from ..formats import FORMATS
from ..quotes import split_by_spans
from ..readers import FileRefused
from ..resources import RESOURCE_FOR_MODEL
from .concurrency import VersionedAdminMixin, VersionedInlineMixin
from .export_form import ExportForm
from .history import HistoryAdminMixin
from .imports import PendingImportMixin
from .permissions import PermissionGuardsMixin
from .scale import EstimatedCountPaginator, ScaledChangeList

INTEGER_KEYS = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField"}


class SizeLimitedImportForm(ImportForm):
    """The import form, refusing files over COALITION_IMPORT_MAX_BYTES before reading them."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.COALITION_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; files up to {filesizeformat(limit)} can be imported. "
                "Split it into smaller files."
            )
        return upload


class CuratedAdmin(
    PermissionGuardsMixin,
    VersionedAdminMixin,
    HistoryAdminMixin,
    PendingImportMixin,
    ImportMixin,
    ExportActionMixin,
    SimpleHistoryAdmin,
):
    """A model admin with history and revert, all-or-nothing import with preview, and export."""

    import_form_class = SizeLimitedImportForm
    export_form_class = ExportForm
    formats = FORMATS
    import_error_display = ("message",)
    # The errors as a plain list of line, column and reason: no hover, no traceback.
    import_template_name = "admin/import_export/coalition_import.html"
    save_on_top = True
    # A URL typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = 50
    # No count of the whole table per request: the paginator counts at most a page range, then estimates.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Facet counts group a whole table by every filter: too dear at a million rows, even on request.
    show_facets = admin.ShowFacets.NEVER

    class Media:
        # Styles for the article text and quotes (a stylesheet, not inline styles: see the CSP in settings).
        css = {"all": ["coalition/admin.css"]}

    def get_changelist(self, request, **kwargs):
        return ScaledChangeList

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        # Another save came between this form's validation and its write (two linkers saving the same quote): the
        # write was rolled back whole, and validated again the form now sees that record and names it.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            messages.error(
                request,
                "Nothing was saved: another change to the same records was saved at the same moment. "
                "Check them and try again.",
            )
            return HttpResponseRedirect(request.get_full_path())

    def _refuse_malformed_ids(self, object_id, version_id=None):
        # django-simple-history passes the URL's ids to the database unchecked (a 500 for “abc” or a number
        # past the column's range); Django's own change view answers 404, and so do these.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None and not 0 < int(version_id) < 2**63:
                raise ValueError(version_id)
            if self.model._meta.pk.get_internal_type() in INTEGER_KEYS and not 0 < int(object_id) < 2**63:
                raise ValueError(object_id)
        except (ValidationError, ValueError):
            raise Http404("No such record or version.") from None

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_malformed_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_malformed_ids(object_id, version_id)
        # django-simple-history checks only the view permission here, and saves a POST of the old
        # version's form: a revert is a change, so it needs the change permission.
        if request.method == "POST" and not (
            self.has_change_permission(request) and self.has_change_history_permission(request)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete pages through these results: they need an order even where a search dropped it.
        # The changelist orders by itself afterwards.
        if not queryset.ordered:
            queryset = queryset.order_by(*(self.get_ordering(request) or self.model._meta.ordering), "pk")
        return queryset, may_have_duplicates

    def get_resource_classes(self, request):
        return [RESOURCE_FOR_MODEL[self.model]]

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, FileRefused):
            for message in error.messages:
                form.add_error("import_file", message)
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def get_import_data_kwargs(self, **kwargs):
        # One bad row refuses the whole file, at the confirm step as at the preview.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}


def quote_in_context(citation, width: int = 160) -> str:
    """Return HTML of the source text around a citation's quote, the quote highlighted."""
    if citation is None or citation.pk is None or not citation.source_id:
        return "—"
    before, quote, after = citation.in_context(width)
    return format_html('<div class="quote-context">{}<mark>{}</mark>{}</div>', before, quote, after)


def highlighted_text(text: str, spans: list[tuple[int, int]]) -> str:
    """Return HTML of a whole text with the given spans highlighted, line breaks kept."""
    body = format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", piece) if inside else piece,)
            for piece, inside in split_by_spans(text, spans)
        ),
    )
    return format_html('<div class="source-text">{}</div>', body)


def shorten(text: str, length: int = 80) -> str:
    """Return `text` cut to `length` characters with an ellipsis when longer."""
    return text if len(text) <= length else text[: length - 1] + "…"


class SummitColumnMixin:
    """The summit column of a summit record's list, sorted by the indexed key rather than a join to the summits."""

    @admin.display(description="summit", ordering="summit_id")
    def summit_display(self, obj):
        return obj.summit


class ReadableInlineMixin(VersionedInlineMixin):
    """Inline that shows nothing extra and no blank forms for users who may only view."""

    extra = 0
    show_change_link = True
