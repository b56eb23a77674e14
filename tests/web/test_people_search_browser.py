"""The People page in a browser: one search box that searches as you type, marks matches and suggests close names."""

from __future__ import annotations

from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.services.people import PersonChanges
from tests.web.test_browser import CHROMIUM, browser, expect, page, server  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


def test_typing_searches_marks_and_suggests(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    henry = kw.people.add("Henry Ford")
    ben = kw.people.add("Ben Ng")
    kw.people.edit(ben.id, PersonChanges(situation="migrating email to M365"))
    page.goto(server + "/people")
    assert page.locator("input[type=search]").count() == 1
    page.keyboard.press("/")
    page.keyboard.type("henri")
    suggestions = page.locator("#results [data-suggestions]")
    expect(suggestions).to_contain_text("Did you mean Henry Ford?")
    assert suggestions.get_by_role("link", name="Henry Ford").get_attribute("href") == f"/people/{henry.id}"
    assert "q=henri" in page.url
    page.get_by_label("Search").fill("migrating")
    expect(page.locator("#results mark")).to_have_text("migrating")
    assert "[migrating]" not in page.locator("#results").inner_text()
