"""The public CSVs as a Frictionless Data Package, described field by field from the public vocabulary."""

import json
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from . import exports
from .aggregates import data_state
from .vocabulary import TABLES, Column, PublicTable

DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True}
NOTE = (
    "A cell that a spreadsheet would run as a formula (starting with =, +, -, @) is written with a leading "
    "apostrophe. Empty cells are missing values."
)


def field(column: Column) -> dict:
    """Return the Table Schema field of `column`: its type, description, constraints and code labels."""
    described = {"name": column.name, "type": column.type, "description": column.description}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.codes:
        constraints["enum"] = column.code_values
        described["categories"] = [{"value": code, "label": label} for code, label in column.codes]
    if column.type == "integer" and column.name != "id":
        constraints["minimum"] = 0
    if constraints:
        described["constraints"] = constraints
    return described


def schema(table: PublicTable) -> dict:
    """Return the Table Schema of `table`: its fields, primary key and foreign keys."""
    described = {"fields": [field(column) for column in table.columns], "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        described["foreignKeys"] = [
            {"fields": list(key.fields), "reference": {"resource": key.table, "fields": list(key.to_fields)}}
            for key in table.foreign_keys
        ]
    return described


TITLE = "coalition: commitments, refusals, statements and their sources at diplomatic summits"
CITATION = (
    "coalition: commitments, refusals, statements and their sources at diplomatic summits, data version {version} "
    "({created:%Y-%m-%d}). Cite a record by its table and id (e.g. commitments.id), and a quote by its citation id "
    "and its source's file name."
)


def descriptor(*, path_for: Callable[[str], str] = lambda name: f"{name}.csv") -> dict:
    """Return the Data Package descriptor; `path_for` gives each resource's path or URL.

    Its `version` is the data version (one more with every write to the public data) and `created` is when the
    data last changed, so a descriptor names exactly the data it describes.
    """
    state = data_state()
    created = state.changed_at or timezone.now()
    return {
        # Version 2 of the standard, whose Table Schema has `categories` (each code's label).
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "coalition",
        "title": TITLE,
        "description": "Every commitment and statement is linked to the exact quote in the news article that "
        "reports it (citations). " + NOTE,
        "version": str(state.version),
        "created": created.isoformat(timespec="seconds"),
        # The Data Package standard has no citation property; this is Dublin Core's term, as other packages use.
        "bibliographicCitation": CITATION.format(version=state.version, created=created),
        "resources": [
            {
                "type": "table",
                "name": name,
                "title": table.title,
                "description": table.description,
                "path": path_for(name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": DIALECT,
                "schema": schema(table),
            }
            for name, table in TABLES.items()
        ],
    }


def write_package(directory: Path) -> dict[str, int]:
    """Write each table's CSV and datapackage.json into `directory`; return the rows written per table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table in TABLES.items():
        with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
            for chunk in exports.stream_csv(table.model.objects.all(), exports.csv_columns(table)):
                out.write(chunk)
        written[name] = table.model.objects.count()
    (directory / "datapackage.json").write_text(json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n")
    return written
