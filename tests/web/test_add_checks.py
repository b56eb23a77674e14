"""Adding someone already known on the web and through the API: refused (409), merged, or "did you mean"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of


def test_api_add_refuses_with_409_or_merges(client_kim: tuple[TestClient, int]) -> None:
    client, kim = client_kim
    refused = client.post("/api/people", json={"name": "Kim O.", "emails": ["kim@x.org"]})
    assert refused.status_code == 409
    assert refused.json() == {
        "error": f"kim@x.org is already #{kim} Kim Other; edit them, or add with merge to give them these details",
        "type": "AlreadyKnown",
        "person_id": kim,
    }
    merged = client.post("/api/people", json={"name": "Kim O.", "emails": ["kim@x.org"], "phones": ["555 0100"],
                                              "merge": True})  # fmt: skip
    assert merged.status_code == 201 and merged.json()["id"] == kim and merged.json()["phones"] == ["+15550100"]
    assert client.post("/api/capture", json={"name": "Kim", "email": "kim@x.org"}).status_code == 409
    assert len(client.get("/api/people").json()["people"]) == 2


def test_add_form_asks_did_you_mean_then_adds_anyway(client_kim: tuple[TestClient, int], kw: Knowwho) -> None:
    client, kim = client_kim
    token = csrf_of(client, "/people/new")
    asked = client.post("/people", data={"name": "Kim Other", "organization": "Acme", "csrf_token": token})
    assert asked.status_code == 200 and kw.people.count() == 2
    assert "Did you mean" in asked.text and f'<a href="/people/{kim}">#{kim} Kim Other</a>' in asked.text
    assert 'name="anyway" value="true">Add anyway' in asked.text and 'value="Acme"' in asked.text
    added = client.post("/people", data={"name": "Kim Other", "organization": "Acme", "anyway": "true",
                                         "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert added.status_code == 303 and kw.people.count() == 3


def test_add_form_and_capture_offer_to_add_to_the_known_person(client_kim: tuple[TestClient, int], kw: Knowwho) -> None:
    client, kim = client_kim
    token = csrf_of(client, "/people/new")
    refused = client.post("/people", data={"name": "K", "emails": "kim@x.org", "phones": "555 0100",
                                           "csrf_token": token})  # fmt: skip
    assert refused.status_code == 409 and f'kim@x.org is already <a href="/people/{kim}">#{kim} Kim Other</a>' in (
        refused.text
    )
    assert 'name="merge" value="true">Add to Kim Other' in refused.text and kw.people.count() == 2
    merged = client.post("/people", data={"name": "K", "emails": "kim@x.org", "phones": "555 0100", "merge": "true",
                                          "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert merged.headers["location"] == f"/people/{kim}" and kw.people.get(kim).phones == ["+15550100"]
    captured = client.post("/capture", data={"name": "Kim", "email": "kim@x.org", "csrf_token": token})
    assert captured.status_code == 409 and "Save to Kim Other" in captured.text
    saved = client.post("/capture", data={"name": "Kim", "email": "kim@x.org", "where": "PyCon", "merge": "true",
                                          "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert saved.headers["location"] == f"/capture?saved={kim}" and kw.people.get(kim).how_met == "PyCon"
    assert kw.people.count() == 2


@pytest.fixture
def client_kim(client: TestClient, kw: Knowwho) -> tuple[TestClient, int]:
    kw.people.add("Bo Chen")
    return client, kw.people.add("Kim Other", emails=["kim@x.org"]).id
