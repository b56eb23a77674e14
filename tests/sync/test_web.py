"""Sync in the web UI and the API: sources listed with their last run and error, syncing now, the server's schedule."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.sync import secrets
from knowwho.services.sync.runner import sync_lock
from knowwho.services.sync.sources import imap_settings
from knowwho.storage.sync import SyncSource
from knowwho.web.app import create_app
from tests.conftest import MemoryKeyring
from tests.sync.conftest import mbox_messages, seed
from tests.web.conftest import csrf_of, factory, thread_alive_at_pool_close
from tools.local_servers.dovecot import PASSWORD, USER, Dovecot


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def add_wrong_password_source(kw: Knowwho, dovecot: Dovecot, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not-it")
    settings = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True)
    kw.sync.add("imap", "broken", settings, password_file=str(wrong))


def wait_until_done(client: TestClient, name: str, seconds: float = 20) -> dict[str, Any]:
    """Poll the API as a script would, until the source's run has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(f"/api/sync/{name}").json()
        if not state["running"]:
            return state
        time.sleep(0.05)
    raise AssertionError(f"{name} was still syncing after {seconds} s")


def test_settings_lists_sources_and_syncs_one_now_in_the_background(
    client: TestClient, kw: Knowwho, source: SyncSource, dovecot: Dovecot, tmp_path: Path
) -> None:
    add_wrong_password_source(kw, dovecot, tmp_path)
    page = client.get("/settings").text
    assert 'id="sync"' in page and "Sync work now" in page and page.count(">never<") == 2
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/sync/work", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings/sync/work"
    wait_until_done(client, "work")
    run = client.get("/settings/sync/work").text
    assert "work: 4 new conversations, 4 people added, 1 problem." in run and 'http-equiv="refresh"' not in run
    page = client.get("/settings").text
    assert "4 new conversations, 4 people added, 1 problem</td>" in page
    client.post("/settings/sync/broken", data={"csrf_token": token})
    wait_until_done(client, "broken")
    assert "broken: the server refused the user name or password" in client.get("/settings/sync/broken").text
    page = client.get("/settings").text
    assert "broken: the server refused the user name or password" in page
    assert PASSWORD not in page


def test_a_running_sync_is_shown_and_a_second_one_is_refused(
    client: TestClient, kw: Knowwho, source: SyncSource
) -> None:
    syncing = client.app.state.knowwho.syncing  # type: ignore[attr-defined]
    with sync_lock(kw):  # a run from the command line holds the lock
        assert client.post("/api/sync/work", json={}).status_code == 409
        token = csrf_of(client, "/settings")
        answer = client.post("/settings/sync/work", data={"csrf_token": token}, follow_redirects=False)
        assert answer.headers["location"] == "/settings#sync"
        assert "another sync is running" in client.get("/settings").text  # the notice
        syncing._running = {"work"}  # as while this server syncs it
        page = client.get("/settings").text
        assert '<a href="/settings/sync/work">syncing now…</a>' in page
        run = client.get("/settings/sync/work").text
        assert 'http-equiv="refresh"' in run and "Syncing work…" in run
        assert client.get("/api/sync").json()[0]["running"] is True
        syncing._running = set()
    assert kw.sync.get("work").last_run_at is None


def test_the_api_syncs_in_the_background_and_tells_where_to_poll(
    client: TestClient, kw: Knowwho, source: SyncSource, dovecot: Dovecot, tmp_path: Path
) -> None:
    add_wrong_password_source(kw, dovecot, tmp_path)
    started = client.post("/api/sync/work", json={})
    assert started.status_code == 202 and started.headers["location"] == "/api/sync/work"
    assert started.json()["running"] is True and started.json()["name"] == "work"
    done = wait_until_done(client, "work")
    assert done["last_summary"]["new_conversations"] == 4 and done["last_error"] is None
    assert done["last_summary"]["headline"].startswith("4 new conversations")
    assert client.post("/api/sync/broken", json={}).status_code == 202
    failed = wait_until_done(client, "broken")
    assert failed["last_error"] == "broken: the server refused the user name or password"
    assert client.post("/api/sync/nosuch", json={}).status_code == 404
    assert client.get("/api/sync/nosuch").status_code == 404
    listed = {s["name"]: s for s in client.get("/api/sync").json()}
    assert listed["work"]["last_summary"]["people_added"] == 4 and listed["work"]["running"] is False
    assert listed["broken"]["last_error"].startswith("broken: ") and listed["broken"]["last_summary"] is None
    assert listed["broken"]["password_kept"] == "file"


