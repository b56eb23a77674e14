"""`knowwho import mail`: conversations from an mbox file, a maildir folder or .eml files.

Only headers are read. A message from me is an outbound email with each
recipient; a message to me is an inbound one from its sender. Mailing lists,
newsletters, automatic and no-reply mail, and messages that do not involve me
are skipped and counted by reason. People on the same personal message are
recorded as knowing each other.

Reading (`mail_mbox`, `mail_headers`, `mail_reader`) needs no database; for a
large input it runs in a helper process while this one writes (`mail_store`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from knowwho.errors import ImportFailed, InvalidInput
from knowwho.importers import mail_reader
from knowwho.importers.base import ImportReport, ImportSession, Progress
from knowwho.importers.mail_reader import MailSource
from knowwho.importers.mail_store import SOURCE, MailWriter
from knowwho.storage import provenance as provenance_store

BATCH_SIZE = 2000  # conversations per transaction

_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_MAIL_HEADER = re.compile(
    rb"^(?:from|to|cc|date|subject|message-id|received|return-path|mime-version|delivered-to|sender|reply-to)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def import_path(
    kw: Any, path: Path, *, progress: Progress | None = None, me: Iterable[str] | str | None = None, **_: Any
) -> ImportReport:
    sources = find_sources(Path(path))
    given = _my_addresses([me] if isinstance(me, str) else list(me or []))
    mine = frozenset(provenance_store.my_emails(kw.db.conn) | set(given))
    if not mine:
        raise InvalidInput("which addresses are yours? Pass --me you@example.com (once; it is remembered)")
    report = ImportReport(kind="mail", files=[str(path)])
    total = sum(s.size for s in sources)
    with ImportSession(kw, source=SOURCE, report=report, batch_size=BATCH_SIZE) as session:
        for address in given:
            provenance_store.add_my_email(session.conn, address)
        writer = MailWriter(session)
        for batch in session.outside_transaction(
            mail_reader.batches(sources, mine, days=session.days, batch_size=BATCH_SIZE)
        ):
            writer.store(batch)  # committed before the next batch is read
            session.position = (batch.done, total)
            if progress is not None:
                progress(batch.done, total)
        writer.finish()
    return report


def _my_addresses(given: list[str]) -> list[str]:
    addresses = []
    for value in given:
        address = value.strip().strip("<>").lower()
        if "@" not in address or " " in address:
            raise InvalidInput(f"--me {value!r} is not an email address")
        addresses.append(address)
    return addresses


# -- finding the input ---------------------------------------------------------------------


def find_sources(path: Path) -> list[MailSource]:
    """The mailboxes and message files under `path`; one clear error when there is nothing to read."""
    if path.is_dir():
        sources = list(_folder_sources(path))
        if not sources:
            raise ImportFailed(f"{path}: no mail found (expected an mbox file, a maildir folder or .eml files)")
        return sources
    kind = _sniff(path)
    return [MailSource(path, kind, _size(path))]


def _folder_sources(root: Path) -> Iterator[MailSource]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or _is_maildir(Path(folder, d)))
        here = Path(folder)
        if here.name == "tmp" and _is_maildir(here.parent):
            continue  # messages still being delivered
        in_maildir = here.name in ("cur", "new") and _is_maildir(here.parent)
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = here / name
            if not file.is_file():  # a named pipe left in the folder would wait forever for a writer
                continue
            if in_maildir or name.lower().endswith(".eml"):
                yield MailSource(file, "message", _size(file))
            elif name.lower().endswith(".mbox") or _starts_like_mbox(file):
                yield MailSource(file, _sniff(file), _size(file))


def _is_maildir(folder: Path) -> bool:
    return (folder / "cur").is_dir() and (folder / "new").is_dir()


def _starts_like_mbox(file: Path) -> bool:
    try:
        with file.open("rb") as stream:
            return stream.read(5) == b"From "
    except OSError:
        return False


def _sniff(path: Path) -> Literal["mbox", "message"]:
    try:
        with path.open("rb") as stream:
            head = stream.read(1024)
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it ({error.strerror or error})") from error
    if not head:
        raise ImportFailed(f"{path}: the file is empty")
    if head.startswith(b"From "):
        return "mbox"
    if _HEADER_LINE.match(head) and _MAIL_HEADER.search(head):
        return "message"
    raise ImportFailed(f"{path}: not an mbox file or an email message")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
