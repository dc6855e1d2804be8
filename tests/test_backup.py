"""The backup and restore commands: a restore gives back every table row for row, and a bad file changes nothing."""

import gzip
import hashlib
import json
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from coalition import aggregates, search
from coalition.models import DERIVED_MODELS, Commitment, StanceTally, Summit
from coalition.search import schema as search_schema
from coalition.seed import load_seed_data

from . import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the conftest users' password
# The tables compared row for row besides every coalition table (records, links, history).
AUTH_TABLES = (
    "auth_user",
    "auth_group",
    "auth_user_groups",
    "auth_user_user_permissions",
    "auth_group_permissions",
    "django_admin_log",
)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Real hashes are slow on purpose; a backup carries any hash alike.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    # The tests give content types new ids inside their transaction; later tests must not see them cached.
    yield
    ContentType.objects.clear_cache()


def table_rows() -> dict[str, list[tuple]]:
    """Return every backed-up table's raw rows by primary key; content types and permissions by natural key."""
    with connection.cursor() as cursor:
        content_types = {
            pk: (app, model)
            for pk, app, model in _fetch(cursor, "SELECT id, app_label, model FROM django_content_type")
        }
        permissions = {
            pk: (codename, *content_types[ct])
            for pk, codename, ct in _fetch(cursor, "SELECT id, codename, content_type_id FROM auth_permission")
        }
        by_id = {"content_type_id": content_types, "permission_id": permissions}
        # Not the derived rows (counts, the data version): a restore recounts them, checked below.
        derived = {model._meta.db_table for model in DERIVED_MODELS}
        tables = [t for t in connection.introspection.table_names(cursor) if t.startswith("coalition_")]
        tables = [t for t in tables if t not in derived and t not in search_schema.tables()]
        rows = {}
        for table in [*tables, *AUTH_TABLES]:
            pk = connection.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {connection.ops.quote_name(pk)}")
            columns = [column[0] for column in cursor.description]
            rows[table] = [
                tuple(
                    by_id[column][value] if column in by_id and value is not None else value
                    for column, value in zip(columns, row, strict=True)
                )
                for row in cursor.fetchall()
            ]
    return rows


def _fetch(cursor, sql):
    cursor.execute(sql)
    return cursor.fetchall()


def empty_database():
    """Delete every row, as `manage.py flush` does, and give content types and permissions other ids than before."""
    connection.check_constraints()  # PostgreSQL truncates no table with constraint checks still pending
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="elsewhere", model="placeholder")
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def assert_empty():
    assert not any(table_rows().values())


@pytest.fixture
def full_database(editor, researcher, linker, superuser):
    """The seed data, one record of every model, edits and a deletion in the history, users and an admin log entry."""
    load_seed_data()
    summit = factories.SummitFactory(notes="=SUM(A1:A9)", description="+ the Paris format")
    person = factories.PersonFactory(office="@ministry", name="-Someone")
    factories.ParticipantFactory(summit=summit, representatives=[person])
    factories.SignatoryFactory(document=factories.DocumentFactory(summit=summit), person=person)
    factories.OrganisationFactory(description="-an alliance")
    commitment = factories.CommitmentFactory(summit=summit, description="-5 battalions, =2 squadrons")
    source = factories.SourceFactory()
    factories.CitationFactory(source=source, commitment=commitment)
    factories.CitationFactory(
        source=source, commitment=None, statement=factories.StatementFactory(summit=summit), quote="after a ceasefire"
    )
    factories.CitationFactory(
        source=source, commitment=None, discrepancy=factories.DiscrepancyFactory(summit=summit), quote="Leaders met"
    )
    commitment.description = "-6 battalions"
    commitment.save()
    summit.city = "Versailles"
    summit.save()
    factories.PersonFactory(name="Gone").delete()
    editor.user_permissions.add(Permission.objects.get(codename="delete_summit"))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Summit),
        object_id=str(summit.pk),
        object_repr=str(summit),
        action_flag=CHANGE,
        change_message="@changed the city",
    )
    rows = table_rows()
    assert all(rows.values()), [table for table, found in rows.items() if not found]
    return rows


