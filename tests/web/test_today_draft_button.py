"""The Today page's Draft button of an introduction: both double opt-in messages, on the page and in the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.test_today_drafts import introduce_item_key


def test_the_web_draft_button_of_an_introduce_item_shows_both(client: TestClient, kw: Knowwho) -> None:
    key = introduce_item_key(kw)
    today = client.get("/").text
    assert f"/today/draft?key={key.replace(':', '%3A')}" in today
    page = client.get("/today/draft", params={"key": key}).text
    assert "Hi Hal," in page and "Hi Ida," in page and "action: use one of" not in page
    drafts = client.get("/api/today/drafts", params={"key": key}).json()
    assert [d["to"] for d in drafts] == [["hal@example.org"], ["ida@example.org"]]
    assert client.get("/api/today/drafts", params={"key": "introduce:999:998"}).status_code == 404
