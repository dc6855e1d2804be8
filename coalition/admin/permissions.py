"""Permission checks the admin's libraries leave out, refused with a 403 like every other denied page."""

from django.core.exceptions import PermissionDenied


class PermissionGuardsMixin:
    """Refuse a POSTed admin action or a change-page export that the user has no permission for."""

    def changelist_view(self, request, extra_context=None):
        # Django ignores an action the user does not have (a redirect saying "No action selected", or
        # the plain list when the user has no action at all); a hand-made POST of an action the user
        # may not run is a permission error, and is answered as one.
        if request.method == "POST":
            requested = {name for name in request.POST.getlist("action") if name}
            if requested - set(self.get_actions(request)):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # django-import-export exports from the change page ("_export-item") without checking the
        # export permission: a user who may change a record is not thereby allowed to export it.
        if request.method == "POST" and "_export-item" in request.POST and not self.has_export_permission(request):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)
