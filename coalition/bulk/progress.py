"""Progress bars for long work: rows done, total and an estimate of the time left, on a terminal only."""

import sys

from tqdm import tqdm


def progress(total: int | None, *, desc: str, unit: str = "rows", file=None, disable: bool | None = None) -> tqdm:
    """Return a tqdm bar on stderr counting `unit` up to `total`, silent unless that stream is a terminal.

    Use it as a context manager and call `bar.update(n)` after each batch of n rows; `total=None` counts without an
    estimate. `disable=None` (the default) shows the bar only on a terminal, so scripts and logs stay quiet;
    `file` and `disable=False` force it onto another stream.
    """
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=False,
        file=file if file is not None else sys.stderr,
        disable=disable,
        dynamic_ncols=True,
        leave=False,
    )
