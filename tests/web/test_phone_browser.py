"""On a phone (390x844) in headless Chromium: a compact menu, the board as a list, the Give and take form;
at any width, long unbroken words wrap."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from knowwho.core import Knowwho
from tests.web.conftest import fill
from tests.web.test_browser import CHROMIUM, browser, server, shot  # noqa: F401 (fixtures)

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    yield context.new_page()
    context.close()


def test_the_menu_is_one_line_that_shows_the_current_page(server: str, phone: Any) -> None:  # noqa: F811
    phone.goto(server + "/settings")
    header = phone.locator("header.top").bounding_box()
    assert header["height"] < 120  # was four lines of links, 200 of the 844 pixels
    current = phone.locator('.top nav a[aria-current="page"]')
    box = current.bounding_box()
    assert current.inner_text() == "Settings" and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page never scrolls sideways
    shot(phone, "phone-menu-settings")


def test_the_board_is_a_list_of_stages_on_a_phone(server: str, phone: Any, kw: Knowwho) -> None:  # noqa: F811
    ids = fill(kw)
    kw.opportunities.add("Initech", "Platform lead", people=[(ids["ana"], "referrer")])
    moved = kw.opportunities.add("Umbrella Corporation International", "Principal infrastructure engineer")
    kw.opportunities.move(moved.opportunity.id, "applied")
    phone.goto(server + "/opportunities")
    columns = phone.locator(".board-column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # stacked, not side by side
    assert first["x"] >= 0 and first["x"] + first["width"] <= PHONE["width"]
    assert phone.locator(".opp-card").first.bounding_box()["y"] < PHONE["height"]  # a card on the first screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "phone-board")


def test_give_and_take_is_recorded_and_undone(server: str, phone: Any, kw: Knowwho) -> None:  # noqa: F811
    ana = fill(kw)["ana"]
    phone.goto(f"{server}/people/{ana}")
    panel = phone.locator("#ledger")
    panel.get_by_label("Who gave").select_option("received")
    panel.get_by_label("Type").select_option("referral")
    panel.get_by_label("What it was").fill("a referral at Globex")
    panel.get_by_role("button", name="Record it").click()
    assert "You gave 0, got 1." in phone.locator("#ledger").inner_text()
    assert "Got referral: a referral at Globex" in phone.locator("#ledger").inner_text()
    shot(phone, "phone-give-and-take")
    phone.locator(".notice").get_by_role("button", name="Undo").click()
    assert kw.ledger.balance(ana).received == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_unbroken_name_wraps(server: str, browser: Any, kw: Knowwho, width: int) -> None:  # noqa: F811
    ids = fill(kw)
    long = kw.people.add("W" * 300, organization="O" * 300, tags=["t" * 100])
    kw.interactions.log([long.id, ids["ana"]], kind="call", note="n" * 2000)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    for path in ("/people", "/history", f"/people/{long.id}", "/organizations", "/"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()
