"""`knowwho import mail`: conversations from an mbox file, a maildir folder or .eml files.

Only headers are read. A message from me is an outbound email with each
recipient; a message to me is an inbound one from its sender. Mailing lists,
newsletters, automatic and no-reply mail, and messages that do not involve me
are skipped and counted by reason. People on the same personal message are
recorded as knowing each other.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from knowwho.errors import ImportFailed, InvalidInput
from knowwho.importers.base import ImportReport, ImportSession, Progress
from knowwho.importers.mail_headers import (
    Address,
    MailHeaders,
    NotAMailbox,
    iter_mbox,
    parse_headers,
    read_file_headers,
    to_text,
)
from knowwho.importers.mail_store import SOURCE, MailItem, MailWriter, Shape
from knowwho.storage import provenance as provenance_store

BATCH_SIZE = 2000
MAX_CO_RECIPIENTS = 10  # a message to more people says little about who knows whom

SKIP_LIST = "mailing lists and newsletters"
SKIP_AUTOMATIC = "automatic or no-reply senders"
SKIP_NOT_MINE = "not to or from you"
SKIP_NO_SENDER = "without a sender"
SKIP_SELF = "only to yourself"

_AUTOMATIC_SENDER = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?)(?:[-+_.].*)?@"
)
Recipients = tuple[Address, ...]
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_MAIL_HEADER = re.compile(
    rb"^(?:from|to|cc|date|subject|message-id|received|return-path|mime-version|delivered-to|sender|reply-to)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class MailSource:
    path: Path
    kind: Literal["mbox", "message"]
    size: int


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str


@dataclass(frozen=True, slots=True)
class Problem:
    message: str


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
    done = 0
    with ImportSession(kw, source=SOURCE, report=report, batch_size=BATCH_SIZE) as session:
        for address in given:
            provenance_store.add_my_email(session.conn, address)
        writer = MailWriter(session)
        classify = Classifier(mine)
        for source in sources:
            session.file = str(source.path)
            for where, headers, position in _messages(source, session):
                verdict = classify(headers)
                if isinstance(verdict, MailItem):
                    writer.add(verdict)
                elif isinstance(verdict, Skipped):
                    session.skip(verdict.reason)
                else:
                    session.problem(where, verdict.message)
                if progress is not None and not writer.pending:  # once per batch
                    progress(done + position, total)
            done += source.size
        writer.finish()
    if progress is not None:
        progress(total, total)
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


def _messages(source: MailSource, session: ImportSession) -> Iterator[tuple[str, MailHeaders, int]]:
    """(where, headers, bytes read) of each message in a source; unreadable files become problems."""
    try:
        if source.kind == "message":
            yield "headers", parse_headers(read_file_headers(source.path)), source.size
            return
        with source.path.open("rb") as stream:
            for number, offset, block in iter_mbox(stream):
                yield f"message {number} (byte {offset})", parse_headers(block), stream.tell()
    except (OSError, NotAMailbox) as error:
        session.problem("file", f"cannot read it ({getattr(error, 'strerror', None) or error})")


# -- deciding what a message is ------------------------------------------------------------


class Classifier:
    """Decides what each message is for me: a conversation to store, a skip with its reason, or a problem.

    Who a message is between depends only on its From, To and Cc values, which
    repeat across a mailbox (the same few hundred correspondents): that part is
    worked out once per distinct combination and shared.
    """

    def __init__(self, me: frozenset[str]) -> None:
        self.me = me
        self._shapes: dict[tuple[Address, Recipients, Recipients, Recipients], Shape | Skipped] = {}

    def __call__(self, headers: MailHeaders) -> MailItem | Skipped | Problem:
        if headers.is_list:
            return _SKIPPED[SKIP_LIST]
        sender = headers.sender
        if sender is None:
            return _SKIPPED[SKIP_NO_SENDER]
        if headers.is_automatic:
            return _SKIPPED[SKIP_AUTOMATIC]
        key = (sender, headers.to, headers.cc, headers.bcc)
        shape = self._shapes.get(key)
        if shape is None:
            if len(self._shapes) >= _SHAPE_CACHE_SIZE:
                self._shapes.clear()
            shape = self._shapes[key] = self._shape(*key)
        if isinstance(shape, Skipped):
            return shape
        if headers.date is None:
            shown = to_text(headers.date_raw)[:80]
            return Problem(
                f"unreadable Date {shown!r}; message skipped" if shown else "no Date header; message skipped"
            )
        return MailItem(headers.message_id or _fallback_id(headers), headers.date, headers.subject, shape)

    def _shape(self, sender: Address, to: Recipients, cc: Recipients, bcc: Recipients) -> Shape | Skipped:
        me = self.me
        address = sender[1]
        if _AUTOMATIC_SENDER.match(address):
            return _SKIPPED[SKIP_AUTOMATIC]
        recipients = _unique([*to, *cc, *bcc])
        others = tuple(r for r in recipients if r[1] not in me and r[1] != address)
        co_recipients: tuple[Address, ...] = ()
        if address in me:
            if not others:
                return _SKIPPED[SKIP_SELF]
            direction, counterparts = "out", others
        elif any(r[1] in me for r in recipients):
            direction, counterparts, co_recipients = "in", (sender,), others
        else:
            return _SKIPPED[SKIP_NOT_MINE]
        knows = len(counterparts) + len(co_recipients) <= MAX_CO_RECIPIENTS
        return Shape(direction, counterparts, co_recipients if knows else (), knows)


def classify(headers: MailHeaders, me: frozenset[str]) -> MailItem | Skipped | Problem:
    """What one message is for me (see `Classifier`, which is faster for many)."""
    return Classifier(me)(headers)


_SHAPE_CACHE_SIZE = 50_000
_SKIPPED = {r: Skipped(r) for r in (SKIP_LIST, SKIP_AUTOMATIC, SKIP_NOT_MINE, SKIP_NO_SENDER, SKIP_SELF)}


def _unique(people: list[Address]) -> list[Address]:
    seen: dict[str, Address] = {}
    for name, address in people:
        if address not in seen or (name and not seen[address][0]):
            seen[address] = (name, address)
    return list(seen.values())


def _fallback_id(headers: MailHeaders) -> str:
    """A stable id for a message without Message-ID: its sender, date and subject."""
    sender = headers.sender[1] if headers.sender else ""
    key = "\x1f".join((sender, to_text(headers.date_raw), headers.subject))
    return "sha1:" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()
