import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_ensure_admin_generates_a_password_prints_it_once_and_it_works(monkeypatch):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    output = run("ensure_admin", username="boss")
    password = output.split("with the password: ", 1)[1].split()[0]
    user = get_user_model().objects.get(username="boss")
    assert user.is_superuser and user.check_password(password)
    assert len(password) >= 20
    again = run("ensure_admin", username="boss")
    assert "skipped 1" in again and password not in again


def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "correct-horse-battery-staple-9")
    output = run("ensure_admin", username="boss")
    assert "correct-horse" not in output
    assert get_user_model().objects.get(username="boss").check_password("correct-horse-battery-staple-9")


def test_ensure_admin_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "admin")
    with pytest.raises(CommandError, match="too weak"):
        run("ensure_admin", username="boss")
    assert not get_user_model().objects.filter(username="boss").exists()


def test_ensure_admin_dry_run_creates_nothing(monkeypatch):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    assert "[dry run] created 1" in run("ensure_admin", username="boss", dry_run=True)
    assert not get_user_model().objects.filter(username="boss").exists()


def test_settings_refuse_to_start_without_a_secret_key_unless_debugging():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "coalition.settings"}
    code = "import django; django.setup()"
    failed = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert failed.returncode != 0 and "DJANGO_SECRET_KEY" in failed.stderr
    debug = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_DEBUG": "1"}, cwd=settings.BASE_DIR)
    assert debug.returncode == 0


def test_manage_py_works_in_a_checkout_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout
