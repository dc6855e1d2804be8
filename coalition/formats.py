"""File formats for the admin's import and export: CSV and XLSX made safe for spreadsheets, and JSON."""

import tablib
from import_export.formats import base_formats

from .spreadsheet import neutralise, restore


def _map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    """Return a copy of `dataset` with `function` applied to every cell, headers and title kept."""
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append(tuple(function(cell) for cell in row))
    return mapped


class SpreadsheetSafeMixin:
    """Exports cells that would run as formulas with a leading apostrophe, and reads them back unescaped."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, neutralise), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), restore)


class CSV(SpreadsheetSafeMixin, base_formats.CSV):
    pass


class XLSX(SpreadsheetSafeMixin, base_formats.XLSX):
    pass


class JSON(base_formats.JSON):
    """JSON is not opened by spreadsheets, so its values are exported exactly."""


FORMATS = [CSV, XLSX, JSON]
