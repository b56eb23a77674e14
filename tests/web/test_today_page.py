"""The Today page and its API: Done logs the conversation, the day is grouped and counted, the rest a click away."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.conftest import csrf_of


def _backlog(kw: Knowwho) -> dict[str, int]:
    zed = kw.people.add("Zed Quinn")
    kw.interactions.log([zed.id], kind="email", direction="in", when=NOW - timedelta(days=4), subject="Lunch?")
    ids = {"zed": zed.id}
    for n in range(8):
        friend = kw.people.add(f"Friend {n}", closeness=3)
        kw.interactions.log([friend.id], kind="coffee", when=NOW - timedelta(days=300 + n))
        ids[f"friend{n}"] = friend.id
    return ids


def _act(client: TestClient, **form: str) -> dict[str, str]:
    token = csrf_of(client)
    response = client.post("/today/act", data=form, headers={"accept": "application/json", "x-csrf-token": token})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_page_groups_by_kind_with_counts_and_shows_more(client: TestClient, kw: Knowwho) -> None:
    ids = _backlog(kw)
    html = client.get("/").text
    assert re.search(r'id="group-reply">Replies <span class="count muted">1</span>', html)
    assert re.search(r'id="group-keep-in-touch">Keep in touch <span class="count muted">5 of 8</span>', html)
    assert "3 more: 3 keep in touch" in html and 'href="/?limit=31"' in html
    assert f'href="/people/{ids["friend7"]}#edit">set&nbsp;a&nbsp;cadence</a>' in html
    assert '<option value="email" selected>email</option>' in html
    more = client.get("/?limit=31").text
    assert more.count("data-item") == 9 and "Show more" not in more


def test_done_on_the_page_logs_the_chosen_kind(client: TestClient, kw: Knowwho) -> None:
    ids = _backlog(kw)
    reply = next(i for i in kw.agenda.today().items if i.action == "reply")
    said = _act(client, key=reply.key, op="done", kind="call")
    assert said["message"] == "Done: reply to Zed Quinn (logged a call)."
    logged = kw.interactions.for_person(ids["zed"])[0]
    assert (logged.kind, logged.direction) == ("call", "out")
    assert "Zed Quinn" not in client.get("/").text
    kw.history.undo()
    assert "Zed Quinn" in client.get("/").text and len(kw.interactions.for_person(ids["zed"])) == 1


def test_done_without_logging_from_the_page(client: TestClient, kw: Knowwho) -> None:
    ids = _backlog(kw)
    keep = next(i for i in kw.agenda.today().items if i.action == "keep-in-touch")
    assert _act(client, key=keep.key, op="done", kind="none")["message"] == f"Done: keep in touch with {keep.person}."
    assert len(kw.interactions.for_person(keep.person_id or 0)) == 1
    assert ids


def test_the_api_acts_logs_and_refuses_unknown_keys(client: TestClient, kw: Knowwho) -> None:
    ids = _backlog(kw)
    today = client.get("/api/today").json()
    assert today["more"] == 3 and today["rest"] == {"keep-in-touch": 3}
    reply = today["items"][0]
    assert (reply["action"], reply["log_kind"], reply["default_cadence"]) == ("reply", "email", False)
    assert today["items"][1]["default_cadence"] is True
    done = client.post("/api/today/act", json={"key": reply["key"], "action": "done", "note": "yes to lunch"})
    assert done.json() == {"message": "Done: reply to Zed Quinn (logged an email)."}
    assert kw.interactions.for_person(ids["zed"])[0].notes == "yes to lunch"
    assert len(client.get("/api/today?limit=100").json()["items"]) == 8
    for key in ("reply:99999:2026-11-14 15:00:00", "nonsense", "followup:404"):
        for action in ("done", "dismiss"):
            assert client.post("/api/today/act", json={"key": key, "action": action}).status_code == 404
    kept = client.post("/api/today/act", json={"key": today["items"][1]["key"], "action": "done", "log": False})
    assert kept.status_code == 200 and "logged" not in kept.json()["message"]
