"""Accounts: membership of a staff group is enough to log in to the editing interface and do that group's work."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from coalition.models import Citation

from . import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def log_in(client, username):
    return client.post(reverse("admin:login"), {"username": username, "password": PASSWORD})


def test_a_user_added_only_to_the_linker_group_logs_in_and_links_a_quote(client):
    user = User.objects.create_user("lena", password=PASSWORD)
    assert not user.is_staff
    user.groups.add(Group.objects.get(name="linker"))
    response = log_in(client, "lena")
    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated
    assert client.get(reverse("admin:index")).status_code == 200
    commitment, source = factories.CommitmentFactory(), factories.SourceFactory()
    address = reverse("admin:coalition_citation_add")
    data = {"commitment": commitment.pk, "source": source.pk, "quote": "after a ceasefire", "relation": "supports"}
    assert client.post(address, data).status_code == 302
    assert Citation.objects.get().commitment == commitment


def test_a_user_in_no_group_cannot_log_in(client):
    User.objects.create_user("nobody", password=PASSWORD)
    response = log_in(client, "nobody")
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page


@pytest.mark.parametrize("group", ["editor", "researcher", "linker"])
def test_added_from_the_group_side_too_and_losing_the_last_group_takes_staff_status_away(group):
    user = User.objects.create_user("member", password=PASSWORD)
    staff_group = Group.objects.get(name=group)
    staff_group.user_set.add(user)
    user.refresh_from_db()
    assert user.is_staff
    staff_group.user_set.clear()
    user.refresh_from_db()
    assert not user.is_staff
    user.groups.add(staff_group)
    user.groups.remove(staff_group)
    user.refresh_from_db()
    assert not user.is_staff


def test_a_superuser_keeps_staff_status_without_groups(superuser):
    superuser.groups.add(Group.objects.get(name="editor"))
    superuser.groups.clear()
    superuser.refresh_from_db()
    assert superuser.is_staff


def test_add_user_creates_a_member_who_can_log_in(client, monkeypatch, capsys):
    monkeypatch.setenv("COALITION_USER_PASSWORD", PASSWORD)
    call_command("add_user", "ben", "--group", "linker", "--dry-run")
    assert not User.objects.filter(username="ben").exists()
    call_command("add_user", "ben", "--group", "linker")
    assert "created 1, updated 0, skipped 0: linker account “ben”" in capsys.readouterr().out
    assert list(User.objects.get(username="ben").groups.values_list("name", flat=True)) == ["linker"]
    assert log_in(client, "ben").status_code == 302
    call_command("add_user", "ben", "--group", "editor")
    assert "skipped 1" in capsys.readouterr().out
