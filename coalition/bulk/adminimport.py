"""Driving the admin's import of one file as an editor would: upload for the preview, then confirm."""

import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from ..formats import FORMATS
from .memory import Peak, peak_memory


class _ConfirmForm(HTMLParser):
    """Collects the fields of the page's form that posts to `action` (the preview's confirm form)."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("action") or "").endswith(self.action):
            self.inside, self.fields = True, {}
        elif tag == "input" and self.inside and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


@dataclass
class AdminImport:
    """Seconds and peak memory to the preview and to the confirm's redirect, or why the import did not get there."""

    preview_seconds: float | None = None
    confirm_seconds: float | None = None
    preview_peak: Peak | None = None
    confirm_peak: Peak | None = None
    problem: str = ""


def admin_import(model, path: Path) -> AdminImport:
    """Import the CSV file at `path` into `model` through its admin pages, as a new superuser; return the times."""
    opts = model._meta
    user = get_user_model().objects.create_superuser("benchmark-import", "benchmark@example.org", None)
    client = Client()
    client.force_login(user)
    import_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    process_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import")
    content = Path(path).read_bytes()
    csv_format = next(index for index, fmt in enumerate(FORMATS) if fmt().get_title() == "csv")
    result = AdminImport()
    # The test client's host, a size limit that lets the whole file through (the limit is not measured here), and
    # static files named as they are, so that the pages render without `collectstatic` having been run.
    limit = max(settings.COALITION_IMPORT_MAX_BYTES, len(content) + 1)
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ALLOWED_HOSTS=["testserver"], COALITION_IMPORT_MAX_BYTES=limit, STORAGES=static):
        upload = SimpleUploadedFile(Path(path).name, content, content_type="text/csv")
        with peak_memory() as result.preview_peak:
            started = time.perf_counter()
            preview = client.post(import_url, {"format": str(csv_format), "import_file": upload}, secure=True)
            result.preview_seconds = time.perf_counter() - started
        form = _ConfirmForm(process_url)
        form.feed(preview.content.decode())
        if preview.status_code != 200 or not form.fields:
            result.problem = f"no confirm form in the preview (status {preview.status_code})"
            return result
        with peak_memory() as result.confirm_peak:
            started = time.perf_counter()
            confirmed = client.post(process_url, form.fields, secure=True)
            result.confirm_seconds = time.perf_counter() - started
        if confirmed.status_code != 302:
            result.problem = f"the confirm answered {confirmed.status_code}, not a redirect"
    return result
