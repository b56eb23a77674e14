"""A real Dovecot IMAP server per test (skipped when Dovecot is not installed), seeded from a test mailbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.services.sync.sources import imap_settings
from knowwho.storage.sync import SyncSource
from tests.conftest import FIXTURES
from tools.local_servers.dovecot import PASSWORD, USER, Dovecot, available

MBOX = FIXTURES / "email" / "mbox" / "knowwho_conversations.mbox"


_SEPARATOR = re.compile(rb"^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n", re.MULTILINE)


def mbox_messages(path: Path = MBOX) -> list[bytes]:
    """The messages of an mbox file (split at full "From address date" lines only, as knowwho reads them)."""
    return [part for part in _SEPARATOR.split(path.read_bytes()) if part.strip()]


def seed(server: Dovecot, messages: list[bytes], *, prefix: str = "m") -> None:
    """Mail from me goes to Sent, the rest to INBOX, as a mail client files them."""
    for number, message in enumerate(messages):
        header = message.split(b"\n\n", 1)[0].lower()
        sent = b"\nfrom: me myself <me@example.org>" in b"\n" + header or b"\nfrom: me@example.org" in b"\n" + header
        server.deliver("Sent" if sent else "INBOX", message, key=f"{prefix}{number:05d}")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "imap-password"
    path.write_text(PASSWORD + "\n")
    return path


@pytest.fixture
def source(kw: Knowwho, dovecot: Dovecot, password_file: Path) -> SyncSource:
    """The test server's account, seeded with the test mailbox, as source "work"."""
    seed(dovecot, mbox_messages())
    settings = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True)
    return kw.sync.add("imap", "work", settings, password_file=str(password_file))
