"""Quick capture at an event: the event is preselected and kept between saves; each save is `knowwho met`."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.conftest import csrf_of
from tests.web.test_browser import browser, server, shot  # noqa: F401 (fixtures)


def test_capture_at_an_event_logs_the_meeting_and_keeps_the_event(client: TestClient, kw: Knowwho) -> None:
    event = kw.events.add("PyData Berlin", starts_on=NOW.date())
    page = client.get(f"/capture?event={event.id}").text
    assert f'<option value="{event.id}" selected>PyData Berlin' in page
    token = csrf_of(client, "/capture")
    response = client.post("/capture", data={"name": "Vera Ng", "note": "ranking", "event": str(event.id),
                                             "csrf_token": token})  # fmt: skip
    assert response.status_code == 200 and "Saved" in response.text
    assert f'<option value="{event.id}" selected>' in response.text  # ready for the next person
    assert f'<option value="{event.id}" selected>' in client.get("/capture").text  # kept between visits
    vera = kw.people.resolve("Vera Ng")
    assert vera.how_met == "at PyData Berlin" and kw.interactions.for_person(vera.id)[0].kind == "event"
    assert [(i.action, i.person) for i in kw.agenda.today(remember=False).items] == [("nice-to-meet", "Vera Ng")]
    assert [m.note for m in kw.events.detail(event.id).people] == ["ranking"]


def test_capture_at_an_event_on_a_phone(server: str, browser: Any, kw: Knowwho) -> None:  # noqa: F811
    event = kw.events.add("RecSys Summit 2026", starts_on=NOW.date(), place="Bari", yearly=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/capture?event={event.id}")
    page.get_by_label("Name").fill("Vera Ng")
    page.get_by_label("One line to remember them by").fill("ranking at Nettle")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()
    assert page.get_by_label("At an event").input_value() == str(event.id)
    page.get_by_label("Name").fill("Ravi Das")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "20-capture-at-an-event")
    context.close()
    assert [m.name for m in kw.events.detail(event.id).people] == ["Ravi Das", "Vera Ng"]
