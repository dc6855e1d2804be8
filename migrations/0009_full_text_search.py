"""Full-text search: PostgreSQL GIN indexes on the searched text, SQLite FTS5 tables kept in step by triggers."""

from django.db import migrations


def install(apps, schema_editor):
    from coalition.search import schema

    schema.install(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    from coalition.search import schema

    schema.uninstall(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0008_admin_indexes"),
    ]

    # The definitions live in coalition/search, as the stored counts' in coalition/aggregates: after every later
    # migrate the same install() puts them back if a migration took them away (see coalition/signals.py).
    operations = [migrations.RunPython(install, uninstall, elidable=False)]
