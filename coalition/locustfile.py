"""The load locust puts on one page: every simulated client asks for it again as soon as it has the answer.

Run by `python manage.py loadtest` in a process of its own (locust needs gevent's patched sockets, Django does
not get them); the page's address comes in COALITION_LOADTEST_PATH, and the final statistics are written as CSV to
COALITION_LOADTEST_CSV.
"""

import csv
import os

from locust import FastHttpUser, constant, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

PATH = os.environ.get("COALITION_LOADTEST_PATH", "/")


class Reader(FastHttpUser):
    """A client reading one public page over and over, with no pause in between."""

    wait_time = constant(0)

    @task
    def read(self):
        self.client.get(PATH, name=PATH)


@events.quitting.add_listener
def write_statistics(environment, **kwargs):
    # The file `--csv` names is rewritten once a second while the test runs, not when it ends, so it misses up to
    # the last second; the same table is written here once every request has been counted.
    if target := os.environ.get("COALITION_LOADTEST_CSV"):
        with open(target, "w", newline="") as stream:
            StatsCSV(environment, PERCENTILES_TO_REPORT).requests_csv(csv.writer(stream))
