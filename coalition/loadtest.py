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
from urllib.parse import urlsplit

from .pagebench import public_probes

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


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


def load_page(url: str, path: str, *, duration: int, connections: int) -> Load:
    """Run locust against `url` + `path` for `duration` seconds with `connections` clients and read its stats."""
    with tempfile.TemporaryDirectory() as directory:
        statistics = Path(directory) / "stats.csv"
        command = [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
            "--users", str(connections), "--spawn-rate", str(connections), "--run-time", f"{duration}s",
            "--host", url, "--loglevel", "ERROR", "--exit-code-on-error", "0",
        ]  # fmt: skip
        env = {**os.environ, "COALITION_LOADTEST_PATH": path, "COALITION_LOADTEST_CSV": str(statistics)}
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=duration + 60)
        with open(statistics, newline="") as stats:
            row = next((r for r in csv.DictReader(stats) if r["Name"] == path), None)
    if row is None:
        return Load(path, 0, 0, 0.0, 0.0, 0.0)
    return Load(
        path,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        per_second=_number(row["Requests/s"]),
        p50_ms=_number(row["50%"]),
        p99_ms=_number(row["99%"]),
    )
