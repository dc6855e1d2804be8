"""Where the site's database is, read without Django: the site's settings and the research layer both ask here."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = BASE_DIR / "db.sqlite3"  # the local database `make run` creates


def database_url() -> str:
    """Return the database's URL: DATABASE_URL from the environment, else the project's SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
