"""On a phone (390 px wide) every list shows what each row is about, and no page is wider than the screen."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def open_on_a_phone(page, live_server, path, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{path}")
    name = (path.strip("/").replace("/", "_") or "home") + ".png"
    page.screenshot(path=str(tmp_path / name), full_page=True)


def assert_within_the_screen(page, selector):
    cell = page.locator(selector).first
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_commitments_what_column_is_on_screen_on_a_phone(committed_seed, page, live_server, tmp_path):
    open_on_a_phone(page, live_server, "/commitments/", tmp_path)
    assert (tmp_path / "commitments.png").stat().st_size > 0
    assert_within_the_screen(page, "tbody td.what")
    assert page.locator("tbody td.what").first.inner_text().strip()


@pytest.mark.parametrize(
    "path", ["/countries/", "/organisations/", "/sources/", "/statements/", "/summits/paris-2026/"]
)
def test_the_other_lists_fit_a_phone_too(committed_seed, page, live_server, tmp_path, path):
    open_on_a_phone(page, live_server, path, tmp_path)
    selector = ".card h3" if path == "/statements/" else "tbody td.what"
    assert_within_the_screen(page, selector)
