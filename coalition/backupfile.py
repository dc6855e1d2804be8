"""The backup file: JSON Lines between a header and a checksum, gzip-compressed when its name ends in “.gz”.

The first line is the header (format, version and what the writer adds), then one line per row, then a line with
the SHA-256 of every byte before it, so that a cut-off or edited file is refused before anything is restored.
"""

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

FORMAT = "coalition-backup"
VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"
# A header is a few kilobytes; reading no more keeps a large file that is not a backup cheap to refuse.
HEADER_LIMIT = 1024 * 1024


class BackupError(Exception):
    """Raised when a file cannot be backed up to or restored from, or the database cannot take it; says why."""


class DigestWriter:
    """Writes text as UTF-8 to a binary file, keeping the SHA-256 of everything written."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def write(self, text: str):
        data = text.encode("utf-8")
        self.sha256.update(data)
        self.raw.write(data)


@contextmanager
def backup_writer(path: Path, header: dict) -> Iterator[DigestWriter]:
    """Write the header to `path`, yield a writer for the rows, then add the checksum; leave no partial file."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        # Readable by its owner only, as it holds the users' password hashes (a new file, so the mode applies).
        partial.unlink(missing_ok=True)
        with (
            open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file,
            gzip.GzipFile(fileobj=file, mode="wb") if path.name.endswith(".gz") else nullcontext(file) as raw,
        ):
            out = DigestWriter(raw)
            out.write(json.dumps({"format": FORMAT, "version": VERSION, **header}, ensure_ascii=False) + "\n")
            yield out
            raw.write((json.dumps({"sha256": out.sha256.hexdigest()}) + "\n").encode("utf-8"))
        partial.replace(path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _lines(path: Path) -> Iterator[bytes]:
    """Yield the lines of the file at `path`, decompressing it if it is gzip; raise BackupError if unreadable."""
    try:
        raw = open(path, "rb")
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from None
    with raw:
        try:
            # Known by its first bytes rather than its name, so that a renamed backup still restores.
            compressed = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            first = stream.readline(HEADER_LIMIT)
            if first:
                yield first
                yield from stream
        except (EOFError, OSError, zlib.error) as error:
            raise BackupError(f"{path} is cut off or damaged ({error}); it cannot be restored.") from None


def _parse(path: Path, number: int, line: bytes) -> dict:
    if not line.endswith(b"\n"):
        raise BackupError(f"{path} is cut off: line {number} ends early. It cannot be restored.")
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if not isinstance(value, dict) or (number == 1 and value.get("format") != FORMAT):
        if number == 1:
            raise BackupError(f"{path} is not a coalition backup (its first line is not a backup header).")
        raise BackupError(f"{path}, line {number}: not a row of a backup; the file is damaged.")
    return value


def read_backup(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (1, header), then (line number, row) for every row; raise BackupError if the file is not intact.

    The checksum is only checked at the end, so whoever writes the rows somewhere must do it in a transaction.
    """
    path = Path(path)
    lines = _lines(path)
    digest = hashlib.sha256()
    number = 0
    for number, line in enumerate(lines, start=1):
        value = _parse(path, number, line)
        if number == 1 and value.get("version") != VERSION:
            raise BackupError(
                f"{path} is a backup of format version {value.get('version')!r}; "
                f"this version of coalition restores format version {VERSION} only."
            )
        if number > 1 and "sha256" in value and "model" not in value:
            if value["sha256"] != digest.hexdigest():
                raise BackupError(
                    f"{path} has been changed since it was written: its checksum (line {number}) does not match "
                    "its contents. It cannot be restored."
                )
            if next(lines, None) is not None:
                raise BackupError(f"{path} goes on after its checksum (line {number}); it cannot be restored.")
            return
        digest.update(line)
        yield number, value
    if number == 0:
        raise BackupError(f"{path} is empty: it is not a coalition backup.")
    raise BackupError(
        f"{path} is cut off after line {number}: the checksum line that ends every backup is missing. "
        "It cannot be restored."
    )
