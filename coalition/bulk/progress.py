"""Progress bars for long work: rows done, total and an estimate of the time left, on a terminal only."""

import sys

from tqdm import tqdm

# tqdm's bar with the unit after the exact counts: "export_tables:  40%|████      | 23104/57800 rows [00:01<00:02]".
FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}{unit} [{elapsed}<{remaining}]"


def progress(total: int | None, *, desc: str, unit: str = "rows", show: bool | None = None, file=None) -> tqdm:
    """Return a tqdm bar counting `unit` up to `total` on stderr (or `file`), shown only on a terminal.

    Use it as a context manager and call `bar.update(n)` after each batch of n rows; `total=None` counts without an
    estimate. `show=None` (the default) shows the bar only when the stream is a terminal, so scripts and logs stay
    quiet; True shows it anyway, False never.
    """
    return tqdm(
        total=total,
        desc=desc,
        unit=" " + unit,
        bar_format=FORMAT,
        file=file if file is not None else sys.stderr,
        disable=None if show is None else not show,
        dynamic_ncols=True,
        leave=False,
    )
