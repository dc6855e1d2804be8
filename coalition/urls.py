from django.contrib import admin
from django.urls import path

from . import views
from .api import api
from .caching import public_page
from .vocabulary import TABLES

# Every public page and download is served through the page cache, with ETag and Last-Modified (see caching.py).
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("summits/<slug:slug>/", public_page(views.summit_detail), name="summit-detail"),
    path("commitments/", public_page(views.commitment_list), name="commitment-list"),
    path("statements/", public_page(views.statement_list), name="statement-list"),
    path("countries/", public_page(views.country_list), name="country-list"),
    path("countries.csv", public_page(views.countries_csv), name="countries-csv"),
    path("countries/<str:code>/", public_page(views.country_detail), name="country-detail"),
    path("organisations/", public_page(views.organisation_list), name="organisation-list"),
    path("organisations.csv", public_page(views.organisations_csv), name="organisations-csv"),
    path("organisations/<slug:slug>/", public_page(views.organisation_detail), name="organisation-detail"),
    path("sources/", public_page(views.source_list), name="source-list"),
    path("sources/<str:file_name>/", public_page(views.source_detail), name="source-detail"),
    path("search/", public_page(views.search), name="search"),
    path("data/datapackage.json", public_page(views.datapackage_json), name="datapackage"),
    path("data/coalition.sqlite", public_page(views.coalition_sqlite), name="coalition-sqlite"),
    # Every public table's CSV, e.g. /summits.csv, with the table's URL filters (coalition/vocabulary).
    *(path(f"{name}.csv", public_page(views.table_csv), {"name": name}, name=f"{name}-csv") for name in TABLES),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
