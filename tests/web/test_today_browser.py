"""Today in headless Chromium: groups with counts, Done with the kind preselected logs it in place, Show more."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.services.people import PersonChanges
from tests.conftest import NOW
from tests.web.test_browser import browser, expect, page, server, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _day(kw: Knowwho) -> int:
    zed = kw.people.add("Zed Quinn", emails=["zed@example.org"])
    kw.interactions.log([zed.id], kind="email", direction="in", when=NOW - timedelta(days=4), subject="Lunch?")
    kw.followups.add(zed.id, NOW.date(), note="send Zed the conference talk")
    bea = kw.people.add("Bea Noor", closeness=4)
    kw.people.edit(bea.id, PersonChanges(birthday="1991-11-21"))
    for n in range(8):
        friend = kw.people.add(f"Friend {n}", closeness=3)
        kw.interactions.log([friend.id], kind="coffee", when=NOW - timedelta(days=300 + 40 * n))
    return zed.id


def test_done_logs_in_place_and_show_more_pages(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    zed = _day(kw)
    page.goto(server + "/")
    shot(page, "10-today-grouped")
    expect(page.get_by_role("heading", name="Keep in touch 5 of 8")).to_be_visible()
    reply = page.locator("[data-item]").filter(has_text="has no reply yet")
    assert reply.get_by_label("Log it as").input_value() == "email"
    reply.get_by_label("Log it as").select_option("call")
    reply.get_by_role("button", name="Done").click()
    page.get_by_role("status").filter(has_text="Done: reply to Zed Quinn (logged a call).").wait_for()
    assert kw.interactions.for_person(zed)[0].kind == "call"
    page.get_by_role("link", name="Show more").click()
    page.wait_for_url("**/?limit=*")
    expect(page.locator("[data-item]")).to_have_count(10)
    shot(page, "11-today-all")


def test_today_fits_a_phone(server: str, browser: Any, kw: Knowwho) -> None:  # noqa: F811
    _day(kw)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(server + "/")
    shot(phone, "12-today-grouped-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
