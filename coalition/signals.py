"""Receivers that keep derived data right even when records are loaded raw (fixtures)."""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate, pre_migrate, pre_save
from django.dispatch import receiver

from . import aggregates
from .models import DataVersion, Source
from .search import schema as search_schema


@receiver(pre_save, sender=Source)
def read_seed_text(sender, instance: Source, raw: bool, **kwargs):
    """Fill a source's text from the seeds folder when it is empty, fingerprint it, and refuse to change a cited one.

    Runs for fixtures too (raw saves), so the seed files stay the one copy of the text and no path — form, import,
    fixture or a plain save() — can change the text under its quotes; each raises ValidationError instead.
    """
    instance.fill_text()
    instance.refuse_text_change()


@receiver(pre_migrate)
def remove_count_triggers(sender, app_config, using: str, plan=None, **kwargs):
    """Take the count triggers away before migrations run, so that no migration meets a trigger naming old columns."""
    if app_config.label == "coalition" and plan:
        aggregates.uninstall(using)
        if search_schema.touched_by(plan):
            # The search objects name the searched columns: a migration could meet them, or (SQLite, which
            # rebuilds a table to alter it) leave them naming old columns. install() puts them back after.
            search_schema.uninstall(using)


@receiver(post_migrate)
def install_count_triggers(sender, app_config, using: str, **kwargs):
    """Put the triggers that keep the stored counts right in place after every migrate (and recount if they changed).

    After migrate rather than in a migration, so that the one definition in coalition/aggregates always matches
    the schema it runs on; nothing is done for a database migrated back to before the counts existed.
    """
    if app_config.label != "coalition":
        return
    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        aggregates.install(using)
    else:
        aggregates.uninstall(using)


@receiver(post_migrate)
def install_search_indexes(sender, app_config, using: str, **kwargs):
    """Put the full-text search indexes back after every migrate, once their migration has been applied."""
    if app_config.label != "coalition":
        return
    applied = MigrationRecorder(connections[using]).applied_migrations()
    if ("coalition", "0009_full_text_search") in applied:
        search_schema.install(using)
