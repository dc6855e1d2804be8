"""Logging in: throttling by username and by address, the client's address behind proxies, password rules."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from coalition.accounts import ensure_admin
from coalition.middleware import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/conftest.py's users


def log_in(client, username, password, **headers):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def cool_off_passes():
    """Move every recorded failure back beyond the cool-off period."""
    from django.conf import settings

    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME)


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_password(client, editor, caplog):
    with caplog.at_level("WARNING", logger="axes"):
        for _ in range(4):
            response = log_in(client, "editor", "wrong password")
            assert response.status_code == 200 and "Please enter the correct" in response.content.decode()
        locked = log_in(client, "editor", "wrong password")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode() and "15 minutes" in locked.content.decode()
    # The failures are logged, with the username.
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert len([m for m in messages if "login failure by" in m]) == 5 and "editor" in messages[0]
    assert any("Locking out" in m for m in messages)

    refused = log_in(client, "editor", PASSWORD)
    assert refused.status_code == 429 and not refused.wsgi_request.user.is_authenticated
    # From another address too: the username itself is locked.
    elsewhere = log_in(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 429

    cool_off_passes()
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_five_failures_from_one_address_lock_that_address_out_for_every_username(client, editor, researcher):
    for name in ("someone", "nobody", "admin", "root", "editor"):
        log_in(client, name, "wrong password", REMOTE_ADDR="203.0.113.5")
    refused = log_in(client, "researcher", PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429 and not refused.wsgi_request.user.is_authenticated
    # Another address is not locked out for a username with fewer than five failures.
    assert logged_in(log_in(client, "researcher", PASSWORD, REMOTE_ADDR="203.0.113.6"))
    cool_off_passes()
    assert logged_in(log_in(client, "researcher", PASSWORD, REMOTE_ADDR="203.0.113.5"))


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, researcher, settings):
    settings.COALITION_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    # The entry left of the proxy's own was written by the client and is not believed.
    assert client_ip_address(request) == "203.0.113.5"
    settings.COALITION_TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.2"

    settings.COALITION_TRUSTED_PROXY_COUNT = 1
    for name in ("someone", "nobody", "admin", "root", "guest"):
        log_in(client, name, "wrong password", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{name}, 203.0.113.5")
    # That client is locked out whatever it writes into the header; another client of the same proxy is not.
    refused = log_in(client, "researcher", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert refused.status_code == 429
    other = log_in(client, "researcher", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert logged_in(other)


def test_short_or_common_passwords_are_refused():
    for password in ("Summit2026", "password12345", "abcdefghijk"):
        with pytest.raises(ValidationError):
            validate_password(password)
    validate_password("ceasefire-troops-paris-2026")


def test_the_generated_administrator_password_passes_the_rules():
    result = ensure_admin(username="chief-editor", password=None)
    validate_password(result.generated_password)
    with pytest.raises(ValidationError):
        ensure_admin(username="another", password="Summit2026")
