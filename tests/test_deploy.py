"""Deployment: the README's production environment, HTTPS behind a proxy, the Content Security Policy, bad URLs."""

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from coalition import models

from .test_admin import make

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"


def production_environment() -> dict[str, str]:
    """Return the variables of the README's production example, with a freshly generated secret key."""
    text = README.read_text(encoding="utf-8")
    section = text.split("#### Production environment", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    variables = dict(line.split("=", 1) for line in block.splitlines() if line.strip() and not line.startswith("#"))
    assert "DJANGO_SECRET_KEY" in variables
    return {**variables, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}


def manage(*args, environment) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only `environment` (and PATH) set."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_readmes_production_environment_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output, output


def test_the_production_environment_sets_what_the_readme_says():
    environment = production_environment()
    values = manage("diffsettings", environment=environment).stdout
    assert "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')" in values
    assert "CSRF_TRUSTED_ORIGINS = ['https://coalition.example.org']" in values
    assert "SECURE_HSTS_SECONDS = 31536000" in values and "SECURE_SSL_REDIRECT = True" in values
    assert "SESSION_COOKIE_SECURE = True" in values and "COALITION_TRUSTED_PROXY_COUNT = 1" in values
    assert "CONTENT_SECURITY_POLICY = {" in values and "CONTENT_SECURITY_POLICY_REPORT_ONLY" not in values
    report_only = manage("diffsettings", environment={**environment, "DJANGO_CSP_REPORT_ONLY": "1"}).stdout
    assert "CONTENT_SECURITY_POLICY_REPORT_ONLY = {" in report_only and "CONTENT_SECURITY_POLICY = {" not in report_only


def login_over_the_proxy(editor):
    """Return the response to an admin login POSTed as a browser would through the TLS proxy."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST="coalition.example.org", HTTP_X_FORWARDED_PROTO="https")
    page = client.get(reverse("admin:login"))
    return page, client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "a-long-test-password", "csrfmiddlewaretoken": page.context["csrf_token"]},
        HTTP_ORIGIN="https://coalition.example.org",
        HTTP_REFERER="https://coalition.example.org/admin/login/",
    )


def test_behind_the_proxy_requests_are_secure_and_the_admin_login_passes_the_csrf_check(settings, editor):
    settings.ALLOWED_HOSTS = ["coalition.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://coalition.example.org"]
    page, response = login_over_the_proxy(editor)
    assert page.wsgi_request.is_secure()
    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_without_the_proxy_setting_the_same_login_is_refused_as_cross_site(settings, editor):
    # What happened before the setting existed: the proxied https login looked like a forged cross-site POST.
    settings.ALLOWED_HOSTS = ["coalition.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = []
    page, response = login_over_the_proxy(editor)
    assert not page.wsgi_request.is_secure()
    assert response.status_code == 403 and "CSRF" in response.content.decode()


def test_a_session_ends_after_eight_hours_without_a_request(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60  # renewed on every request


# --- Content Security Policy --------------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """Collects a page's inline scripts, event-handler attributes, style elements and style attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.styles, self.style_attributes = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"{name}={value}" for name, value in attrs.items() if name.startswith("on")]
        if "style" in attrs:
            self.style_attributes.append(attrs["style"])
        # A script with src, or a JSON data block, is not inline code.
        if tag == "script" and "src" not in attrs and "json" not in (attrs.get("type") or ""):
            self._in = self.scripts
            self.scripts.append("")
        elif tag == "style":
            self._in = self.styles
            self.styles.append("")

    def handle_data(self, data):
        if self._in is not None:
            self._in[-1] += data

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._in = None


def allowed_by(policy: str, directive: str) -> set[str]:
    for part in policy.split(";"):
        name, *sources = part.split()
        if name == directive:
            return set(sources)
    raise AssertionError(f"no {directive} in {policy}")


def sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def pages(superuser, linker):
    """Yield (client, address) for public pages and for every kind of admin page, as the people who see them."""
    chief, limited = Client(), Client()
    chief.force_login(superuser)
    limited.force_login(linker)  # no actions on most lists: Django adds an inline style for that
    citation = make(models.Citation)
    source = citation.source
    for address in ("/", reverse("commitment-list"), reverse("source-detail", args=[source.file_name])):
        yield Client(), address
    yield Client(), reverse("admin:login")
    for model in (models.Commitment, models.Source, models.Citation):
        record = model.objects.first()
        name = f"admin:coalition_{model._meta.model_name}"
        for address in (
            reverse(f"{name}_changelist"),
            reverse(f"{name}_add"),
            reverse(f"{name}_change", args=[record.pk]),
            reverse(f"{name}_history", args=[record.pk]),
            reverse(f"{name}_simple_history", args=[record.pk, record.history.latest().history_id]),
            reverse(f"{name}_delete", args=[record.pk]),
            reverse(f"{name}_import"),
            reverse(f"{name}_export"),
        ):
            yield chief, address
        yield limited, reverse(f"{name}_changelist")


def test_no_page_has_inline_code_that_the_content_security_policy_blocks(superuser, linker):
    for client, address in pages(superuser, linker):
        response = client.get(address)
        assert response.status_code == 200, address
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and allowed_by(policy, "default-src") == {"'self'"}
        assert allowed_by(policy, "script-src") == {"'self'"}
        found = InlineCode()
        found.feed(response.content.decode())
        assert not [s for s in found.scripts if s.strip()], f"inline script on {address}"
        # django-import-export's "select all" handler is blocked, and done by coalition/export.js instead.
        handlers = set(found.handlers) - {"onchange=onSelectToggleChange(event)"}
        assert not handlers, f"event-handler attributes on {address}: {handlers}"
        if found.handlers:
            assert "coalition/export.js" in response.content.decode()
        styles = allowed_by(policy, "style-src")
        blocked = [s for s in found.styles + found.style_attributes if sha256(s) not in styles]
        assert not blocked, f"inline styles on {address} that the policy blocks: {blocked}"


# --- control characters in addresses ----------------------------------------------------------------------


def test_a_nul_or_other_control_character_in_an_address_is_a_400_never_a_500(admin_client):
    citation = make(models.Citation)
    commitment = citation.commitment
    public = [
        "/",
        f"/summits/{commitment.summit.slug}/",
        f"/countries/{commitment.country.code}/",
        f"/organisations/{make(models.Organisation).slug}/",
        f"/sources/{citation.source.file_name}/",
        "/commitments/",
        "/statements/",
        "/countries/",
        "/organisations/",
        "/sources/",
        "/commitments.csv",
        "/citations.csv",
        "/statements.csv",
        "/sources.csv",
        "/countries.csv",
        "/organisations.csv",
        "/data/datapackage.json",
    ]
    admin_pages = [
        reverse("admin:coalition_commitment_changelist"),
        reverse("admin:coalition_commitment_change", args=[commitment.pk]),
        reverse("admin:coalition_source_changelist"),
        reverse("admin:coalition_country_change", args=["GB"]),
        reverse("admin:auth_user_changelist"),
    ]
    anonymous = Client()
    for client, address in [(anonymous, a) for a in public] + [(admin_client, a) for a in admin_pages]:
        assert client.get(address).status_code == 200, address
        for bad in (
            address.rstrip("/") + "%00" + ("/" if address.endswith("/") else ""),
            address + "?q=a%00b",
            address + "?summit=%00&country=%01",
            address + "?q=%7F",
        ):
            response = client.get(bad)
            assert response.status_code == 400, f"{bad}: {response.status_code}"
    # A tab or a newline in a search is refused the same way; ordinary text, accents included, is not.
    assert anonymous.get("/commitments/?q=a%09b").status_code == 400
    assert anonymous.get("/commitments/?q=Fran%C3%A7ois+Macron").status_code == 200
    assert admin_client.get(reverse("admin:coalition_commitment_changelist") + "?q=%00").status_code == 400
