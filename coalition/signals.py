"""Receivers that keep derived data right even when records are loaded raw (fixtures)."""

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate, pre_save
from django.dispatch import receiver

from . import aggregates
from .models import DataVersion, Source


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
