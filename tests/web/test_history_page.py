"""History on the web and in the API: the latest changes, each undone with one button."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of


def test_history_page_undoes_an_older_change_alone(client: TestClient) -> None:
    ana = client.post("/api/people", json={"name": "Ana Lima"}).json()
    client.patch(f"/api/people/{ana['id']}", json={"cadence": "30d"})
    client.post("/api/people", json={"name": "Bo Chen"})
    page = client.get("/history")
    assert page.status_code == 200
    assert page.text.index("added Bo Chen") < page.text.index("edited Ana Lima") < page.text.index("added Ana Lima")
    token = csrf_of(client)
    response = client.post("/history/2/undo", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/history?undid=2"
    after = client.get("/history?undid=2").text
    assert "Undid: edited Ana Lima." in after and "undone</span>" in after
    assert client.get(f"/api/people/{ana['id']}").json()["cadence_days"] is None
    assert client.get("/api/people").json()["total"] == 2  # Bo, added later, stays


def test_history_api_lists_and_refuses_what_cannot_be_undone_alone(client: TestClient) -> None:
    ana = client.post("/api/people", json={"name": "Ana Lima"}).json()
    client.post(f"/api/people/{ana['id']}/interactions", json={"kind": "coffee"})
    changes = client.get("/api/history").json()
    assert [c["description"] for c in changes] == ["logged a coffee with Ana Lima", "added Ana Lima"]
    refused = client.post("/api/history/1/undo", json={})
    assert refused.status_code == 422 and "undo that first" in refused.json()["error"]
    assert client.post("/api/history/2/undo", json={}).json() == {"undone": "logged a coffee with Ana Lima"}
    assert client.post("/api/history/2/undo", json={}).status_code == 422
    assert client.post("/api/history/99/undo", json={}).status_code == 404


def test_undoing_a_change_number_too_big_for_the_database_is_no_page(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(f"/history/{2**70}/undo", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 404 and "There is no page here." in response.text


def test_an_undo_button_pressed_twice_takes_back_its_own_change_only(client: TestClient) -> None:
    ana = client.post("/api/people", json={"name": "Ana Lima"}).json()["id"]
    client.patch(f"/api/people/{ana}", json={"cadence": "30d"})
    token = csrf_of(client)
    client.post(f"/people/{ana}/delete", data={"csrf_token": token})
    page = client.get(f"/people?removed={ana}").text
    form = re.search(r'<form method="post" action="/undo">(.*?)</form>', page, re.S)
    assert form and re.search(r'<input type="hidden" name="change" value="\d+">', form.group(1))
    change = re.search(r'name="change" value="(\d+)"', form.group(1)).group(1)  # type: ignore[union-attr]
    first = client.post("/undo", data={"csrf_token": token, "change": change}, follow_redirects=False)
    again = client.post("/undo", data={"csrf_token": token, "change": change}, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert "Already undone: removed Ana Lima." in client.get(again.headers["location"]).text
    assert client.get(f"/api/people/{ana}").json()["cadence_days"] == 30  # the edit before it stays


def test_undoing_a_change_twice_from_the_history_page_says_it_is_already_undone(client: TestClient) -> None:
    client.post("/api/people", json={"name": "Ana Lima"})
    client.post("/api/people", json={"name": "Bo Chen"})
    token = csrf_of(client)
    client.post("/history/2/undo", data={"csrf_token": token})
    again = client.post("/history/2/undo", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/history?undid=2"
    assert "Undid: added Bo Chen." in client.get(again.headers["location"]).text
    assert [p["name"] for p in client.get("/api/people").json()["people"]] == ["Ana Lima"]
