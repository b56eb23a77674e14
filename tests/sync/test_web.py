"""Sync in the web UI and the API: sources listed with their last run and error, syncing now, the server's schedule."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.sync.runner import sync_lock
from knowwho.services.sync.sources import imap_settings
from knowwho.storage.sync import SyncSource
from knowwho.web.app import create_app
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


def test_settings_lists_sources_and_syncs_one_now(
    client: TestClient, kw: Knowwho, source: SyncSource, dovecot: Dovecot, tmp_path: Path
) -> None:
    add_wrong_password_source(kw, dovecot, tmp_path)
    page = client.get("/settings").text
    assert 'id="sync"' in page and "Sync work now" in page and page.count(">never<") == 2
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/sync/work", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings#sync"
    page = client.get("/settings").text
    assert "Synced work: 4 new conversations, 4 people added, 1 problem." in page
    assert "4 new conversations, 4 people added, 1 problem</td>" in page
    client.post("/settings/sync/broken", data={"csrf_token": token})
    page = client.get("/settings").text
    assert "broken: the server refused the user name or password" in page
    assert PASSWORD not in page


def test_the_api_lists_sources_and_syncs_one(
    client: TestClient, kw: Knowwho, source: SyncSource, dovecot: Dovecot, tmp_path: Path
) -> None:
    add_wrong_password_source(kw, dovecot, tmp_path)
    synced = client.post("/api/sync/work", json={})
    assert synced.status_code == 200
    assert synced.json()["new_conversations"] == 4 and synced.json()["headline"].startswith("4 new conversations")
    failed = client.post("/api/sync/broken", json={})
    assert (
        failed.status_code == 502 and failed.json()["error"] == "broken: the server refused the user name or password"
    )
    assert client.post("/api/sync/nosuch", json={}).status_code == 404
    listed = {s["name"]: s for s in client.get("/api/sync").json()}
    assert listed["work"]["last_summary"]["people_added"] == 4 and listed["work"]["last_error"] is None
    assert listed["broken"]["last_error"].startswith("broken: ") and listed["broken"]["last_summary"] is None
    with sync_lock(kw):  # a sync from the command line is running
        assert client.post("/api/sync/work", json={}).status_code == 409


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