def test_stopping_the_server_stops_a_running_sync_cleanly(
    kw: Knowwho, db_path: Path, dovecot: Dovecot, password_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowwho.services.sync import imap
    from knowwho.services.sync.runner import run_sources
    from tests.sync.test_imap import many_messages

    monkeypatch.setattr(imap, "CHUNK", 50)  # many committed batches, so the stop lands between two
    count = 3000
    seed(dovecot, many_messages(count))
    kw.sync.add_source("imap", "work", host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True,
                       password_file=str(password_file))  # fmt: skip
    alive_at_close = thread_alive_at_pool_close(monkeypatch, "sync-work")
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as client:
        assert client.post("/api/sync/work", json={}).status_code == 202
        deadline = time.monotonic() + 30
        while kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 0:
            assert time.monotonic() < deadline, "no batch was committed"
            time.sleep(0.01)
    assert alive_at_close == [False]  # the run had ended when the connections were closed
    kept = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    assert 0 < kept < count
    assert kw.sync.get("work").last_error == "work: stopped before the end; the next run completes it"
    [outcome] = run_sources(kw, ["work"])
    assert outcome.summary is not None and outcome.summary.new_conversations == count - kept
    assert kw.db.conn.execute("SELECT COUNT(DISTINCT source_message_id) FROM interactions").fetchone()[0] == count


def wait_for_run(kw: Knowwho, name: str, seconds: float = 15) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        last = kw.sync.get(name).last_run_at
        if last is not None:
            return last
        time.sleep(0.05)
    return None


def test_the_server_syncs_every_source_on_a_schedule_and_waits_for_a_command_line_run(
    kw: Knowwho, db_path: Path, source: SyncSource
) -> None:
    server = create_app(factory(db_path), sync_every=0.2)
    with sync_lock(kw), TestClient(server, base_url="http://127.0.0.1"):  # a command-line run holds the lock
        time.sleep(0.8)  # the server's rounds meanwhile are skipped
        assert kw.sync.get("work").last_run_at is None
    with TestClient(create_app(factory(db_path), sync_every=0.2), base_url="http://127.0.0.1"):
        assert wait_for_run(kw, "work") is not None
    assert kw.sync.get("work").last_summary["new_conversations"] == 4  # type: ignore[index]


SECRET = "zorbulax-typed-in-the-form"


def imap_form(dovecot: Dovecot, token: str, **changes: str) -> dict[str, str]:
    form = {"kind": "imap", "name": "mail", "host": "127.0.0.1", "port": str(dovecot.port), "user": USER,
            "password": PASSWORD, "no_tls": "on", "csrf_token": token}  # fmt: skip
    return {**form, **changes}


def test_a_source_added_in_settings_keeps_its_password_in_the_keyring_and_runs(
    client: TestClient, kw: Knowwho, db_path: Path, dovecot: Dovecot, memory_keyring: MemoryKeyring
) -> None:
    seed(dovecot, mbox_messages())
    page = client.get("/settings").text
    assert 'id="sync-imap-password" name="password" type="password"' in page
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/sync", data=imap_form(dovecot, token, known_only="on"), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings#sync-mail"
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "mail")] == PASSWORD
    added = kw.sync.get("mail")
    assert added.password_file is None and added.settings["known_only"] is True
    assert added.settings["security"] == "none"
    assert "Added mail (password: in your keyring)" in client.get("/settings").text
    client.post("/settings/sync/mail", data={"csrf_token": token})
    assert wait_until_done(client, "mail")["last_error"] is None
    kw.close()
    for file in db_path.parent.glob(db_path.name + "*"):
        assert PASSWORD.encode() not in file.read_bytes(), file.name


