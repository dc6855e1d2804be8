"""Importing fuzzed files through the admin and `import_tables`, and telling a clear refusal from harm."""

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from .fuzzing import FORMAT_NAMES, Sample
from .models import DERIVED_MODELS

# Where the uploaded file waits between the preview and the confirm step while fuzzing: in memory, so that
# previews that are refused leave no temporary files behind.
TMP_STORAGE = "import_export.tmp_storages.CacheStorage"
# Kinds of damage that leave no line to point at: the workbook or document as a whole is unreadable.
FILE_LEVEL = {("xlsx", "cut off"), ("xlsx", "corrupted"), ("json", "not a list")}
LOCATED = re.compile(r"\bline \d+|\bcell [A-Z]+\d+")


def leaks(text: str) -> bool:
    """Return True when `text` shows a traceback or a path on the server."""
    markers = ("Traceback (most recent call last)", "site-packages", str(settings.BASE_DIR), 'File "/')
    return any(marker in text for marker in markers)


def checksum() -> str:
    """Return a fingerprint of every row of every table of the app (history tables too) and of the admin log."""
    digest = hashlib.sha256()
    # The derived counts and the data version move with every write, changed or not: they are not records.
    records = apps.get_app_config("coalition").get_models(include_auto_created=True)
    models = [*(m for m in records if m not in DERIVED_MODELS), LogEntry]
    for model in models:
        digest.update(model._meta.db_table.encode())
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


class ImportPage(HTMLParser):
    """The import page's error messages and, when the preview offers one, the confirm form's fields."""

    def __init__(self, html: str):
        super().__init__()
        self.messages: list[str] = []
        self.confirm: dict[str, str] | None = None
        self._in_errors = 0
        self._in_confirm = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and "errorlist" in (attrs.get("class") or ""):
            self._in_errors += 1
        elif tag == "li" and self._in_errors:
            self.messages.append("")
        elif tag == "form" and "process_import" in (attrs.get("action") or ""):
            self._in_confirm, self.confirm = True, {}
        elif tag == "input" and self._in_confirm and attrs.get("name"):
            self.confirm[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "ul" and self._in_errors:
            self._in_errors -= 1
        elif tag == "form":
            self._in_confirm = False

    def handle_data(self, data):
        if self._in_errors and self.messages:
            self.messages[-1] += data


@dataclass
class Attempt:
    """How one import of one file ended: refused, accepted, or crashed (a traceback)."""

    route: str
    outcome: str
    messages: list[str] = field(default_factory=list)


def try_admin(client, sample: Sample) -> Attempt:
    """Post `sample` to its table's import page as the logged-in `client`, and confirm the preview if offered."""
    opts = sample.resource_class._meta.model._meta
    upload = SimpleUploadedFile(sample.file_name, sample.content)
    try:
        response = client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
            {"format": str(FORMAT_NAMES.index(sample.format_name)), "import_file": upload},
        )
        page = ImportPage(response.content.decode("utf-8", "replace"))
        if response.status_code != 200 or leaks(response.content.decode("utf-8", "replace")):
            return Attempt("admin", "traceback", [f"status {response.status_code}"])
        if page.confirm is None:
            return Attempt("admin", "refused", page.messages)
        response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import"), page.confirm)
        if response.status_code == 302:
            return Attempt("admin", "accepted")
        confirm_page = response.content.decode("utf-8", "replace")
        outcome = "traceback" if leaks(confirm_page) else "refused"
        return Attempt("admin", outcome, ImportPage(confirm_page).messages)
    except Exception as error:  # a 500 in the view: the test client re-raises it
        return Attempt("admin", "traceback", [f"{type(error).__name__}: {error}"])


def try_import_tables(sample: Sample) -> Attempt:
    """Run `import_tables` on a folder holding only `sample` (a CSV file)."""
    out, err = StringIO(), StringIO()
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / sample.file_name).write_bytes(sample.content)
        try:
            call_command("import_tables", directory, stdout=out, stderr=err)
            outcome = "accepted"
        except CommandError:
            outcome = "refused"
        except Exception as error:
            return Attempt("import_tables", "traceback", [f"{type(error).__name__}: {error}"])
    if leaks(out.getvalue() + err.getvalue()):
        return Attempt("import_tables", "traceback", [err.getvalue()])
    return Attempt("import_tables", outcome, err.getvalue().splitlines())


@dataclass
class Tally:
    """The counts a fuzzing run reports, and a description of every file that went wrong."""

    files: int = 0
    imports: int = 0
    refused: int = 0
    unchanged: int = 0
    partial_writes: int = 0
    tracebacks: int = 0
    harmful: int = 0
    unclear: int = 0
    valid_refused: int = 0
    failures: list[str] = field(default_factory=list)

    def record(self, sample: Sample, attempt: Attempt, changed: bool):
        """Count one import of `sample`; `changed` says whether the database differs afterwards."""
        self.imports += 1
        problem = None
        if attempt.outcome == "traceback":
            self.tracebacks += 1
            problem = "traceback"
        elif attempt.outcome == "refused":
            self.refused += 1
            if changed:
                self.partial_writes += 1
                problem = "partial write"
            located = any(LOCATED.search(message) for message in attempt.messages)
            if not attempt.messages or (not located and (sample.format_name, sample.kind) not in FILE_LEVEL):
                self.unclear += 1
                problem = "refused without line and column"
            if sample.harmless:
                self.valid_refused += 1
                problem = problem or "valid file refused"
        elif changed:
            self.harmful += 1
            problem = "harmful file accepted"
        else:
            self.unchanged += 1
        if problem:
            said = " | ".join(attempt.messages)[:300]
            self.failures.append(f"{problem}: {sample.file_name} ({sample.kind}) via {attempt.route}: {said}")

    @property
    def ok(self) -> bool:
        """Return True when nothing was written by a refused file, nothing crashed and nothing harmful got in."""
        return not (self.partial_writes or self.tracebacks or self.harmful or self.unclear)

    def __str__(self):
        return (
            f"files tried {self.files} ({self.imports} imports through the admin and import_tables): "
            f"refused {self.refused}, accepted unchanged {self.unchanged}, partial writes {self.partial_writes}, "
            f"tracebacks {self.tracebacks}, harmful files accepted {self.harmful}, "
            f"refusals without line or column {self.unclear}, valid files refused {self.valid_refused}"
        )


def try_sample(client, sample: Sample, tally: Tally) -> None:
    """Import `sample` through the admin and, for a CSV, through import_tables; count each outcome."""
    tally.files += 1
    before = checksum()
    attempt = try_admin(client, sample)
    after = checksum()
    tally.record(sample, attempt, after != before)
    if sample.format_name == "csv":
        attempt = try_import_tables(sample)
        tally.record(sample, attempt, checksum() != after)
