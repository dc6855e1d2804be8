"""The process's peak memory (resident set) during one step, measured by the kernel without slowing the step."""

import resource
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Peak:
    """Peak resident memory during a step, and how far it rose above the memory in use before it (bytes)."""

    peak: int | None = None
    growth: int | None = None


def _status(field: str) -> int | None:
    """Return a “kB” field of /proc/self/status (VmRSS, VmHWM) in bytes, or None where there is none."""
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak (VmHWM) to the memory in use now; return False where that cannot be done."""
    try:
        CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _max_rss() -> int:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS; it is the peak since the process started.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


@contextmanager
def peak_memory():
    """Measure the peak resident memory of the block: yields a Peak, filled in when the block ends.

    On Linux the kernel's high-water mark is reset before the block and read after it; elsewhere the peak is the
    process's since it started (so a step is only seen if it goes above every step before it).
    """
    measured = Peak()
    reset = _reset_peak()
    before = _status("VmRSS") if reset else _max_rss()
    yield measured
    measured.peak = (_status("VmHWM") if reset else None) or _max_rss()
    measured.growth = max(0, measured.peak - before) if before is not None else None
