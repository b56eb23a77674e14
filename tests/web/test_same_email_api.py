"""Adds and quick captures of one email through the API at the same moment leave a single person."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.test_same_email import EMAILS, at_once, emails_held_twice


def test_concurrent_api_adds_and_captures_of_one_email_make_one_person(client: TestClient, db_path: Path) -> None:
    statuses: list[int] = []

    def add_one(number: int, email: str) -> None:
        if number % 2:
            response = client.post("/api/people", json={"name": f"Client {number} contact", "emails": [email]})
        else:
            response = client.post("/api/capture", json={"name": f"Met by {number}", "email": email})
        statuses.append(response.status_code)

    at_once(add_one)
    assert emails_held_twice(db_path) == []
    assert sorted(set(statuses)) == [201, 409] and statuses.count(201) == len(EMAILS)


def test_an_api_edit_giving_someone_else_s_email_is_refused_with_their_id(client: TestClient) -> None:
    ana = client.post("/api/people", json={"name": "Ana Lima", "emails": ["ana@acme.example"]}).json()["id"]
    raj = client.post("/api/people", json={"name": "Raj Patel"}).json()["id"]
    answer = client.patch(f"/api/people/{raj}", json={"add_emails": ["ana@acme.example"], "location": "Lisbon"})
    assert answer.status_code == 409
    assert answer.json()["person_id"] == ana and answer.json()["type"] == "AlreadyKnown"
    assert client.get(f"/api/people/{raj}").json()["emails"] == []
