"""The published SQLite file of the public data (/data/coalition.sqlite): built from the site's database through the
read-only research layer, kept until the data changes, and built once however many requests ask at a time."""

import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from sqlalchemy import Engine, create_engine, event

from . import aggregates
from .research import read_only_engine
from .research.publication import build_sqlite

FILE_PREFIX = "coalition-"


def _in_process_engine(name: str) -> Engine:
    """Return a read-only engine on the shared-cache in-memory SQLite database `name` of this process."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(name, uri=True, check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = ON")
        # The site's own connection may be inside a transaction: read what it wrote instead of waiting for it.
        dbapi_connection.execute("PRAGMA read_uncommitted = ON")

    return engine


def site_engine(using: str = DEFAULT_DB_ALIAS) -> Engine:
    """Return a read-only engine on the site's database `using`."""
    wrapper = connections[using]
    if wrapper.vendor == "sqlite" and wrapper.is_in_memory_db():
        # An in-memory database (as under test) exists only inside this process: no file to open.
        return _in_process_engine(wrapper.settings_dict["NAME"])
    return read_only_engine(wrapper.settings_dict)


def write_sqlite(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write the published file to `output`, replacing it at once when complete; return the rows per table."""
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    # Beside the output, so that the rename is atomic: a reader sees the old file or the new, never half of one.
    handle, partial = tempfile.mkstemp(dir=output.parent, prefix=".", suffix=".partial")
    os.close(handle)
    engine = site_engine(using)
    try:
        counts = build_sqlite(engine, Path(partial))
        os.replace(partial, output)
    finally:
        engine.dispose()
        Path(partial).unlink(missing_ok=True)
    return counts


def folder() -> Path:
    """Return the folder the published files are kept in, created if missing."""
    path = Path(settings.COALITION_PUBLISHED_DIR).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """Hold the folder's lock, across processes, while the block runs."""
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def published_sqlite(*, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Return the published file of the data as it is now, building it first if the data changed since the last."""
    # Read before the copy: if a write comes in between, the file is newer than its name says, and the next
    # request (seeing the newer version) builds it again; never older.
    token = aggregates.data_state(using).token
    directory = folder()
    current = directory / f"{FILE_PREFIX}{hashlib.sha256(token.encode()).hexdigest()[:16]}.sqlite"
    if current.is_file():
        return current
    with _exclusive(directory):
        if not current.is_file():  # another request may have built it while this one waited
            write_sqlite(current, using=using)
            for old in directory.glob(f"{FILE_PREFIX}*.sqlite"):
                if old != current:
                    old.unlink(missing_ok=True)  # a download still reading it keeps its open file
    return current
