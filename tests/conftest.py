"""Shared fixtures: a fresh database per test and a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho

pytest_plugins = ["tests.dav_server"]  # the real CardDAV/CalDAV server of the sync tests

# A fixed "now" for every dated test: Wednesday 2026-11-18, 15:00 UTC.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local time is UTC in tests, so calendar dates are predictable."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture(autouse=True)
def _frozen_app_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command, page and call in a test runs on the same frozen day, never the real calendar."""
    monkeypatch.setenv("KNOWWHO_NOW", NOW.isoformat())


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's keyring (tests that need one set an in-memory backend)."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


class MemoryKeyring(KeyringBackend):
    """A keyring that lives only in this test: never the user's real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring for this test (back to the failing one afterwards)."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "knowwho.db"


@pytest.fixture
def kw(db_path: Path) -> Iterator[Knowwho]:
    app = Knowwho.open(db_path, clock=fixed_clock(NOW))
    yield app
    app.close()
