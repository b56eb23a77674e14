"""Sync in the web UI and the API: sources listed with their last run and error, syncing now, the server's schedule."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.sync.runner import sync_lock
from knowwho.services.sync.sources import imap_settings
from knowwho.storage.sync import SyncSource
from knowwho.web.app import create_app
from knowwho.web.state import KnowwhoPool
from tests.sync.conftest import seed
from tests.sync.dovecot import PASSWORD, USER, Dovecot
from tests.web.conftest import csrf_of, factory


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
    alive_at_close: list[bool] = []
    close = KnowwhoPool.close

    def watched_close(pool: KnowwhoPool) -> None:
        alive_at_close.append(any(t.name == "sync-work" and t.is_alive() for t in threading.enumerate()))
        close(pool)

    monkeypatch.setattr(KnowwhoPool, "close", watched_close)
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
