from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("summits/<slug:slug>/", views.summit_detail, name="summit-detail"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments.csv", views.commitments_csv, name="commitments-csv"),
    path("statements/", views.statement_list, name="statement-list"),
    path("statements.csv", views.statements_csv, name="statements-csv"),
    path("citations.csv", views.citations_csv, name="citations-csv"),
    path("countries/", views.country_list, name="country-list"),
    path("countries.csv", views.countries_csv, name="countries-csv"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations.csv", views.organisations_csv, name="organisations-csv"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources.csv", views.sources_csv, name="sources-csv"),
    path("sources/<str:file_name>/", views.source_detail, name="source-detail"),
    path("data/datapackage.json", views.datapackage_json, name="datapackage"),
    path("admin/", admin.site.urls),
]
