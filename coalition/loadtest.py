"""Load on each public page: locust, in a subprocess, with a fixed number of clients for a fixed time per page.

Run through `python manage.py loadtest`. Only loopback addresses are accepted: it is for measuring a server on this
machine, not for loading anybody else's.
"""

import csv
import ipaddress
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import urlopen

from .pagebench import public_probes

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
WARM_TIMEOUT = 60  # seconds a page may take to answer its first request


class NotLoopback(ValueError):
    """The address is not on this machine's loopback interface."""


def check_loopback(url: str) -> str:
    """Return `url` without a trailing slash, or raise NotLoopback if its host is not a loopback address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in {"http", "https"} or not loopback:
        raise NotLoopback(f"{url} is not a loopback address (127.0.0.0/8, ::1 or localhost): refused.")
    return url.rstrip("/")


@dataclass(frozen=True)
class Load:
    """What locust measured on one page."""

    path: str
    requests: int
    failures: int
    per_second: float
    p50_ms: float
    p99_ms: float


def page_paths(only: str = "") -> list[str]:
    """Return the address of every public page (as benchmark_pages finds them) containing `only`."""
    return [p.url for p in public_probes() if p.url and (not only or only in p.label or only in p.url)]


def _number(value: str) -> float:
    return float(value) if value not in {"", "N/A"} else 0.0


def warm(url: str, path: str) -> int:
    """Ask for `url` + `path` once, read it to its end and return its status (raises URLError if nobody answers)."""
    try:
        with urlopen(url + path, timeout=WARM_TIMEOUT) as response:
            response.read()
            return response.status
    except HTTPError as error:  # an answer all the same: the load shows it as errors
        return error.code


def load_pages(url: str, paths: list[str], *, duration: float, connections: int) -> list[Load]:
    """Load each of `paths` on `url` in turn for `duration` seconds with `connections` clients; return what locust saw.

    Each page is asked for once beforehand, outside the figures: a page's first request builds what the later ones
    reuse (the page cache, the published file), and a turn of a second must not be spent waiting for it.
    """
    for path in paths:
        warm(url, path)
    with tempfile.TemporaryDirectory() as directory:
        statistics = Path(directory) / "stats.csv"
        command = [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
            "--host", url, "--loglevel", "ERROR", "--exit-code-on-error", "0",
        ]  # fmt: skip
        env = {
            **os.environ,
            "COALITION_LOADTEST_PATHS": "\n".join(paths),
            "COALITION_LOADTEST_SECONDS": str(duration),
            "COALITION_LOADTEST_CONNECTIONS": str(connections),
            "COALITION_LOADTEST_CSV": str(statistics),
        }
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=duration * len(paths) + 60)
        with open(statistics, newline="") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return [_load(path, rows.get(path), duration) for path in paths]


def _load(path: str, row: dict | None, duration: float) -> Load:
    if row is None:  # not one request answered in the page's turn
        return Load(path, 0, 0, 0.0, 0.0, 0.0)
    return Load(
        path,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        # Over the page's own turn: locust's figure divides by the time since the whole run began.
        per_second=int(row["Request Count"]) / duration,
        p50_ms=_number(row["50%"]),
        p99_ms=_number(row["99%"]),
    )
