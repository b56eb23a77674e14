"""Today in headless Chromium: a group emptied by Done goes with its heading; the counts follow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.test_browser import browser, expect, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_done_on_the_last_reply_removes_the_replies_heading(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    for name in ("Zed Quinn", "Ana Lima"):
        person = kw.people.add(name, emails=[f"{name.split()[0].lower()}@example.org"])
        kw.interactions.log([person.id], kind="email", direction="in", when=NOW - timedelta(days=4), subject="Lunch?")
    kw.followups.add(kw.people.resolve("Ana Lima").id, NOW.date(), note="send the talk")
    page.goto(server + "/")
    replies = page.locator("section.today-group").filter(has=page.locator("#group-reply"))
    expect(replies.locator(".group-head .count")).to_have_text("2")
    replies.locator("[data-item]").first.get_by_role("button", name="Done").click()
    expect(replies.locator(".group-head .count")).to_have_text("1")
    replies.locator("[data-item]").first.get_by_role("button", name="Done").click()
    expect(page.locator("#group-reply")).to_have_count(0)  # no empty "Replies" heading is left behind
    expect(page.locator("section.today-group")).to_have_count(1)  # the follow-up's group stays
