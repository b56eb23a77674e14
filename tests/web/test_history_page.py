"""History on the web and in the API: the latest changes, each undone with one button."""

from __future__ import annotations

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
