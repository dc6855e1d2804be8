"""Backing up every coalition record, its history, the users and the admin log to one file, and restoring it.

Rows keep their database ids, so that history rows still point at their records; content types and permissions
go by natural key, because their ids differ between databases. The file itself is coalition.backupfile's.
"""

import datetime
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers import base, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .backupfile import BackupError, backup_writer, read_backup
from .bulk.progress import progress as progress_bar
from .bulk.snapshot import one_moment
from .models import DERIVED_MODELS, Country
from .verification import verify_citations

# The apps whose tables (or, for content types, whose keys) a backup holds; their migrations must match.
MIGRATED_APPS = ("contenttypes", "auth", "admin", "coalition")
EMPTY_IT = (
    "Restore into a new database after “manage.py migrate”, or empty this one first with “manage.py flush” "
    "(which deletes every row)."
)
# What migrations put into a new database: a restore replaces it with the backup's (groups have no members in
# a database without users). Anything else in the database would clash with the backup or be mixed into it.
# In deleting order: the group links before the groups.
REPLACED = (Group.permissions.through, Group, Country)


def backed_up_models() -> list:
    """Return the models whose rows a backup holds, in the order they are written and restored."""
    User = get_user_model()
    LogEntry = apps.get_model("admin", "LogEntry")
    return [
        Group,
        Group.permissions.through,
        User,
        User.groups.through,
        User.user_permissions.through,
        # Every coalition table: records, many-to-many links and the history tables.
        *(m for m in apps.get_app_config("coalition").get_models(include_auto_created=True) if m not in DERIVED_MODELS),
        LogEntry,
    ]


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """Return the latest applied migration of each app a backup depends on, e.g. {"coalition": "0003_groups"}."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    state = {}
    for app in MIGRATED_APPS:
        applied = [key for key in loader.applied_migrations if key[0] == app and key in loader.graph.nodes]
        if applied:
            state[app] = max(applied, key=lambda key: len(loader.graph.forwards_plan(key)))[1]
    return state


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping microseconds, which it rounds away from times and datetimes."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(python.Serializer):
    """Django's serializer writing one JSON line per row, with natural keys only for content types and permissions.

    Many-to-many fields are left out: their link tables are backed up as tables of their own, ids included.
    """

    def __init__(self, natural_keys: dict, bar):
        self.natural_keys = natural_keys  # {model: {pk: natural key}}
        self.bar = bar

    def handle_fk_field(self, obj, field):
        keys = self.natural_keys.get(field.related_model)
        if keys is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else keys[value]

    def handle_m2m_field(self, obj, field):
        pass

    def end_object(self, obj):
        line = json.dumps(self.get_dump_object(obj), cls=_ExactEncoder, ensure_ascii=False, separators=(",", ":"))
        self.stream.write(line + "\n")
        self._current = None
        self.bar.update()


def _natural_keys(using: str) -> dict:
    permissions = Permission.objects.using(using).select_related("content_type")
    return {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.using(using)},
        Permission: {permission.pk: permission.natural_key() for permission in permissions},
    }


def write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: bool | None = None) -> dict[str, int]:
    """Write a backup of the database to `path` (gzip when it ends in .gz); return the rows written per table.

    `progress` shows a bar of the rows written: None on a terminal only, True always, False never.
    """
    path = Path(path)
    models = backed_up_models()
    # Every table and the counts come from the same moment.
    with one_moment(using):
        counts = {model._meta.db_table: model._base_manager.using(using).count() for model in models}
        header = {"created": timezone.now().isoformat(), "migrations": migration_state(using), "counts": counts}
        with (
            backup_writer(path, header) as out,
            progress_bar(sum(counts.values()), desc="backup", show=progress) as bar,
        ):
            serializer = _RowSerializer(_natural_keys(using), bar)
            for model in models:
                serializer.serialize(model._base_manager.using(using).order_by("pk").iterator(2000), stream=out)
    return counts


def check_backup(path: Path) -> dict:
    """Read the whole backup at `path` and return its header; raise BackupError unless it is intact and complete."""
    known = {model._meta.label_lower: model._meta.db_table for model in backed_up_models()}
    found = Counter()
    header = None
    for number, value in read_backup(path):
        if header is None:
            header = value
        elif value.get("model") in known:
            found[known[value["model"]]] += 1
        else:
            raise BackupError(f"{path}, line {number}: a row of {value.get('model')!r}, a table backups leave out.")
    counts = header.get("counts")
    if not isinstance(counts, dict) or {table: n for table, n in counts.items() if n} != dict(found):
        raise BackupError(f"{path} does not hold the rows its header counts; it cannot be restored.")
    return header


def _check_migrations(header: dict, path: Path, using: str) -> None:
    backup, here = header.get("migrations", {}), migration_state(using)
    if backup != here:
        differ = sorted(app for app in set(backup) | set(here) if backup.get(app) != here.get(app))
        made = ", ".join(f"{app} {backup.get(app, '(none)')}" for app in differ)
        now = ", ".join(f"{app} {here.get(app, '(none)')}" for app in differ)
        steps = "; ".join(f"manage.py migrate {app} {backup[app]}" for app in differ if app in backup)
        raise BackupError(
            f"{path} was made from a database migrated to {made}; this database is at {now}. "
            f"Migrate this database to the backup's migrations ({steps}), restore, then migrate."
        )


def _check_empty(using: str) -> None:
    full = [
        model._meta.db_table
        for model in backed_up_models()
        if model not in REPLACED and model._base_manager.using(using).exists()
    ]
    if full:
        named = ", ".join(full[:3]) + (f" and {len(full) - 3} more tables" if len(full) > 3 else "")
        raise BackupError(f"This database is not empty: {named} hold rows. {EMPTY_IT}")


class _Rows:
    """The rows of a backup, remembering the line of the one being restored, for messages."""

    def __init__(self, path: Path):
        self.path = path
        self.line = 1

    def __iter__(self) -> Iterator[dict]:
        for line, value in read_backup(self.path):
            self.line = line
            if line > 1:
                yield value


def restore_backup(
    path: Path, *, dry_run: bool = False, using: str = DEFAULT_DB_ALIAS, progress: bool | None = None
) -> dict[str, int]:
    """Restore the backup at `path` into this empty, migrated database in one transaction; return rows per table.

    `progress` shows a bar of the rows restored: None on a terminal only, True always, False never.
    """
    path = Path(path)
    connection = connections[using]
    ContentType.objects.clear_cache()  # the ids of content types may have changed since they were cached
    header = check_backup(path)
    models = backed_up_models()
    tables = [model._meta.db_table for model in models]
    created = Counter()
    rows = _Rows(path)
    with transaction.atomic(using=using):
        _check_migrations(header, path, using)
        _check_empty(using)
        try:
            # Plain DELETEs: deleting through the ORM would write history rows for the countries.
            with connection.cursor() as cursor:
                for model in REPLACED:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            total = sum(n for n in header["counts"].values() if isinstance(n, int))
            with (
                connection.constraint_checks_disabled(),
                progress_bar(total, desc="restore", show=progress) as bar,
            ):
                for row in python.Deserializer(rows, using=using):
                    row.save(using=using, force_insert=True)
                    created[row.object._meta.db_table] += 1
                    bar.update()
        except (base.DeserializationError, DatabaseError, ValidationError, ValueError, TypeError, KeyError) as error:
            raise BackupError(f"{path}, line {rows.line}: this row cannot be restored: {error}") from None
        try:
            connection.check_constraints(table_names=tables)
        except DatabaseError as error:
            raise BackupError(f"{path} cannot be restored: its rows do not fit together: {error}") from None
        # The checksum finds damage, not a deliberate edit that recomputes it: every quote must still stand in
        # its source, and every source's text match its fingerprint, as verify_quotes checks them.
        report = verify_citations()
        if not report.ok:
            problems = [*report.source_problems, *map(str, report.failures)]
            raise BackupError(
                f"{path} cannot be restored: {len(problems)} problem(s) with its quotes, e.g. {problems[0]}"
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            # As loaddata does: the next record added gets an id after the restored ones.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    return {table: created[table] for table in tables if created[table]}
