"""The database's own CSV loader on a file, into a scratch table of its columns: the rate nothing in Python beats."""

import csv
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

SCRATCH = "benchmark_loaded_csv"


@dataclass
class Loaded:
    """How the file was loaded, and in how many seconds."""

    method: str
    seconds: float
    rows: int
    in_process: bool = True  # False: another program loaded it, so this process's memory says nothing of it


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as file:
        return next(csv.reader(file))


def _create_scratch(columns: list[str], *, temporary: bool) -> None:
    names = ", ".join(f"{connection.ops.quote_name(column)} text" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE {'TEMP ' if temporary else ''}TABLE {SCRATCH} ({names})")


def _drop_scratch() -> int:
    """Drop the scratch table; return how many rows it held."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {SCRATCH}")
        (rows,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return rows


def _copy(path: Path) -> Loaded:
    _create_scratch(_header(path), temporary=True)
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        open(path, "rb") as file,
        cursor.cursor.copy(f"COPY {SCRATCH} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
    ):
        while block := file.read(1 << 20):
            copy.write(block)
    seconds = time.perf_counter() - started
    return Loaded("COPY … FROM STDIN (PostgreSQL)", seconds, _drop_scratch())


def _sqlite_shell(binary: str, path: Path) -> Loaded:
    _create_scratch(_header(path), temporary=False)  # the shell is another connection: a temporary table is not
    connection.close()  # … and the file is the shell's alone while it writes
    script = f".import --csv --skip 1 '{path}' {SCRATCH}\n"
    started = time.perf_counter()
    shell = subprocess.run(
        [binary, "-bail", str(connection.settings_dict["NAME"])], input=script.encode(), capture_output=True
    )
    seconds = time.perf_counter() - started
    if shell.returncode:
        raise RuntimeError(f"sqlite3 .import of {path} failed: {shell.stderr.decode(errors='replace').strip()}")
    return Loaded("sqlite3 shell .import", seconds, _drop_scratch(), in_process=False)


def _executemany(path: Path) -> Loaded:
    columns = _header(path)
    _create_scratch(columns, temporary=True)
    insert = f"INSERT INTO {SCRATCH} VALUES ({', '.join(['%s'] * len(columns))})"
    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as file, connection.cursor() as cursor:
        rows = csv.reader(file)
        next(rows)
        cursor.executemany(insert, rows)
    seconds = time.perf_counter() - started
    return Loaded("executemany INSERT (the sqlite3 program is not installed)", seconds, _drop_scratch())


def load_csv(path: Path) -> Loaded:
    """Load the CSV file at `path` with the database's own loader into a scratch table of its columns, timed."""
    if connection.vendor == "postgresql":
        return _copy(path)
    binary = shutil.which("sqlite3")
    return _sqlite_shell(binary, path) if binary else _executemany(path)
