"""Web fixtures: a server over a fresh database (empty or filled through the services) and its test client."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.web.app import create_app
from knowwho.web.state import KnowwhoPool
from tests.conftest import NOW

XSS = "<img src=x onerror=alert(1)>"


def factory(db_path: Path) -> Callable[[], Knowwho]:
    return lambda: Knowwho.open(db_path, clock=fixed_clock(NOW), check_same_thread=False)


def thread_alive_at_pool_close(monkeypatch: pytest.MonkeyPatch, thread_name: str) -> list[bool]:
    """Whether a thread of this name was still running each time the server closed its connections."""
    seen: list[bool] = []
    close = KnowwhoPool.close

    def watched_close(pool: KnowwhoPool) -> None:
        seen.append(any(t.name == thread_name and t.is_alive() for t in threading.enumerate()))
        close(pool)

    monkeypatch.setattr(KnowwhoPool, "close", watched_close)
    return seen


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def fill(kw: Knowwho) -> dict[str, int]:
    """A small network with something on every page: roles past and present, talks, follow-ups, an XSS name."""
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme", title="Data lead",
                        tags=["python", "mentor"], closeness=4, note="Loves climbing")  # fmt: skip
    raj = kw.people.add("Raj Patel", emails=["raj@globex.example"], organization="Acme", title="Engineer")
    kw.people.edit(raj.id, _changes(organization="Globex", title="Staff engineer"))
    new = kw.people.add("Mia Chen", how_met="PyCon Berlin", first_met_on=(NOW.date() - timedelta(days=1)).isoformat())
    evil = kw.people.add(XSS, organization=XSS, tags=["x"], note=XSS)
    kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=100), note="talked about search")
    kw.interactions.log([raj.id], kind="email", direction="in", when=NOW - timedelta(days=3), subject="intro?")
    kw.interactions.log([ana.id, raj.id], kind="meeting", when=NOW - timedelta(days=20), note=XSS)
    kw.followups.add(ana.id, NOW.date(), note="send the article")
    kw.followups.add(evil.id, NOW.date() - timedelta(days=2), note=XSS)
    return {"ana": ana.id, "raj": raj.id, "mia": new.id, "evil": evil.id}


def _changes(**fields: str):  # type: ignore[no-untyped-def]
    from knowwho.services.people import PersonChanges

    return PersonChanges(**fields)


@pytest.fixture
def filled(kw: Knowwho) -> dict[str, int]:
    return fill(kw)


def csrf_of(client: TestClient, path: str = "/") -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert found, "no CSRF token on the page"
    return found.group(1)
