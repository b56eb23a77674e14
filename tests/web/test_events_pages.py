"""Events on the web and in the API: the list, adding one, whom the user met there, and "met someone here"."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import XSS, csrf_of
from tests.web.test_browser import browser, page, server, shot  # noqa: F401  (fixtures)


def _summit(kw: Knowwho) -> int:
    event = kw.events.add("RecSys Summit 2026", starts_on=date(2026, 11, 16), ends_on=date(2026, 11, 19),
                          place="Lisbon", yearly=True)  # fmt: skip
    kw.events.met("Vera Nunes", event_id=event.id, organization="Acme", note="works on ranking")
    kw.events.met(XSS, event_id=event.id, note=XSS)
    return event.id


def test_events_page_lists_events_with_people_met(client: TestClient, kw: Knowwho) -> None:
    event_id = _summit(kw)
    kw.events.add(XSS, starts_on=date(2027, 3, 1))
    html = client.get("/events").text
    assert 'href="/events" aria-current="page"' in html
    assert f'<a href="/events/{event_id}">RecSys Summit 2026</a>' in html and "2 people" in html
    assert "2026-11-16 to 2026-11-19" in html and "Lisbon" in html and "yearly" in html
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'action="/events"' in html and 'name="csrf_token"' in html


def test_add_form_creates_an_event_in_one_undoable_change(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/events")
    form = {"name": "PyData Berlin", "starts_on": "2026-12-02", "ends_on": "2026-12-04", "place": "Berlin",
            "yearly": "true", "csrf_token": token}  # fmt: skip
    answer = client.post("/events", data=form, follow_redirects=False)
    assert answer.status_code == 303
    [event] = kw.events.all()
    assert answer.headers["location"] == f"/events/{event.id}"
    assert (event.name, event.ends_on, event.place, event.recurrence) == (
        "PyData Berlin",
        "2026-12-04",
        "Berlin",
        "yearly",
    )
    assert kw.history.undo() == "added the event PyData Berlin" and kw.events.all() == []
    backwards = client.post("/events", data=form | {"ends_on": "2026-11-01"})
    assert backwards.status_code == 422 and "last day is before its first" in backwards.text
    assert client.post("/events", data=form | {"csrf_token": "nope"}).status_code == 403


def test_event_page_shows_whom_was_met_with_notes_and_links_to_capture(client: TestClient, kw: Knowwho) -> None:
    event_id = _summit(kw)
    html = client.get(f"/events/{event_id}").text
    vera = kw.people.resolve("Vera Nunes")
    assert f'<a href="/people/{vera.id}">Vera Nunes</a>' in html and "works on ranking" in html
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert f'href="/capture?event={event_id}"' in html and f'action="/events/{event_id}/met"' in html
    assert client.get("/events/999").status_code == 404


def test_met_someone_here_does_what_knowwho_met_does(client: TestClient, kw: Knowwho) -> None:
    event_id = _summit(kw)
    token = csrf_of(client, f"/events/{event_id}")
    form = {"name": "Lea Roy", "email": "lea@initech.example", "organization": "Initech", "note": "climbs",
            "csrf_token": token}  # fmt: skip
    answer = client.post(f"/events/{event_id}/met", data=form, follow_redirects=False)
    assert answer.status_code == 303
    lea = kw.people.resolve("Lea Roy")
    assert answer.headers["location"] == f"/events/{event_id}#met-{lea.id}"
    assert lea.how_met == "at RecSys Summit 2026" and lea.emails == ["lea@initech.example"]
    assert lea.roles[0].organization == "Initech"
    assert any((item.person_id, item.action) == (lea.id, "nice-to-meet") for item in kw.agenda.today().items)
    assert "Lea Roy" in client.get(f"/events/{event_id}").text
    again = client.post(f"/events/{event_id}/met", data=form | {"note": "second talk"}, follow_redirects=False)
    assert again.status_code == 303 and len([p for p in kw.events.detail(event_id).people if p.name == "Lea Roy"]) == 1
    assert kw.history.undo() == "met Lea Roy at RecSys Summit 2026"


def test_a_refused_met_someone_here_comes_back_in_its_form_as_typed(client: TestClient, kw: Knowwho) -> None:
    event_id = _summit(kw)
    kw.people.add("Sam Lee", emails=["sam@one.example"])
    kw.people.add("Sam Lee", emails=["sam@two.example"])
    token = csrf_of(client, f"/events/{event_id}")
    form = {"name": "Lea Roy", "email": "lea-at-initech", "organization": "Initech", "note": "climbs",
            "csrf_token": token}  # fmt: skip
    answer = client.post(f"/events/{event_id}/met", data=form)
    assert answer.status_code == 422
    assert 'id="met-problem" role="alert">&#39;lea-at-initech&#39; is not an email address' in answer.text
    for value in ("Lea Roy", "lea-at-initech", "Initech", "climbs"):
        assert f'value="{value}"' in answer.text
    twice = client.post(f"/events/{event_id}/met", data=form | {"name": "Sam Lee", "email": ""})
    assert twice.status_code == 409 and 'role="alert">&#39;Sam Lee&#39; matches 2 people' in twice.text
    assert 'value="Sam Lee"' in twice.text and 'value="climbs"' in twice.text
    assert [p.name for p in kw.events.detail(event_id).people if p.name in ("Lea Roy", "Sam Lee")] == []


def test_an_event_yet_to_come_offers_no_met_form(client: TestClient, kw: Knowwho) -> None:
    later = kw.events.add("WSDM 2027", starts_on=date(2027, 2, 10))
    html = client.get(f"/events/{later.id}").text
    assert "It starts on 2027-02-10" in html and "/met" not in html and "/capture?event=" not in html


def test_api_events_list_add_get_and_met(client: TestClient, kw: Knowwho) -> None:
    made = client.post("/api/events", json={"name": "PyData Berlin", "starts_on": "2026-11-17", "yearly": True})
    assert made.status_code == 201, made.text
    event_id = made.json()["id"]
    assert made.json()["yearly"] is True and made.json()["series"] == "PyData Berlin"
    assert [e["id"] for e in client.get("/api/events").json()] == [event_id]
    met = client.post(f"/api/events/{event_id}/met", json={"name": "Ana Lima", "note": "search at Acme"})
    assert met.status_code == 201 and met.json()["new"] is True
    detail = client.get(f"/api/events/{event_id}").json()
    assert detail["people"] == [{"person_id": met.json()["person_id"], "name": "Ana Lima", "note": "search at Acme",
                                 "conversations": ["search at Acme"]}]  # fmt: skip
    assert client.post(f"/api/events/{event_id}/met", json={"name": "Ana Lima"}).json()["new"] is False
    assert client.get("/api/events/999").status_code == 404
    assert client.post("/api/events/999/met", json={"name": "X"}).status_code == 404
    bad = client.post("/api/events", json={"name": "X", "starts_on": "2026-11-17", "ends_on": "2026-11-01"})
    assert (
        bad.status_code == 422
        and bad.json()["error"] == "the event's last day is before its first: an event ends after it starts"
    )
    future = client.post("/api/events", json={"name": "Later", "starts_on": "2027-01-05"}).json()["id"]
    assert client.post(f"/api/events/{future}/met", json={"name": "Y"}).status_code == 422
    assert client.post("/api/events", json={"name": "", "starts_on": "2026-11-17"}).status_code == 422


def test_api_met_says_whether_a_nice_to_meet_is_now_on_today(client: TestClient, kw: Knowwho) -> None:
    long_past = kw.events.add("PyData", starts_on=date(2026, 7, 10)).id
    yesterday = kw.events.add("Meetup", starts_on=date(2026, 11, 17)).id
    assert client.post(f"/api/events/{long_past}/met", json={"name": "Carl Jones"}).json()["nice_to_meet"] is False
    assert client.post(f"/api/events/{yesterday}/met", json={"name": "Dora Lin"}).json()["nice_to_meet"] is True
    assert [item.person for item in kw.agenda.today().items] == ["Dora Lin"]


def test_browser_met_someone_at_an_event(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    event_id = _summit(kw)
    page.goto(server + "/events")
    page.get_by_role("link", name="RecSys Summit 2026").click()
    page.get_by_label("Name").fill("Lea Roy")
    page.get_by_label("Organization").fill("Initech")
    page.get_by_label("One line to remember them by").fill("builds recommenders, climbs")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Added Lea Roy").wait_for()
    assert page.get_by_text("builds recommenders, climbs").is_visible()
    assert page.get_by_text(XSS).first.is_visible()  # shown as text, not run
    shot(page, "42-event")
    page.get_by_role("link", name="Quick capture here").click()
    assert page.get_by_label("At an event").input_value() == str(event_id)


def test_a_refused_event_comes_back_in_its_form_as_typed(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/events")
    typed = {
        "name": "PyData Lisbon",
        "starts_on": "2026-12-10",
        "place": "Lisbon",
        "yearly": "true",
        "csrf_token": token,
    }
    cases = [
        ({"ends_on": "2026-12-01"}, "The event&#39;s last day is before its first: an event ends after it starts"),
        ({"starts_on": "2026-02-30"}, "First day: cannot read the date &#39;2026-02-30&#39;"),
        ({"ends_on": "soonish"}, "Last day: cannot read the date &#39;soonish&#39;"),
    ]
    for changes, line in cases:
        answer = client.post("/events", data=typed | changes)
        assert answer.status_code == 422 and 'id="event-problem" role="alert">' + line in answer.text
        html = answer.text
        assert 'value="PyData Lisbon"' in html and 'value="Lisbon"' in html and 'value="true" checked' in html
        assert f'value="{(typed | changes)["starts_on"]}"' in html and "Add an event" in html
    blank = client.post("/events", data=typed | {"name": "  "})
    assert blank.status_code == 422 and 'role="alert">An event needs a name' in blank.text
    assert kw.events.all() == []
