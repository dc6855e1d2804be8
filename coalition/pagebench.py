"""Timing every page the site serves — public pages, CSVs, second pages and the admin's lists — on the current data.

Run through `python manage.py benchmark_pages`. Figures, not assertions: tests never time anything.
"""

import html
import logging
import re
import signal
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, URLPattern, get_resolver, resolve, reverse

from .models import Organisation, Source, StanceTally, Summit

TARGET_MS = 100
DEEP_TARGET_MS = 250  # the admin's last pages
USER = "benchmark"
SEARCH = "troops"
NEXT_LINK = re.compile(r"<a\b(?=[^>]*\brel=\"next\")[^>]*\bhref=\"([^\"]+)\"")
END_LINK = re.compile(r"<a\b(?=[^>]*\bclass=\"end\")[^>]*\bhref=\"([^\"]+)\"")
# A download is timed to its first bytes, what a client waits for before its file starts arriving; the whole file
# is read once in the passes that count queries and memory (the CSVs stream at any size: not a page's target).
FIRST_BYTES = 64 * 1024


@dataclass(frozen=True)
class Probe:
    """One address to measure, with the label it is printed under and the time it should stay within."""

    label: str
    url: str
    admin: bool = False
    target_ms: int = TARGET_MS
    download: bool = False


@dataclass(frozen=True)
class Measurement:
    """What one probe measured: status, median milliseconds, queries, and peak Python memory (None: not measured)."""

    probe: Probe
    status: int
    ms: float
    queries: int
    peak_mb: float | None
    whole_ms: float | None = None  # a download's whole file, read once

    @property
    def over(self) -> bool:
        # A download's target is to stream at any size (its whole time is shown), not a page's milliseconds.
        return self.status != 200 or (not self.probe.download and self.ms > self.probe.target_ms)


def public_url_names() -> list[str]:
    """Return the name of every named URL outside the admin, in the URL conf's order."""
    return [
        pattern.name
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern) and pattern.name  # the admin is a URLResolver: left out
    ]


def _busiest(field: str):
    # The stance tally holds every actor's commitments per summit: a small table, summed once.
    rows = StanceTally.objects.filter(**{f"{field}__isnull": False}).values(field).annotate(n=Sum("commitment_count"))
    top = rows.order_by("-n").first()
    return top[field] if top else None


def sample_addresses() -> dict[str, str]:
    """Return {URL name: address} for the pages that take an argument, filled from the busiest records."""
    samples = {}
    summit = Summit.objects.order_by("-commitment_count", "pk").first()
    source = Source.objects.order_by("-citation_count", "pk").first()
    country, organisation = _busiest("country"), _busiest("organisation")
    organisation = Organisation.objects.filter(pk=organisation).first() or Organisation.objects.order_by("pk").first()
    if summit:
        samples["summit-detail"] = summit.get_absolute_url()
    if source:
        samples["source-detail"] = source.get_absolute_url()
    if country:
        samples["country-detail"] = reverse("country-detail", args=[country])
    if organisation:
        samples["organisation-detail"] = organisation.get_absolute_url()
    return samples


def public_probes() -> list[Probe]:
    """Return a probe for every public URL name, filled from the data where it takes an argument."""
    samples = sample_addresses()
    probes = []
    for name in public_url_names():
        try:
            url = reverse(name)
        except NoReverseMatch:  # it takes arguments: fill them from the data, or say there is none
            url = samples.get(name, "")
        if name == "search":
            url += f"?q={SEARCH}"  # the search page with words to find, as its box sends them
        probes.append(Probe(f"{name} {url or '(no record to show)'}", url, download=name.endswith("-csv")))
    return probes


def second_page(client: Client, probe: Probe, timeout: float = 0) -> Probe | None:
    """Return a probe of the page the `rel="next"` link of `probe`'s page leads to, if it has one."""
    response = _get(client, probe.url, timeout)
    if response is None or response.streaming or "html" not in response.get("Content-Type", ""):
        return None
    found = NEXT_LINK.search(response.content.decode())
    if not found:
        return None
    url = _absolute(probe.url, html.unescape(found.group(1)))
    return Probe(f"{probe.label.split()[0]} page 2 {url}", url)


