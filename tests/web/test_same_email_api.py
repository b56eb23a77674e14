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
