"""Import previews bound to the editor who made them, confirmed once, and refusals that say nothing was written."""

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

PENDING = "coalition_pending_imports"
KEPT = 10  # previews a session keeps waiting for their confirm; older ones are dropped with their files
EXPIRED = "This import preview has expired or was already confirmed, so nothing was imported. Upload the file again."


class PendingImportMixin:
    """django-import-export's confirm step reads the temporary file the POST names: here it may name only a
    preview this session made for this model, once — never a path, another user's upload or a second submit."""

    def _storage(self, name: str):
        return self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())

    def _discard(self, name: str) -> None:
        try:
            self._storage(name).remove()
        except OSError:
            pass  # already gone: nothing to clean up

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        upload = getattr(context.get("form"), "cleaned_data", {}).get("import_file")
        written = getattr(upload, "tmp_storage_name", None)
        if not written:
            return response
        confirm_form = context.get("confirm_form")
        if confirm_form is None:
            self._discard(written)  # a refused preview is never confirmed: its copy of the file goes now
            return response
        pending = request.session.get(PENDING, {})
        while len(pending) >= KEPT:
            self._discard(pending.pop(next(iter(pending)))["name"])
        token = secrets.token_urlsafe(24)
        pending[token] = {"name": written, "model": self.model._meta.label}
        request.session[PENDING] = pending
        # The page carries a token, not the server's file name.
        confirm_form.initial["import_file_name"] = token
        return response

    def process_import(self, request, **kwargs):
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)  # 405 or 403, as django-import-export answers
        pending = request.session.get(PENDING, {})
        entry = pending.pop(request.POST.get("import_file_name", ""), None)
        request.session[PENDING] = pending  # used once: a second submit of the same page finds nothing
        if entry is None or entry["model"] != self.model._meta.label:
            return self._back_to_import(request, EXPIRED)
        request.POST = request.POST.copy()
        request.POST["import_file_name"] = entry["name"]
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:  # its file was cleaned away meanwhile; reading it is the first thing done
            return self._back_to_import(request, EXPIRED)

    def _back_to_import(self, request, message):
        messages.error(request, message)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The file was checked at the preview, but records may have changed since: the whole import was rolled
        # back, and the editor is told why instead of reading "0 updated".
        problems = result.messages()
        return self._back_to_import(
            request,
            format_html(
                "Nothing was imported: the file no longer passes its checks.<ul>{}</ul>",
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems[:20])),
            ),
        )
