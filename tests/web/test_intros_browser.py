"""The Introductions page in Chromium: from a suggestion to an introduction made, and sharing an item."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.web.app import create_app
from tests.web.conftest import factory
from tests.web.test_browser import CHROMIUM, _serve, shot
from tests.web.test_browser import browser as browser
from tests.web.test_browser import page as page
from tests.web.test_intros_page import make_network

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def server(db_path: Path, kw: Knowwho) -> Iterator[str]:
    make_network(kw)
    yield from _serve(create_app(factory(db_path)))


def test_from_suggestion_to_made(server: str, page: Any) -> None:
    page.goto(server + "/intros")
    assert page.get_by_text("Hal Green needs a React mentor, Ida Ross offers React mentoring").is_visible()
    shot(page, "intros-01-suggestions")
    page.locator("li", has_text="Hal Green needs a React mentor").get_by_role("button", name="Introduce them").click()
    page.wait_for_url("**/intros*")
    page.get_by_role("button", name="Asked Hal").click()
    page.wait_for_load_state()
    assert page.locator("#open-title + ul").get_by_text("asked-a").is_visible()
    page.get_by_text("Messages asking each").click()
    shot(page, "intros-02-open")
    page.get_by_role("button", name="Made").click()
    page.wait_for_load_state()
    assert page.get_by_text("None open").is_visible()
    page.locator("#share-url").fill("https://example.org/microsoft-365-migration")
    page.locator("#share-title").fill("Moving company email to Microsoft 365")
    page.get_by_role("button", name="Who would want it?").click()
    page.wait_for_load_state()
    page.get_by_label("Ana Lima").check()
    shot(page, "intros-03-share")
    page.get_by_role("button", name="Mark as sent").click()
    page.wait_for_load_state()
    assert page.get_by_label("Ana Lima").count() == 0  # sent: no longer suggested for this item