def run(*args) -> str:
    """Run a management command and return what it printed."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_restore_gives_back_every_row(full_database, tmp_path, client, django_user_model):
    backup = tmp_path / "backup.jsonl.gz"
    total = sum(map(len, full_database.values()))
    assert f"{total} rows" in run("backup", backup)
    assert backup.stat().st_mode & 0o077 == 0  # it holds password hashes
    empty_database()
    assert_empty()

    assert run("restore", backup).endswith(f"created {total}, updated 0, skipped 0\n")

    assert table_rows() == full_database
    assert aggregates.mismatches() == []
    assert StanceTally.objects.exists()
    assert Commitment.objects.filter(description="-6 battalions").exists()
    assert search_schema.problems() == []
    assert search.matching(Commitment.objects.all(), "battalion").get().description == "-6 battalions"
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(django_user_model.objects.get(username="editor").pk)
    # New records get ids after the restored ones: the sequences were reset (PostgreSQL).
    factories.ParticipantFactory(representatives=[factories.PersonFactory()])
    django_user_model.objects.create_user("newcomer").groups.add(Group.objects.get(name="linker"))


@pytest.fixture
def small_backup(tmp_path):
    """A plain backup of a database with one summit (and the countries and groups of the migrations)."""
    factories.SummitFactory(description="-a summit")
    path = tmp_path / "small.jsonl"
    run("backup", path)
    return path


def test_dry_run_checks_then_writes_nothing(small_backup):
    empty_database()
    assert "[dry run] created " in run("restore", small_backup, "--dry-run")
    assert_empty()


def test_a_cut_off_backup_is_refused(small_backup, tmp_path):
    compressed = tmp_path / "small.jsonl.gz"
    compressed.write_bytes(gzip.compress(small_backup.read_bytes()))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(compressed.read_bytes()[: compressed.stat().st_size // 2])
    lines = small_backup.read_bytes().splitlines(keepends=True)
    without_checksum = tmp_path / "cut.jsonl"
    without_checksum.write_bytes(b"".join(lines[:-1]))
    mid_line = tmp_path / "mid.jsonl"
    mid_line.write_bytes(small_backup.read_bytes()[:-10])
    empty_database()
    for path, reason in [(cut, "is cut off or damaged"), (without_checksum, "checksum line"), (mid_line, "ends early")]:
        with pytest.raises(CommandError, match=reason):
            call_command("restore", path)
        assert_empty()


def test_an_edited_backup_is_refused(small_backup):
    small_backup.write_text(small_backup.read_text(encoding="utf-8").replace("-a summit", "-a fake"), encoding="utf-8")
    empty_database()
    with pytest.raises(CommandError, match="has been changed since it was written"):
        call_command("restore", small_backup)
    assert_empty()


def test_a_backup_edited_with_its_checksum_recomputed_is_refused_by_its_quotes(tmp_path):
    factories.CitationFactory(quote="after a ceasefire")
    path = tmp_path / "edited.jsonl"
    run("backup", path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]
    # Only the source's own row changes: its quote is no longer in it, though the checksum is made anew.
    edited = [
        line.replace("after a ceasefire", "after a treaty") if '"model":"coalition.source"' in line else line
        for line in lines
    ]
    assert edited != lines
    body = "".join(edited)
    path.write_text(body + json.dumps({"sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}) + "\n")
    empty_database()
    with pytest.raises(CommandError, match="problem"):
        call_command("restore", path)
    assert_empty()


def test_a_database_that_is_not_empty_is_refused(small_backup):
    before = table_rows()
    with pytest.raises(CommandError, match="not empty: coalition_historicalsummit.*manage.py flush"):
        call_command("restore", small_backup)
    assert table_rows() == before


def test_a_backup_of_other_migrations_is_refused(small_backup):
    empty_database()
    latest = MigrationRecorder.Migration.objects.filter(app="coalition").order_by("-id").first()
    latest.delete()
    with pytest.raises(CommandError, match=f"migrate coalition {latest.name}"):
        call_command("restore", small_backup)
    assert_empty()


def test_a_row_that_fails_late_leaves_nothing_written(tmp_path, editor):
    factories.SummitFactory()
    # The admin log, the last table restored, names a content type that the database restored into lacks.
    gone = ContentType.objects.create(app_label="elsewhere", model="gone")
    LogEntry.objects.create(user=editor, content_type=gone, object_repr="gone", action_flag=CHANGE)
    backup = tmp_path / "backup.jsonl"
    run("backup", backup)
    last_row = len(backup.read_bytes().splitlines()) - 1
    empty_database()
    with pytest.raises(CommandError, match=f"line {last_row}: this row cannot be restored"):
        call_command("restore", backup)
    assert_empty()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "is empty"),
        (b"name,slug\nParis,paris\n", "not a coalition backup"),
        (json.dumps({"format": "coalition-backup", "version": 99}).encode() + b"\n", "format version 99"),
        (b"\x1f\x8b\x08 not really gzip", "cut off or damaged"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, content, reason):
    path = tmp_path / "file.jsonl"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=reason):
        call_command("restore", path)
