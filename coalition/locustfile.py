"""The load locust puts on the public pages: every simulated client asks for the current page again as soon as it
has the answer, and the pages take their turn, each for the same number of seconds.

Run by `python manage.py loadtest` in a process of its own (locust needs gevent's patched sockets, Django does
not get them). The pages' addresses come in COALITION_LOADTEST_PATHS (one a line), the seconds each is loaded in
COALITION_LOADTEST_SECONDS, the clients in COALITION_LOADTEST_CONNECTIONS; the final statistics are written as CSV
to COALITION_LOADTEST_CSV.
"""

import csv
import os
import time

from locust import FastHttpUser, LoadTestShape, constant, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

PATHS = os.environ.get("COALITION_LOADTEST_PATHS", "/").splitlines()
SECONDS = float(os.environ.get("COALITION_LOADTEST_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("COALITION_LOADTEST_CONNECTIONS", "20"))


class PageAfterPage(LoadTestShape):
    """Every client from the start, on each page in turn for SECONDS; the run ends after the last page's turn."""

    def path(self) -> str | None:
        """Return the page whose turn it is, or None once every page has had its turn."""
        turn = int(self.get_run_time() // SECONDS)
        return PATHS[turn] if turn < len(PATHS) else None

    def tick(self):
        # The clients are started all at once (a rate far above their number), so that the first page does not
        # share its turn with the ramp-up.
        return (CONNECTIONS, CONNECTIONS * 100) if self.path() is not None else None


class Reader(FastHttpUser):
    """A client reading the current page over and over, with no pause in between."""

    wait_time = constant(0)

    @task
    def read(self):
        path = self.environment.shape_class.path()
        if path is None:  # the run ends at the shape's next tick (once a second): nothing is asked meanwhile
            time.sleep(0.1)
            return
        self.client.get(path, name=path)


@events.quitting.add_listener
def write_statistics(environment, **kwargs):
    # The file `--csv` names is rewritten once a second while the test runs, not when it ends, so it misses up to
    # the last second; the same table is written here once every request has been counted.
    if target := os.environ.get("COALITION_LOADTEST_CSV"):
        with open(target, "w", newline="") as stream:
            StatsCSV(environment, PERCENTILES_TO_REPORT).requests_csv(csv.writer(stream))
