"""History in the editing interface: reverts that bring back citations, and deleted records listed and restored."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst
from simple_history.utils import get_history_manager_for_model

from ..history import (
    HistoryRefused,
    apply_citation_plan,
    change_reason,
    check_citation_plan,
    citations_deleted_with,
    describe_record,
    plan_citations,
    restore_deleted,
    subject_field,
)
from ..models import Citation
from ..selectors.history import deleted_record, deleted_records


class HistoryAdminMixin:
    """Reverts restore citations too; a "Deleted …" page lists deleted records and restores them by id."""

    import_export_change_list_template = "admin/coalition/change_list.html"
    object_history_form_template = "admin/coalition/object_history_form.html"
    deleted_list_template = "admin/coalition/deleted_list.html"
    deleted_per_page = 100

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        # Before the model admin's own URLs, whose catch-all would take "deleted/" for an object id.
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info)),
            path(
                "deleted/<path:object_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    # Reverting to a version --------------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if subject_field(self.model) is None:
            return super().history_form_view(request, object_id, version_id, extra_context)
        history = get_history_manager_for_model(self.model)
        version = get_object_or_404(
            history.model, **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        )
        plan = plan_citations(version)
        context = {**(extra_context or {}), "citation_plan": plan}
        if request.method != "POST" or not plan:
            return super().history_form_view(request, object_id, version_id, context)
        if not all(request.user.has_perm(permission) for permission in plan.required_permissions()):
            raise PermissionDenied
        when = format_date(version.history_date, "j F Y H:i:s")
        reason = f"Reverted with its {self.model._meta.verbose_name} to the version of {when}"
        try:
            check_citation_plan(plan, user=request.user, reason=reason)
        except HistoryRefused as refusal:
            self.message_user(request, f"Nothing was reverted. {refusal}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        with transaction.atomic():
            # The record through its form first (as the change page does), then its citations.
            response = super().history_form_view(request, object_id, version_id, context)
            if not isinstance(response, HttpResponseRedirect):
                return response  # the form has errors: nothing was saved
            apply_citation_plan(plan, user=request.user, reason=reason)
        self.message_user(request, plan.summary(), messages.SUCCESS)
        return response

    # Deleted records -----------------------------------------------------------------------------------------

    def deleted_view(self, request):
        """List the records of this model that were deleted and not restored, who deleted them and when."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        opts = self.model._meta
        page = Paginator(deleted_records(self.model), self.deleted_per_page).get_page(request.GET.get("p"))
        pk_name = opts.pk.attname
        rows = [(row, getattr(row, pk_name), describe_record(row.instance)) for row in page.object_list]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "page_obj": page,
            "rows": rows,
            "can_restore": self.has_add_permission(request),
            "has_citations": subject_field(self.model) is not None,
        }
        return TemplateResponse(request, self.deleted_list_template, context)

    def restore_view(self, request, object_id):
        """Recreate a deleted record from its last history row (POST only), then show it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        object_id = unquote(object_id)
        deleted_list = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted")
        deletion = deleted_record(self.model, object_id)
        if deletion is not None and citations_deleted_with(deletion):
            citation_opts = Citation._meta
            if not request.user.has_perm(f"{citation_opts.app_label}.add_{citation_opts.model_name}"):
                raise PermissionDenied
        try:
            restored = restore_deleted(self.model, object_id, user=request.user)
        except HistoryRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(deleted_list)
        with_citations = f", with {restored.citations} of its citations" if restored.citations else ""
        self.log_addition(request, restored.record, f"Restored after its deletion{with_citations}.")
        self.message_user(
            request,
            f"{capfirst(opts.verbose_name)} “{describe_record(restored.record)}” was restored{with_citations}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                                            args=[restored.record.pk]))  # fmt: skip

    # Imports -------------------------------------------------------------------------------------------------

    def process_dataset(self, dataset, form, request, **kwargs):
        # Each history row an import writes says which file it came from (the user is recorded anyway).
        name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or "a file"
        with change_reason(f"Imported from {name}"):
            return super().process_dataset(dataset, form, request, **kwargs)