@pytest.mark.parametrize(
    ("changes", "line", "field"),
    [
        ({"name": "two words"}, "Name &#39;two words&#39;: use up to 40 letters", "name"),
        ({"host": ""}, "Server is missing: give the server&#39;s name", "host"),
        ({"port": "70000"}, "Port 70000 is not a port number (1 to 65535)", "port"),
        ({"port": "abc"}, "Port &#39;abc&#39; is not a port number", "port"),
        ({"host": "imap.example.org"}, "Plain text (no TLS) is allowed only for a server on this machine", "no_tls"),
        ({"since": "someday"}, "Since &#39;someday&#39; is not a day knowwho can use", "since"),
        ({"password": "", "password_file": "/nonexistent/pw"}, "Password file /nonexistent/pw: no such file",
         "password_file"),
        ({"password": ""}, "Password is missing: a mail account needs one, or a password file", "password"),
    ],
)  # fmt: skip
def test_bad_input_comes_back_as_the_form_with_one_line_naming_the_field(
    client: TestClient, kw: Knowwho, dovecot: Dovecot, memory_keyring: MemoryKeyring,
    changes: dict[str, str], line: str, field: str,
) -> None:  # fmt: skip
    form = imap_form(dovecot, csrf_of(client, "/settings"), **{"password": SECRET, **changes})
    answer = client.post("/settings/sync", data=form)
    assert answer.status_code == 400
    page = answer.text
    assert f'<p class="notice error" id="sync-imap-problem" role="alert">{line}' in page
    assert "nothing was added." in page and "--" + field.replace("_", "-") not in page
    assert f'id="sync-imap-{field}"' not in page or 'aria-invalid="true"' in page
    assert '<details class="more add-source" id="add-imap" open>' in page  # the form, open, as typed
    assert SECRET not in page and memory_keyring.entries == {} and kw.sync.list() == []


def test_without_a_keyring_settings_says_so_and_asks_for_a_password_file(
    client: TestClient, kw: Knowwho, dovecot: Dovecot, password_file: Path
) -> None:
    seed(dovecot, mbox_messages())
    page = client.get("/settings").text
    assert page.count("No usable keyring to keep the password in: put it in a file only you can read") == 3
    assert 'name="password"' not in page and 'id="sync-imap-password_file"' in page
    token = csrf_of(client, "/settings")
    refused = client.post("/settings/sync", data=imap_form(dovecot, token, password=SECRET))  # a crafted post
    assert refused.status_code == 400 and SECRET not in refused.text
    assert 'role="alert">No usable keyring to keep the password in' in refused.text
    missing = client.post("/settings/sync", data=imap_form(dovecot, token, password=""))
    assert missing.status_code == 400 and "Password is missing: a mail account needs one" in missing.text
    assert 'id="sync-imap-password_file" name="password_file"' in missing.text  # the field shown is the one marked
    assert 'aria-invalid="true" aria-describedby="sync-imap-problem"' in missing.text
    form = imap_form(dovecot, token, password="", password_file=str(password_file))
    assert client.post("/settings/sync", data=form, follow_redirects=False).status_code == 303
    assert kw.sync.get("mail").password_file == str(password_file.resolve())


def test_dav_sources_are_added_from_their_forms(client: TestClient, kw: Knowwho, password_file: Path) -> None:
    token = csrf_of(client, "/settings")
    url = "https://dav.example.org/user/contacts/"
    card = {"kind": "carddav", "name": "phone", "url": url, "user": "me", "password_file": str(password_file),
            "push": "on", "csrf_token": token}  # fmt: skip
    assert client.post("/settings/sync", data=card, follow_redirects=False).status_code == 303
    cal = {"kind": "caldav", "name": "cal", "url": url, "user": "me", "password_file": str(password_file),
           "me": "Me@Example.org", "csrf_token": token}  # fmt: skip
    assert client.post("/settings/sync", data=cal, follow_redirects=False).status_code == 303
    assert kw.sync.get("phone").settings["push"] is True and kw.sync.get("cal").settings["me"] == "me@example.org"
    bad = client.post("/settings/sync", data={**cal, "name": "cal2", "url": "http://dav.example.org/"})
    assert bad.status_code == 400 and 'id="sync-caldav-problem" role="alert">Address &#39;http://dav' in bad.text


def test_removing_in_settings_asks_first_and_undo_brings_back_a_source_that_runs(
    client: TestClient, kw: Knowwho, dovecot: Dovecot, memory_keyring: MemoryKeyring
) -> None:
    seed(dovecot, mbox_messages())
    kw.sync.add_source("imap", "mail", host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True, password=PASSWORD)
    page = client.get("/settings").text
    assert "<summary>Remove…</summary>" in page and ">Remove mail</button>" in page  # behind a second click
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/sync/mail/remove", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and kw.sync.list() == []
    assert "Its password stays in your keyring while undo can bring the source back" in client.get("/settings").text
    assert client.post("/api/undo", json={}).status_code == 200
    assert [s.name for s in kw.sync.list()] == ["mail"]
    assert client.post("/api/sync/mail", json={}).status_code == 202
    synced = wait_until_done(client, "mail")
    assert synced["last_error"] is None and synced["last_summary"]["new_conversations"] == 4


