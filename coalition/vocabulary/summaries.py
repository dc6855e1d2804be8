"""The stance summaries of the country and organisation lists (/countries.csv, /organisations.csv): their columns.

They are not tables of records (their counts follow the URL filters), so they are not in TABLES; the stance
columns are Commitment.Stance's codes, in order.
"""

from . import Column
from .columns import STANCES

ACTOR_SUMMARY: tuple[Column, ...] = (
    Column(
        "code",
        "string",
        "The country's ISO 3166-1 alpha-2 code, or the organisation's slug.",
        None,
        required=True,
        trusted=True,
    ),
    Column("name", "string", "The country's or organisation's name.", None, required=True),
    *(
        Column(
            code,
            "integer",
            f"How many of its commitments matching the filters have the stance “{label}”.",
            None,
            required=True,
        )
        for code, label in STANCES
    ),
    Column("total", "integer", "How many of its commitments match the filters.", None, required=True),
)
