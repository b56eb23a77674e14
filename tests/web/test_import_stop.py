"""Stopping the server during an import, and an importer's unexpected error: the user reads what happened."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.web.app import create_app
from knowwho.web.jobs import Job
from tests.web.conftest import csrf_of, factory, thread_alive_at_pool_close

pytest.importorskip("knowwho.importers.vcard")
PYTHON_WORDS = ("ValueError", "invalid literal", "Traceback", "Error:")


def _cards(count: int) -> bytes:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.org\r\nEND:VCARD\r\n" for n in range(count)
    ).encode()


def _start(client: TestClient, name: str, content: bytes) -> Job:
    token = csrf_of(client, "/transfer")
    response = client.post("/transfer/import", data={"kind": "vcard", "csrf_token": token},
                           files={"file": (name, content, "text/vcard")}, headers={"accept": "application/json"})  # fmt: skip
    assert response.status_code == 200, response.text
    job: Job | None = client.app.state.knowwho.jobs.get(response.json()["job"]["id"])  # type: ignore[attr-defined]
    assert job is not None
    return job


def _wait(until: Any, what: str) -> None:
    for _ in range(600):
        if until():
            return
        time.sleep(0.01)
    raise AssertionError(f"waited in vain for {what}")


def test_stopping_the_server_stops_the_import_before_closing_its_connection(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_at_close = thread_alive_at_pool_close(monkeypatch, "import")
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as client:
        job = _start(client, "phone.vcf", _cards(20_000))
        assert job.folder is not None and job.folder.exists()
        _wait(lambda: job.done >= 1500, "a first batch to be committed")
    # The server has stopped (lifespan ended) with the import half done.
    assert seen_at_close == [False]  # the import had ended when the connections were closed
    assert job.state == "failed" and job.error.startswith("phone.vcf: the server stopped; interrupted: ")
    assert "run the same import again to finish" in job.error
    assert not job.folder.exists()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    kw = Knowwho.open(db_path)
    try:
        stored = kw.people.count()
        assert 0 < stored < 20_000
        assert kw.history.latest().endswith("(vcard), interrupted")  # type: ignore[union-attr]
        kw.history.undo()
        assert kw.people.count() == 0
    finally:
        kw.close()


def test_an_unexpected_importer_error_is_told_in_words_naming_the_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowwho.importers.vcard as vcard

    real = vcard._import_card
    calls = iter(range(10_000))

    def breaks_on_the_150th(session: Any, card: Any) -> None:
        if next(calls) == 150:
            int("x1")  # an importer bug: the kind of error a user must not read
        real(session, card)

    monkeypatch.setattr(vcard, "_import_card", breaks_on_the_150th)
    job = _start(client, "contacts.vcf", _cards(300))
    _wait(lambda: job.state != "running", "the import to end")
    assert job.state == "failed"
    assert job.error.startswith("contacts.vcf: the import stopped near record 101, on a value it could not read")
    assert not any(words in job.error for words in PYTHON_WORDS)
    page = client.get(f"/transfer/jobs/{job.id}").text
    assert "contacts.vcf: the import stopped near record 101" in page
    assert not any(words in page for words in PYTHON_WORDS)
    assert job.folder is not None and not job.folder.exists()