def test_the_api_adds_and_removes_sources_and_names_a_refused_field(
    client: TestClient, kw: Knowwho, db_path: Path, memory_keyring: MemoryKeyring
) -> None:
    body = {"kind": "imap", "name": "mail", "host": "imap.example.org", "user": "me", "password": SECRET,
            "folders": ["INBOX", "Archive"], "since": "2025-01-01", "known_only": True}  # fmt: skip
    added = client.post("/api/sync", json=body)
    assert added.status_code == 201, added.text
    out = added.json()
    assert out["password_kept"] == "keyring" and out["settings"]["folders"] == ["INBOX", "Archive"]
    assert out["settings"]["since"] == "2025-01-01" and out["running"] is False and SECRET not in added.text
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "mail")] == SECRET
    again = client.post("/api/sync", json=body)
    assert again.status_code == 422 and again.json()["field"] == "name"
    assert again.json()["error"] == "name 'mail' is already the name of a sync source" and SECRET not in again.text
    port = client.post("/api/sync", json={**body, "name": "m2", "port": 70000})
    assert port.status_code == 422 and port.json()["error"] == "port: at most 65535"
    far = client.post("/api/sync", json={**body, "name": "m3", "no_tls": True})
    assert far.json() == {"error": "no_tls is allowed only for a server on this machine (localhost, 127.0.0.1 "
                          "or ::1)", "type": "InvalidSetting", "field": "no_tls"}  # fmt: skip
    card = {"kind": "carddav", "name": "phone", "url": "https://dav.example.org/c/", "user": "me", "push": True,
            "password": SECRET}  # fmt: skip
    assert client.post("/api/sync", json=card).json()["settings"]["push"] is True
    assert client.post("/api/sync", json={**card, "kind": "pop3"}).status_code == 422
    not_card = client.post("/api/sync", json={**card, "host": "x"})
    assert not_card.status_code == 422 and not_card.json()["error"] == "host is not a field of a carddav source"
    removed = client.delete("/api/sync/phone")
    assert removed.status_code == 200 and "password stays in your keyring" in removed.json()["message"]
    assert client.delete("/api/sync/phone").status_code == 404
    assert [s["name"] for s in client.get("/api/sync").json()] == ["mail"]
    kw.close()
    for file in db_path.parent.glob(db_path.name + "*"):
        assert SECRET.encode() not in file.read_bytes(), file.name


def test_an_address_book_or_calendar_may_have_no_password_and_every_front_says_so(
    client: TestClient, kw: Knowwho, memory_keyring: MemoryKeyring
) -> None:
    token = csrf_of(client, "/settings")
    url = "http://127.0.0.1:5232/ada/contacts/"  # a server on this machine, asking no login
    card = {"kind": "carddav", "name": "phone", "url": url, "user": "ada", "password": "", "csrf_token": token}
    assert client.post("/settings/sync", data=card, follow_redirects=False).status_code == 303
    page = client.get("/settings").text
    assert "Added phone (password: none)" in page and "password: none</span>" in page
    cal = {"kind": "caldav", "name": "cal", "url": url, "user": "ada"}
    assert client.post("/api/sync", json=cal).json()["password_kept"] == "none"
    kept = {"kind": "caldav", "name": "cal2", "url": url, "user": "ada", "password": SECRET}
    assert client.post("/api/sync", json=kept).json()["password_kept"] == "keyring"
    assert {s["name"]: s["password_kept"] for s in client.get("/api/sync").json()} == {
        "cal": "none",
        "cal2": "keyring",
        "phone": "none",
    }
    assert "password: in your keyring</span>" in client.get("/settings").text
    mail = {"kind": "imap", "name": "mail", "host": "imap.example.org", "user": "me"}
    refused = client.post("/api/sync", json=mail)
    assert refused.status_code == 422 and refused.json()["field"] == "password"
    assert refused.json()["error"] == "password is missing: a mail account needs one, or a password file"
    assert [s.name for s in kw.sync.list()] == ["cal", "cal2", "phone"]
