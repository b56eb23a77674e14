"""A form posted the ordinary way is sent once: a second click while the next page loads posts nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from knowwho.core import Knowwho
from tests.web.test_browser import CHROMIUM, browser, page, server  # noqa: F401 (fixtures)

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
SUBMIT_TWICE = """form => {
    const once = () => { const e = new Event("submit", {bubbles: true, cancelable: true}); form.dispatchEvent(e);
                         return e.defaultPrevented; };
    return [once(), once()];
}"""


def test_a_note_form_sent_twice_is_posted_once(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    ana = kw.people.add("Ana Lima").id
    page.goto(f"{server}/people/{ana}")
    form = page.locator(f'form[action="/people/{ana}/note"]')
    assert form.evaluate(SUBMIT_TWICE) == [False, True]  # the second is held back
    page.goto(f"{server}/people/{ana}")
    page.get_by_label("Note", exact=True).fill("Her team is hiring in spring")
    with page.expect_navigation():
        form.evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    page.wait_for_load_state()
    assert [n.body for n in kw.interactions.notes_for(ana)] == ["Her team is hiring in spring"]


def test_a_form_sent_back_as_refused_can_be_sent_again(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    page.goto(f"{server}/events")
    page.get_by_label("Name").fill("PyData Lisbon")
    page.locator("#ev-start").fill("2026-12-10")
    page.locator("#ev-end").fill("2026-12-01")
    page.get_by_role("button", name="Add event").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible() and kw.events.all() == []
    page.console_problems.clear()  # the refused form's 422, expected
    page.locator("#ev-end").fill("2026-12-12")
    page.get_by_role("button", name="Add event").click()
    page.wait_for_url("**/events/*")
    assert [e.name for e in kw.events.all()] == ["PyData Lisbon"]
