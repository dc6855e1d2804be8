"""Indexes for the public lists' filters and orders (see coalition/selectors); each names the page it serves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0006_aggregates"),
    ]

    operations = [
        # /commitments/?category=…: each summit's commitments of one category, summits in the list's order
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["summit", "category"], name="commitment_summit_category"),
        ),
        # /commitments/?stance=…
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["summit", "stance"], name="commitment_summit_stance"),
        ),
        # /commitments/?status=…
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["summit", "status"], name="commitment_summit_status"),
        ),
        # /countries/XX/: its commitments by category
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["country", "category"], name="commitment_country_category"),
        ),
        # /organisations/<slug>/: its commitments by category
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["organisation", "category"], name="commitment_org_category"),
        ),
        # /countries/: a page of countries' commitments summed by stance, read from the index alone
        migrations.AddIndex(
            model_name="stancetally",
            index=models.Index(fields=["country", "stance", "commitment_count"], name="stancetally_country_sums"),
        ),
        # /organisations/: the same for organisations
        migrations.AddIndex(
            model_name="stancetally",
            index=models.Index(fields=["organisation", "stance", "commitment_count"], name="stancetally_org_sums"),
        ),
        # / (the summits, newest first), and /commitments/, /statements/ (by summit first)
        migrations.AddIndex(
            model_name="summit",
            index=models.Index(fields=["-start_date", "name", "id"], name="summit_list_order"),
        ),
    ]
