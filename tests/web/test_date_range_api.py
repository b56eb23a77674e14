"""The API answers a date outside 1900 to a hundred years ahead with a 422 naming the field, never a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.storage import events as event_store
from tests.importers.helpers import snapshot

RANGE = "is out of range: give a day from 1900-01-01 to 2126-12-31"


def test_an_event_in_the_year_65_is_refused(client: TestClient, kw: Knowwho) -> None:
    made = client.post("/api/events", json={"name": "Old", "starts_on": "0065-03-01"})
    assert made.status_code == 422 and made.json()["error"] == f"the event's date 0065-03-01 {RANGE}"
    assert kw.events.all() == []


def test_met_at_an_event_stored_in_the_year_65_is_a_422(client: TestClient, kw: Knowwho) -> None:
    with kw.db.transaction() as conn:  # as a database written before the range was checked holds it
        event_id = event_store.insert(conn, name="Ancient", starts_on="0065-03-01", ends_on=None, place="",
                                      recurrence="", series="", now="2026-01-01 00:00:00")  # fmt: skip
    before = snapshot(kw)
    met = client.post(f"/api/events/{event_id}/met", json={"name": "Bo Chen"})
    assert met.status_code == 422 and met.json()["error"] == f"the date of Ancient 0065-03-01 {RANGE}"
    assert snapshot(kw) == before


def test_conversations_follow_ups_and_updates_out_of_range_are_422(client: TestClient) -> None:
    ana = client.post("/api/people", json={"name": "Ana Lima"}).json()["id"]
    logged = client.post(f"/api/people/{ana}/interactions", json={"kind": "call", "when": "0500-01-01"})
    assert logged.status_code == 422 and logged.json()["error"] == f"when: the date 0500-01-01 {RANGE}"
    update = client.post("/api/me/updates", json={"text": "Gave a talk", "date": "1850-01-01"})
    assert update.status_code == 422 and update.json()["error"] == f"the update's date 1850-01-01 {RANGE}"
