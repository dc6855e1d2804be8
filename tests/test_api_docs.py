"""The API's documentation page loads under the site's Content Security Policy: nothing inline, nothing from
another site, every file it names served here."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client

from .test_deploy import InlineCode, allowed_by

pytestmark = pytest.mark.django_db


class Resources(HTMLParser):
    """Collects the addresses of the scripts, stylesheets and icons a page loads, and its JSON data blocks."""

    def __init__(self):
        super().__init__()
        self.addresses, self.data_blocks, self._in_data = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.addresses.append(attrs["src"])
        elif tag == "script" and attrs.get("type") == "application/json":
            self._in_data = True
            self.data_blocks.append("")
        elif tag == "link" and attrs.get("href"):
            self.addresses.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.addresses.append(attrs["src"])

    def handle_data(self, data):
        if self._in_data:
            self.data_blocks[-1] += data

    def handle_endtag(self, tag):
        self._in_data = False


def test_the_docs_page_loads_only_this_sites_files_and_no_inline_code(settings):
    settings.WHITENOISE_USE_FINDERS = True  # the static files as collectstatic would gather them, without running it
    client = Client()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert allowed_by(policy, "script-src") == {"'self'"} and allowed_by(policy, "default-src") == {"'self'"}
    html = response.content.decode()
    inline = InlineCode()
    inline.feed(html)
    assert not [script for script in inline.scripts if script.strip()]
    assert not inline.handlers and not inline.styles and not inline.style_attributes

    found = Resources()
    found.feed(html)
    scripts = [address for address in found.addresses if address.endswith(".js")]
    assert len(scripts) == 2 and any(address.endswith(".css") for address in found.addresses)
    for address in found.addresses:
        assert address.startswith("/static/"), f"{address} is not served by this site"
        assert client.get(address).status_code == 200, address

    (settings,) = [json.loads(block) for block in found.data_blocks]
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None  # the validator badge would be an image from another site
    assert client.get(settings["url"]).status_code == 200
