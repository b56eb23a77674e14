"""The JSON API for me (profile, updates), weekly goals and templates: each write one undoable change."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW


def test_me_and_my_updates(client: TestClient, kw: Knowwho) -> None:
    empty = client.get("/api/me")
    assert empty.status_code == 200 and empty.json()["updates"] == [] and empty.json()["roles"] == []
    made = client.post("/api/me/updates", json={"text": "  gave a talk   on search ", "tags": ["Talk"],
                                                "date": (NOW.date() - timedelta(days=3)).isoformat()})  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.json() | {"id": 0} == {"id": 0, "date": "2026-11-15", "text": "gave a talk on search", "tags": ["talk"]}
    assert [u["text"] for u in client.get("/api/me").json()["updates"]] == ["gave a talk on search"]
    assert kw.history.undo().startswith("added my update") and client.get("/api/me").json()["updates"] == []
    future = client.post("/api/me/updates", json={"text": "ship it", "date": "2027-01-01"})
    assert future.status_code == 422 and "future" in future.json()["error"]
    assert client.post("/api/me/updates", json={"text": ""}).status_code == 422
    assert client.post("/api/me/updates", json={"text": "x", "mood": "great"}).status_code == 422


def test_goals_get_put_and_progress(client: TestClient, kw: Knowwho) -> None:
    none = client.get("/api/goals").json()
    assert none == {"goals": {"conversations": None, "new_people": None, "max_old_replies": None}, "this_week": None}
    person = kw.people.add("Ana Lima")
    kw.interactions.log([person.id], kind="coffee", when=NOW - timedelta(hours=2))
    put = client.put("/api/goals", json={"conversations": 3, "max_old_replies": 0})
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["goals"] == {"conversations": 3, "new_people": None, "max_old_replies": 0}
    week = body["this_week"]
    assert week["week_of"] == "2026-11-16" and week["conversations"] == 1 and week["old_replies"] == 0
    assert week["line"].startswith("This week: 1 of 3 conversations")
    assert client.get("/api/goals").json() == body
    cleared = client.put("/api/goals", json={"new_people": 2}).json()["goals"]  # PUT: what is left out is cleared
    assert cleared == {"conversations": None, "new_people": 2, "max_old_replies": None}
    assert kw.history.undo().startswith("set weekly goals")
    assert kw.goals.get().conversations == 3
    assert client.put("/api/goals", json={"conversations": -1}).status_code == 422
    assert client.put("/api/goals", json={"conversations": 5000}).status_code == 422


def test_templates_list_and_edit_with_the_sandbox_check(client: TestClient, kw: Knowwho) -> None:
    listed = client.get("/api/templates").json()
    assert {"informational-interview", "nice-to-meet", "thank-you"} <= {t["key"] for t in listed}
    assert not any(t["edited"] for t in listed)
    edited = client.put("/api/templates/nice-to-meet", json={"body": "Hi {{ first }}, lovely to meet you{{ where }}."})
    assert edited.status_code == 200, edited.text
    assert edited.json()["edited"] is True and edited.json()["subject"].startswith("Nice to meet you")
    assert kw.templates.get("nice-to-meet").body == "Hi {{ first }}, lovely to meet you{{ where }}."
    broken = client.put("/api/templates/nice-to-meet", json={"body": "Hi {{ first "})
    assert broken.status_code == 422 and "does not render" in broken.json()["error"]
    unsafe = client.put("/api/templates/thank-you", json={"body": "{{ first.__class__.__mro__ }}"})
    assert unsafe.status_code == 422 and "does not render" in unsafe.json()["error"]
    assert client.put("/api/templates/no-such", json={"body": "x"}).status_code == 404
    assert kw.templates.get("thank-you").edited is False
    assert kw.history.undo() == "edited the template Nice to meet you"
    assert kw.templates.get("nice-to-meet").edited is False
    client.put("/api/templates/nice-to-meet", json={"subject": "Hello", "body": "Hi"})
    reset = client.delete("/api/templates/nice-to-meet")
    assert reset.status_code == 200 and reset.json()["edited"] is False
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/me", "/api/me/updates", "/api/goals", "/api/templates", "/api/templates/{name}"} <= set(paths)
