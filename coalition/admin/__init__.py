"""The editing interface: every model, declaratively, with history and revert."""

from django.contrib import admin

from . import actors, records, sources, summits  # noqa: F401  (registers the model admins)

admin.site.site_header = "coalition — editing"
admin.site.site_title = "coalition editing"
admin.site.index_title = "Summits, commitments and their sources"
