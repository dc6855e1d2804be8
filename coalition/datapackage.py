"""The public CSVs as a Frictionless Data Package, described field by field from the public vocabulary."""

import json
from collections.abc import Callable
from pathlib import Path

from . import exports
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


def descriptor(*, path_for: Callable[[str], str] = lambda name: f"{name}.csv") -> dict:
    """Return the Data Package descriptor; `path_for` gives each resource's path or URL."""
    return {
        "profile": "tabular-data-package",
        "name": "coalition",
        "title": "coalition: commitments, refusals, statements and their sources at diplomatic summits",
        "description": "Every commitment and statement is linked to the exact quote in the news article that "
        "reports it (citations). " + NOTE,
        "resources": [
            {
                "profile": "tabular-data-resource",
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
