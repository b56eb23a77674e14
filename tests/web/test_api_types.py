"""The API reads each field as its own JSON type: no 0 for a date or for false, no "3" for 3; 405 says Allow."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho


@pytest.mark.parametrize("day", [0, 1_700_000_000, True, 20260314.0, "yesterday", "2026-02-30", ["2026-03-14"]])
def test_a_date_that_is_not_text_in_iso_form_is_refused(client: TestClient, kw: Knowwho, day: object) -> None:
    update = client.post("/api/me/updates", json={"text": "gave a talk", "date": day})
    assert (update.status_code, update.json()["error"]) == (422, "date: use a date as YYYY-MM-DD")
    event = client.post("/api/events", json={"name": "PyCon", "starts_on": day})
    assert (event.status_code, event.json()["error"]) == (422, "starts_on: use a date as YYYY-MM-DD")
    assert kw.me.profile().updates == [] and kw.events.all() == []


def test_a_date_as_text_is_read(client: TestClient) -> None:
    update = client.post("/api/me/updates", json={"text": "gave a talk", "date": "2026-03-14"})
    assert update.status_code == 201 and update.json()["date"] == "2026-03-14"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("yearly", 0, "yearly: use true or false"), ("yearly", "true", "yearly: use true or false"),
    ("place", 7, "place: use text"),
])  # fmt: skip
def test_booleans_and_text_take_only_their_own_type(client: TestClient, field: str, value: object, words: str) -> None:
    answer = client.post("/api/events", json={"name": "PyCon", "starts_on": "2026-12-01", field: value})
    assert (answer.status_code, answer.json()["error"]) == (422, words)


def test_numbers_are_not_read_from_text_or_booleans(client: TestClient, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    for closeness in ("3", True, 3.5):
        answer = client.patch(f"/api/people/{ana}", json={"closeness": closeness})
        assert (answer.status_code, answer.json()["error"]) == (422, "closeness: use a whole number"), closeness
    assert client.patch(f"/api/people/{ana}", json={"advocate": 1}).status_code == 422
    assert client.patch(f"/api/people/{ana}", json={"closeness": 3, "advocate": True}).status_code == 200


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE"])
def test_a_method_a_path_does_not_take_gets_405_with_allow(client: TestClient, method: str) -> None:
    answer = client.request(method, "/api/people")
    assert answer.status_code == 405
    assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    page = client.request(method, "/people", headers={"accept": "text/html"})
    assert page.status_code == 405 and "allow" in page.headers
