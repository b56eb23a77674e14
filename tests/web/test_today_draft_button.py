"""The Today page's Draft button of an introduction: both double opt-in messages, on the page and in the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.test_today_drafts import introduce_item_key
from tests.web.test_browser import CHROMIUM, browser, page, server  # noqa: F401  (fixtures)


def test_the_web_draft_button_of_an_introduce_item_shows_both(client: TestClient, kw: Knowwho) -> None:
    key = introduce_item_key(kw)
    today = client.get("/").text
    assert f"/today/draft?key={key.replace(':', '%3A')}" in today
    html = client.get("/today/draft", params={"key": key}).text
    assert "Hi Hal," in html and "Hi Ida," in html and "action: use one of" not in html
    drafts = client.get("/api/today/drafts", params={"key": key}).json()
    assert [d["to"] for d in drafts] == [["hal@example.org"], ["ida@example.org"]]
    assert client.get("/api/today/drafts", params={"key": "introduce:999:998"}).status_code == 404


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_browser_draft_of_an_introduce_item_opens_both_messages(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    introduce_item_key(kw)
    page.goto(server + "/")
    page.locator("[data-item]").filter(has_text="introduce them").get_by_role("link", name="Draft").click()
    page.wait_for_url("**/today/draft?key=*")
    bodies = [page.locator("textarea").nth(n).input_value() for n in range(page.locator("textarea").count())]
    assert [body.split(",")[0] for body in bodies] == ["Hi Hal", "Hi Ida"]
