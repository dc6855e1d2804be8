"""File formats for the admin's import and export: CSV and XLSX made safe for spreadsheets, and JSON.

Every format reads strictly (coalition.readers): a file that is cut off, malformed or not UTF-8 is refused
whole with the line, the column and the reason, instead of being read as far as it goes.
"""

import tablib
from import_export.formats import base_formats

from .csvfile import read_csv
from .readers import read_json, read_xlsx
from .spreadsheet import escape


def _map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    """Return a copy of `dataset` with `function` applied to every cell, headers and title kept."""
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append(tuple(function(cell) for cell in row))
    return mapped


class SpreadsheetSafeMixin:
    """Exports cells that would run as formulas with a leading apostrophe (read back without it)."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape), **kwargs)


class ReadsBytesMixin:
    """Read as bytes, so that a byte that is not UTF-8 is reported by line and column, not by position."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class CSV(ReadsBytesMixin, SpreadsheetSafeMixin, base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)


class XLSX(SpreadsheetSafeMixin, base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx(in_stream)


class JSON(ReadsBytesMixin, base_formats.JSON):
    """JSON is not opened by spreadsheets, so its values are exported and imported exactly."""

    def create_dataset(self, in_stream, **kwargs):
        return read_json(in_stream)


FORMATS = [CSV, XLSX, JSON]