def _absolute(page: str, href: str) -> str:
    return page.split("?")[0] + href if href.startswith("?") else href


def admin_probes(user, client: Client, timeout: float = 0) -> list[Probe]:
    """Return the probes of every registered admin model: page 1, last page, search, filters, sorts, change, add."""
    probes = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin {opts.app_label}.{opts.model_name}"
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        probes.append(Probe(f"{name} page 1", url, admin=True))
        request = RequestFactory().get(url)
        request.user, request.resolver_match = user, resolve(url)
        cl = model_admin.get_changelist_instance(request)
        page = _get(client, url, timeout)
        end = END_LINK.search(page.content.decode()) if page is not None else None
        last = _absolute(url, html.unescape(end.group(1))) if end else f"{url}?p={max(cl.paginator.num_pages, 1)}"
        probes.append(Probe(f"{name} last page", last, admin=True, target_ms=DEEP_TARGET_MS))
        if model_admin.get_search_fields(request):
            probes.append(Probe(f"{name} search", f"{url}?q={SEARCH}", admin=True))
        for spec in cl.filter_specs:
            choice = next((c for c in spec.choices(cl) if not c["selected"] and c["query_string"] != "?"), None)
            if choice:
                probes.append(Probe(f"{name} filter {spec.title}", url + choice["query_string"], admin=True))
        for index, field in enumerate(cl.list_display):
            if cl.get_ordering_field(field) is not None:
                for sign in ("", "-"):
                    probes.append(Probe(f"{name} sort {sign}{field}", f"{url}?o={sign}{index}", admin=True))
        if first := cl.result_list[:1]:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first[0].pk])
            probes.append(Probe(f"{name} change page", change, admin=True))
        if model_admin.has_add_permission(request):
            probes.append(
                Probe(f"{name} add page", reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), admin=True)
            )
    return probes


TIMED_OUT = 0  # the status of a page that ran out of time


class _Late(Exception):
    """The page took longer than it was given."""


def _alarm(signum, frame):
    raise _Late


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    # A wall-clock limit on the whole request (queries and rendering alike), so that one page that takes minutes
    # cannot hold up the table; the database is told too, so that it stops the query rather than finish it alone.
    connection.ensure_connection()
    if connection.vendor == "postgresql":  # set every time: 0, no limit, undoes an earlier request's
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
    if not seconds:
        yield
        return
    if connection.vendor == "sqlite":
        deadline = time.monotonic() + seconds
        connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if connection.vendor == "sqlite" and connection.connection is not None:
            connection.connection.set_progress_handler(None, 0)


def _get(client: Client, url: str, timeout: float = 0, first_bytes: int = 0):
    """Return the response to GET `url` read to its end (or its first bytes), or None if it ran out of time."""
    caches[settings.COALITION_PAGE_CACHE].clear()  # uncached: every request renders the page afresh
    try:
        with _deadline(timeout):
            response = client.get(url)
            if response.streaming:
                read = 0
                for chunk in response.streaming_content:
                    read += len(chunk)
                    # Left midway, a download lets go of its cursor when closed. Not inside a transaction (as in
                    # tests): there a COPY cut off would abort it, and closing would drop the connection.
                    if first_bytes and read >= first_bytes and not connection.in_atomic_block:
                        response.close()
                        break
            return response
    except (DatabaseError, _Late):
        connection.close()  # a query cut off midway leaves the connection unusable
        return None


def _fetch(client: Client, url: str, timeout: float = 0, first_bytes: int = 0) -> int:
    response = _get(client, url, timeout, first_bytes)
    return response.status_code if response is not None else TIMED_OUT


