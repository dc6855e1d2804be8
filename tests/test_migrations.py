from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_editors_may_add_change_delete_import_and_export_every_record():
    perms = codenames("editor")
    for action in ("add", "change", "delete", "view", "import", "export"):
        assert f"{action}_commitment" in perms
        assert f"{action}_citation" in perms


def test_researchers_may_only_view_and_export():
    perms = codenames("researcher")
    assert {"view_commitment", "export_commitment", "view_source", "export_citation"} <= perms
    assert not {p for p in perms if p.split("_", 1)[0] in {"add", "change", "delete", "import"}}


def test_linkers_view_everything_and_add_or_change_only_citations():
    perms = codenames("linker")
    assert {"view_commitment", "view_statement", "view_source", "add_citation", "change_citation"} <= perms
    assert {p for p in perms if not p.startswith("view_")} == {"add_citation", "change_citation"}
