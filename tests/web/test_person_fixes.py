"""Fixing the history on the person page and in the API: edit and delete conversations and notes; birthdays."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import XSS, csrf_of


def _ids(kw: Knowwho, person_id: int) -> dict[str, int]:
    return {i.kind: i.id for i in kw.interactions.for_person(person_id)}


def _today(client: TestClient) -> list[tuple[str, int | None]]:
    return [(i["action"], i["person_id"]) for i in client.get("/api/today").json()["items"]]


# -- API ------------------------------------------------------------------------------
def test_api_deletes_a_conversation_and_keep_in_touch_comes_due(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana, raj = filled["ana"], filled["raj"]
    meeting = _ids(kw, ana)["meeting"]
    assert ("keep-in-touch", ana) not in _today(client)
    deleted = client.delete(f"/api/interactions/{meeting}")
    assert deleted.status_code == 200 and deleted.json()["kind"] == "meeting"
    assert [i["kind"] for i in client.get(f"/api/people/{ana}/interactions").json()] == ["coffee"]
    assert client.get(f"/api/people/{raj}").json()["last_interaction_at"].startswith("2026-11-15")
    assert ("keep-in-touch", ana) in _today(client)
    assert client.delete(f"/api/interactions/{meeting}").status_code == 404
    assert client.post("/api/undo", json={}).json()["undone"].startswith("deleted the meeting with Ana Lima, Raj")
    assert ("keep-in-touch", ana) not in _today(client)


def test_api_corrects_a_conversation(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    raj = filled["raj"]
    email = _ids(kw, raj)["email"]
    assert ("reply", raj) in _today(client)
    patched = client.patch(f"/api/interactions/{email}", json={"direction": "out", "note": "answered"})
    assert patched.status_code == 200
    assert (patched.json()["direction"], patched.json()["notes"], patched.json()["subject"]) == ("out", "answered",
                                                                                                "intro?")  # fmt: skip
    assert ("reply", raj) not in _today(client)
    moved = client.patch(f"/api/interactions/{email}", json={"when": "2026-11-01"}).json()
    assert moved["at"].startswith("2026-11-01")
    bad = client.patch(f"/api/interactions/{email}", json={"kind": "telepathy"})
    assert bad.status_code == 422 and "unknown kind" in bad.json()["error"]
    assert client.patch(f"/api/interactions/{email}", json={"mood": "x"}).status_code == 422
    assert client.patch("/api/interactions/4242", json={"kind": "call"}).status_code == 404


def test_api_notes(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    note = client.post(f"/api/people/{filled['ana']}/notes", json={"body": "likes tea"}).json()
    patched = client.patch(f"/api/notes/{note['id']}", json={"body": "likes green tea"})
    assert patched.status_code == 200 and patched.json()["body"] == "likes green tea"
    assert client.patch(f"/api/notes/{note['id']}", json={"body": ""}).status_code == 422
    assert client.delete(f"/api/notes/{note['id']}").json()["body"] == "likes green tea"
    assert client.delete(f"/api/notes/{note['id']}").status_code == 404
    assert client.post("/api/undo", json={}).json() == {"undone": "deleted a note on Ana Lima"}
    assert "likes green tea" in [n.body for n in kw.interactions.notes_for(filled["ana"])]


def test_api_birthday(client: TestClient) -> None:
    created = client.post("/api/people", json={"name": "Ana Lima", "birthday": "March 14"})
    assert created.status_code == 201 and created.json()["birthday"] == "--03-14"
    pid = created.json()["id"]
    assert client.patch(f"/api/people/{pid}", json={"birthday": "1990-03-14"}).json()["birthday"] == "1990-03-14"
    bad = client.patch(f"/api/people/{pid}", json={"birthday": "soon"})
    assert bad.status_code == 422 and bad.json()["error"].startswith("birthday: ")
    assert client.get(f"/api/people/{pid}").json()["birthday"] == "1990-03-14"


# -- the page, without JavaScript -----------------------------------------------------
def test_page_edits_and_deletes_a_conversation(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    coffee = _ids(kw, ana)["coffee"]
    page = client.get(f"/people/{ana}").text
    assert f'href="/people/{ana}?edit=i{coffee}#i{coffee}"' in page and f"#{coffee}" in page  # forms open one at a time
    page = client.get(f"/people/{ana}?edit=i{coffee}").text
    assert f'action="/people/{ana}/interactions/{coffee}/edit"' in page
    token = csrf_of(client)
    form = {"kind": "call", "direction": "mutual", "when": "2026-08-10", "subject": "", "note": "about search",
            "csrf_token": token}  # fmt: skip
    posted = client.post(f"/people/{ana}/interactions/{coffee}/edit", data=form, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].startswith(f"/people/{ana}?fixed=true")
    fixed = kw.interactions.get(coffee)
    assert (fixed.kind, fixed.occurred_at[:10], fixed.notes) == ("call", "2026-08-10", "about search")
    page = client.get(posted.headers["location"]).text
    assert "Edited the coffee with Ana Lima on 2026-08-10" in page and 'action="/undo"' in page

    same = {**form, "when": "2026-08-10", "note": "about search, and climbing"}  # the day left as shown
    client.post(f"/people/{ana}/interactions/{coffee}/edit", data=same)
    assert kw.interactions.get(coffee).occurred_at == fixed.occurred_at  # the time of day kept

    deleted = client.post(f"/people/{ana}/interactions/{coffee}/delete", data={"csrf_token": token})
    assert deleted.status_code == 200 and "Deleted the call with Ana Lima" in deleted.text
    assert coffee not in _ids(kw, ana).values()
    client.post("/undo", data={"csrf_token": token})
    assert _ids(kw, ana)["call"] == coffee


def test_page_refuses_what_does_not_belong(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    token = csrf_of(client)
    raj_email = _ids(kw, filled["raj"])["email"]
    wrong = client.post(f"/people/{filled['ana']}/interactions/{raj_email}/delete", data={"csrf_token": token})
    assert wrong.status_code == 404
    no_token = client.post(f"/people/{filled['raj']}/interactions/{raj_email}/delete", data={})
    assert no_token.status_code == 403
    assert raj_email in _ids(kw, filled["raj"]).values()
    ana_note = kw.interactions.notes_for(filled["ana"])[0].id
    other = client.post(f"/people/{filled['raj']}/notes/{ana_note}/delete", data={"csrf_token": token})
    assert other.status_code == 422 and "is not on Raj Patel" in other.text


def test_page_edits_and_deletes_a_note(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    evil, token = filled["evil"], csrf_of(client)
    note = kw.interactions.notes_for(evil)[0]
    page = client.get(f"/people/{evil}?edit=n{note.id}").text
    assert XSS not in page and f'action="/people/{evil}/notes/{note.id}/edit"' in page
    client.post(f"/people/{evil}/notes/{note.id}/edit", data={"body": "harmless now", "csrf_token": token})
    assert kw.interactions.get_note(note.id).body == "harmless now"
    client.post(f"/people/{evil}/notes/{note.id}/delete", data={"csrf_token": token})
    assert kw.interactions.notes_for(evil) == []


def test_page_birthday(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    ana, token = filled["ana"], csrf_of(client)
    person = kw.people.get(ana)
    form = {"name": person.display_name, "organization": "Acme", "title": "Data lead", "tags": "mentor, python",
            "emails": "ana@acme.example", "closeness": "4", "birthday": "1990-12-01", "csrf_token": token}  # fmt: skip
    assert client.post(f"/people/{ana}/edit", data=form).status_code == 200
    page = client.get(f"/people/{ana}").text
    assert re.search(r"<dt>Birthday</dt><dd>1 December \(turns 36\)</dd>", page)
    assert 'name="birthday" type="text" value="1990-12-01"' in page
    bad = client.post(f"/people/{ana}/edit", data={**form, "birthday": "30 February"})
    assert bad.status_code == 422 and "Birthday: cannot read &#39;30 February&#39;" in bad.text
    client.post(f"/people/{ana}/edit", data={**form, "birthday": ""})
    assert kw.people.get(ana).birthday is None


def test_a_refused_correction_comes_back_in_its_form_as_typed(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana, token = filled["ana"], csrf_of(client)
    coffee = _ids(kw, ana)["coffee"]
    before = kw.interactions.get(coffee)
    form = {"kind": "call", "direction": "in", "when": "2026-02-30", "subject": "Paper", "note": "about robots",
            "csrf_token": token}  # fmt: skip
    answer = client.post(f"/people/{ana}/interactions/{coffee}/edit", data=form)
    assert answer.status_code == 422
    html = answer.text
    assert f'id="i{coffee}-problem" role="alert">When: cannot read the date &#39;2026-02-30&#39;' in html
    assert 'value="2026-02-30"' in html and 'value="Paper"' in html and ">about robots</textarea>" in html
    assert '<option value="call" selected>' in html and '<option value="in" selected>' in html
    assert kw.interactions.get(coffee) == before
    note = kw.interactions.notes_for(ana)[0]
    blank = client.post(f"/people/{ana}/notes/{note.id}/edit", data={"body": "  ", "csrf_token": token})
    assert blank.status_code == 422 and f'id="n{note.id}-problem" role="alert">The note is empty' in blank.text
    assert f'<textarea id="n{note.id}-body" maxlength="10000" name="body" rows="3" required>  </textarea>' in blank.text
    assert kw.interactions.get_note(note.id).body == note.body
