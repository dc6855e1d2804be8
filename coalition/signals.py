"""Receivers that keep derived data right even when records are loaded raw (fixtures), and staff status in step with
group membership."""

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import m2m_changed, post_migrate, pre_migrate, pre_save
from django.dispatch import receiver

from . import aggregates
from .accounts import sync_staff_status
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


@receiver(m2m_changed, sender=get_user_model().groups.through)
def staff_status_follows_groups(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """Give a user staff status when added to a staff group, and take it away when none is left."""
    if not reverse:  # user.groups.add(…), .remove(…), .set(…), .clear(), and the user form
        if action.startswith("post_"):
            sync_staff_status(instance)
        return
    # group.user_set.…: the users are those named, or, for a clear, those the group had just before.
    if action == "pre_clear":
        instance._cleared_user_ids = list(instance.user_set.values_list("pk", flat=True))
    elif action.startswith("post_"):
        ids = pk_set if action != "post_clear" else getattr(instance, "_cleared_user_ids", [])
        for user in get_user_model().objects.filter(pk__in=ids):
            sync_staff_status(user)
