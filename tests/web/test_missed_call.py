"""A missed call is logged from the person page and the API as `knowwho log --missed` logs it: a call back is owed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of
from tests.web.test_browser import browser, page, server  # noqa: F401  (fixtures)


def _owed(kw: Knowwho) -> list[tuple[str, str]]:
    return [(item.action, item.person) for item in kw.agenda.today().items]


def test_the_quick_log_logs_a_missed_call_that_owes_a_call_back(client: TestClient, kw: Knowwho) -> None:
    eli = kw.people.add("Eli Miss").id
    html = client.get(f"/people/{eli}").text
    assert 'data-for-kind="call"' in html and 'name="missed" value="true"' in html
    form = {"kind": "call", "when": "yesterday", "missed": "true", "csrf_token": csrf_of(client)}
    answer = client.post(f"/people/{eli}/log", data=form, headers={"accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["message"] == "Logged the missed call."
    logged = kw.interactions.for_person(eli)[0]
    assert (logged.kind, logged.direction, logged.channel) == ("call", "in", "missed")
    assert _owed(kw) == [("reply", "Eli Miss")]


def test_the_quick_log_refuses_missed_for_a_coffee_and_keeps_what_was_typed(client: TestClient, kw: Knowwho) -> None:
    eli = kw.people.add("Eli Miss").id
    form = {"kind": "coffee", "missed": "true", "note": "about jobs", "csrf_token": csrf_of(client)}
    answer = client.post(f"/people/{eli}/log", data=form)
    assert answer.status_code == 422
    assert 'role="alert">Missed: only a call they made to you is missed (kind call, direction in)</p>' in answer.text
    assert 'name="missed" value="true" checked' in answer.text and ">about jobs</textarea>" in answer.text
    assert kw.interactions.for_person(eli) == []


def test_the_api_logs_a_missed_call(client: TestClient, kw: Knowwho) -> None:
    eli, dana = kw.people.add("Eli Miss").id, kw.people.add("Dana Call").id
    held = client.post(f"/api/people/{dana}/interactions", json={"kind": "call", "direction": "in"})
    assert held.status_code == 201 and held.json()["missed"] is False
    missed = client.post(f"/api/people/{eli}/interactions", json={"kind": "call", "when": "yesterday", "missed": True})
    assert missed.status_code == 201, missed.text
    assert (missed.json()["direction"], missed.json()["missed"]) == ("in", True)
    assert _owed(kw) == [("reply", "Eli Miss")]
    wrong = client.post(f"/api/people/{eli}/interactions", json={"kind": "call", "direction": "out", "missed": True})
    assert wrong.status_code == 422
    assert wrong.json()["error"] == "missed: only a call they made to you is missed (kind call, direction in)"
    assert client.post(f"/api/people/{eli}/interactions", json={"kind": "call", "missed": "yes"}).status_code == 422


def test_browser_missed_shows_for_a_call_and_logs_it(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    eli = kw.people.add("Eli Miss").id
    page.goto(f"{server}/people/{eli}")
    missed = page.get_by_label("Missed: they called and did not reach me")
    assert not missed.is_visible()  # the form opens on a coffee
    page.locator("#kind").select_option("call")
    missed.check()
    page.locator("#kind").select_option("coffee")
    assert not missed.is_visible() and not missed.is_checked()  # hidden, it is not sent either
    page.locator("#kind").select_option("call")
    missed.check()
    page.get_by_role("button", name="Log it").click()
    page.get_by_role("status").filter(has_text="Logged the missed call.").wait_for()
    assert kw.interactions.for_person(eli)[0].channel == "missed"
