"""Read queries behind the public pages: each returns what one page shows, related rows loaded."""

from .actors import (
    ActorPage,
    CountryRow,
    actor_detail,
    actor_export,
    country_list,
    organisation_list,
)
from .common import FilteredPage, InvalidFilter, commitments_with_counts, download_name
from .records import (
    SourcePage,
    commitment_list,
    source_detail,
    source_list,
    statement_list,
)
from .summits import PositionMatrix, SummitPage, position_matrix, summit_detail, summit_list
from .tables import table_rows

__all__ = [
    "ActorPage", "CountryRow", "FilteredPage", "InvalidFilter", "PositionMatrix", "SourcePage", "SummitPage",
    "actor_detail", "actor_export", "commitment_list", "commitments_with_counts", "country_list", "download_name",
    "organisation_list", "position_matrix", "source_detail", "source_list", "statement_list", "summit_detail",
    "summit_list", "table_rows",
]  # fmt: skip