def measure(client: Client, probe: Probe, runs: int, timeout: float = 0, memory: bool = True) -> Measurement:
    """Time `probe` `runs` times (median), count its queries, then (if `memory`) measure its peak memory in a pass of
    its own."""
    whole_timeout = 0 if probe.download else timeout  # a whole download takes what it takes
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        status = _fetch(client, probe.url, whole_timeout)
    elapsed = (time.perf_counter() - started) * 1000
    # The page's own queries (the log empties at every request), not the benchmark's time limit.
    count = sum(not query["sql"].startswith("SET statement_timeout") for query in queries)
    if status == TIMED_OUT:
        return Measurement(probe, status, elapsed, count, None)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _fetch(client, probe.url, timeout, FIRST_BYTES if probe.download else 0)
        times.append((time.perf_counter() - started) * 1000)
    peak_mb = _peak_mb(client, probe.url, whole_timeout) if memory else None
    return Measurement(probe, status, statistics.median(times), count, peak_mb, elapsed if probe.download else None)


def _peak_mb(client: Client, url: str, timeout: float) -> float:
    # tracemalloc slows every allocation: this pass takes several times as long as the others together.
    tracemalloc.start()
    try:
        _fetch(client, url, timeout)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def benchmark_user():
    """Return the superuser the admin pages are measured as, made (without a usable password) if missing."""
    user, created = get_user_model().objects.get_or_create(
        username=USER, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def row_counts() -> dict[str, int]:
    """Return {model name: rows} for every coalition model but the history tables."""
    models = [m for m in apps.get_app_config("coalition").get_models() if not m.__name__.startswith("Historical")]
    return {m.__name__: m._base_manager.count() for m in models}


PARTS = ("all", "public", "admin")  # which pages a run measures


def run(
    *,
    runs: int = 3,
    only: str = "",
    part: str = "all",
    timeout: float = 0,
    memory: bool = True,
    report: Callable[[Measurement], None] = print,
) -> list[Measurement]:
    """Measure every probe of `part` whose label or address contains `only` (peak memory too if `memory`), reporting
    each as it is measured."""
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # A page cut off by --timeout is logged as a server error with its traceback; the table says it already.
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        return _run(runs, only, part, timeout, memory, report, hosts)
    finally:
        quiet.level = level


def _run(runs, only, part, timeout, memory, report, hosts) -> list[Measurement]:
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False):
        client = Client()
        user = benchmark_user()
        client.force_login(user)

        def wanted(probe: Probe) -> bool:
            return not only or only in probe.label or only in probe.url

        probes = []
        if part in ("all", "public"):
            public = public_probes()
            seconds = [second for probe in public if probe.url and (second := second_page(client, probe, timeout))]
            probes += [*public, *seconds]
        if part in ("all", "admin"):
            probes += admin_probes(user, client, timeout)
        measured = []
        for probe in probes:
            if wanted(probe):
                measured.append(
                    measure(client, probe, runs, timeout, memory) if probe.url else Measurement(probe, 404, 0, 0, None)
                )
                report(measured[-1])
        return measured


def table_header(runs: int) -> str:
    """Return the table's heading lines."""
    return (
        f"page | ms (median of {runs}, uncached: the page cache is cleared before every request; a CSV to its first "
        f"{FIRST_BYTES // 1024} KB) | queries | peak MB | over target ({TARGET_MS} ms, {DEEP_TARGET_MS} ms for admin "
        "last pages) | whole CSV s\n" + "--- | ---: | ---: | ---: | --- | ---:"
    )


def table_row(m: Measurement) -> str:
    """Return one measurement as a table row."""
    status = "" if m.status == 200 else " (timed out)" if m.status == TIMED_OUT else f" (status {m.status})"
    whole = f"{m.whole_ms / 1000:.1f}" if m.whole_ms is not None else ""
    peak = f"{m.peak_mb:.1f}" if m.peak_mb is not None else ""
    return f"{m.probe.label}{status} | {m.ms:.1f} | {m.queries} | {peak} | {'OVER' if m.over else ''} | {whole}"
