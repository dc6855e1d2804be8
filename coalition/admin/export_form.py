"""The admin's export form, without the inline event handler the Content Security Policy blocks."""

from import_export.forms import SelectableFieldsExportForm


class ExportForm(SelectableFieldsExportForm):
    """django-import-export's export form; its "select all" box is wired by a script file (coalition/export.js)."""

    class Media:
        js = ["coalition/export.js"]
