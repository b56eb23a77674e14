"""Syncing an IMAP account: the headers of new messages in INBOX and Sent become conversations.

Per folder the status table keeps the UIDVALIDITY, the last UID read and,
where the server offers CONDSTORE, the HIGHESTMODSEQ: a run asks only for
UIDs after the last one (and skips a folder whose UIDNEXT and MODSEQ have
not moved). Only header fields are fetched (`BODY.PEEK[HEADER.FIELDS ...]`),
never a body, and nothing is marked read. Who becomes a person, what is
skipped and how a message is matched (its Message-ID) are the rules of
`import mail`, whose reader and writer do the work: a re-run, a message
already imported from a file, or a server that renumbered a folder (a new
UIDVALIDITY: the folder is read again) adds nothing twice. Each chunk of
messages is committed with the folder's new last UID, so a run killed
anywhere loses nothing and the next run goes on from there.
"""

from __future__ import annotations

import imaplib
import json
import re
import sqlite3
import ssl
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from knowwho.errors import SyncFailed
from knowwho.services.sync.kinds import SyncSummary
from knowwho.storage import agenda as agenda_store
from knowwho.storage import provenance as provenance_store
from knowwho.storage import sync as sync_store

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.importers.base import Progress
    from knowwho.importers.mail_reader import Batch, Shape
    from knowwho.storage.sync import SyncSource

FOLDER = "imap-folder"  # the status table's item kind: one row per folder
CHUNK = 2000  # messages per FETCH, and per committed batch (as `import mail` commits)
TIMEOUT_S = 30.0
# The header fields `import mail` reads; nothing else is asked for.
FIELDS = "FROM TO CC BCC DATE MESSAGE-ID IN-REPLY-TO SUBJECT LIST-ID LIST-UNSUBSCRIBE PRECEDENCE AUTO-SUBMITTED"
SKIP_UNKNOWN = "with people not yet in knowwho (--known-only)"
_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (?P<name>.+)$')
_FETCHED_UID = re.compile(rb"\bUID (\d+)")


@dataclass
class FolderState:
    """What the status table remembers of a folder."""

    uidvalidity: int = 0
    last_uid: int = 0
    modseq: int = 0
    uidnext: int = 0

    @classmethod
    def parse(cls, text: str) -> FolderState:
        data = json.loads(text) if text else {}
        return cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})

    def dumps(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


@dataclass
class FolderPlan:
    name: str
    state: FolderState  # as it will be once every UID below is stored
    uids: list[int]


def run(kw: Knowwho, source: SyncSource, secret: str | None, progress: Progress | None) -> SyncSummary:
    settings = source.settings
    me = _my_addresses(kw, settings["user"])
    with _connected(settings, secret) as client:
        plans = _plan(kw, source, client)
        summary = SyncSummary()
        total = sum(len(plan.uids) for plan in plans)
        if total == 0:
            with kw.db.transaction() as conn:  # a new MODSEQ alone is remembered, so the next run skips faster
                _save_unchanged(kw, source, plans, conn)
            return summary
        owed_before = _replies_owed(kw)
        _store(kw, source, client, plans, me, summary, progress, total)
    summary.replies_cleared = len(owed_before - _replies_owed(kw))
    return summary


# -- connecting -----------------------------------------------------------------------------
class _Client:
    """An IMAP connection that turns the server's refusals into one line (SyncFailed)."""

    def __init__(self, connection: imaplib.IMAP4) -> None:
        self.connection = connection
        self.capabilities: set[str] = set(connection.capabilities)

    def command(self, what: str, name: str, *args: Any, refused: str = "") -> list[Any]:
        """Run one imaplib command; `refused` is the line to say when the server answers NO."""
        try:
            status, data = getattr(self.connection, name)(*args)
        except imaplib.IMAP4.abort:
            raise SyncFailed(f"the server closed the connection while {what}") from None
        except imaplib.IMAP4.error as error:
            raise SyncFailed(f"the server refused {what} ({_server_text(error)})") from None
        if status != "OK":
            raise SyncFailed(refused or f"the server refused {what} ({_server_text(data)})")
        return list(data)


def _server_text(said: object) -> str:
    """The server's own words, shortened and printable (never Python's exception text)."""
    if isinstance(said, imaplib.IMAP4.error):
        said = said.args[0] if said.args else ""
    if isinstance(said, list):
        said = said[0] if said else b""
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    text = re.sub(r"^[A-Z]+ command error: BAD \[b?'?|'?\]$", "", text)
    return " ".join(text.split())[:160] or "no reason given"


class _connected:
    """`with _connected(settings, secret) as client`: a logged-in connection, logged out afterwards."""

    def __init__(self, settings: dict[str, Any], secret: str | None) -> None:
        self.settings, self.secret = settings, secret
        self.client: _Client | None = None

    def __enter__(self) -> _Client:
        if not self.secret:
            raise SyncFailed("no password kept for this source: add it again, or give --password-file")
        host, port, security = self.settings["host"], int(self.settings["port"]), self.settings["security"]
        try:
            if security == "tls":
                context = _tls_context(self.settings)
                connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=TIMEOUT_S)
            else:
                connection = imaplib.IMAP4(host, port, timeout=TIMEOUT_S)
                if security == "starttls":
                    if "STARTTLS" not in connection.capabilities:
                        connection.shutdown()
                        raise SyncFailed(f"the server does not offer STARTTLS on port {port}: use port 993 (TLS)")
                    connection.starttls(ssl_context=_tls_context(self.settings))
        except imaplib.IMAP4.error as error:
            problem = f"the server at {host}:{port} did not answer as an IMAP server ({_server_text(error)})"
            raise SyncFailed(problem) from None
        client = self.client = _Client(connection)
        try:
            connection.login(self.settings["user"], self.secret)
        except imaplib.IMAP4.error:
            connection.shutdown()
            raise SyncFailed("the server refused the user name or password") from None
        client.capabilities = _capabilities(client)
        if "CONDSTORE" in client.capabilities:  # every folder opened then tells its HIGHESTMODSEQ
            client.command("CONDSTORE", "enable", "CONDSTORE")
        return client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with suppress(imaplib.IMAP4.error, OSError):  # the connection is gone anyway
                self.client.connection.logout()


def _tls_context(settings: dict[str, Any]) -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or the CA file the source names (loaded only for TLS: slow)."""
    return ssl.create_default_context(cafile=settings.get("ca_file") or None)


def _capabilities(client: _Client) -> set[str]:
    """The capabilities after login (servers offer more, such as CONDSTORE, to a logged-in user)."""
    data = client.command("the list of capabilities", "capability")
    words = data[0].decode("ascii", "replace").upper().split() if data and data[0] else []
    return set(words) | client.capabilities


# -- what to read ----------------------------------------------------------------------------
def _plan(kw: Knowwho, source: SyncSource, client: _Client) -> list[FolderPlan]:
    """For each folder, the UIDs to read; every folder is checked before anything is written."""
    names = source.settings.get("folders") or ["INBOX", *_sent_folders(client)]
    since = source.settings.get("since")
    known = sync_store.items(kw.db.conn, source.id, FOLDER)
    condstore = "CONDSTORE" in client.capabilities
    plans = []
    for name in names:
        before = FolderState.parse(known[name].state) if name in known else FolderState()
        plans.append(_plan_folder(client, name, before, since, condstore=condstore))
    return plans


def _sent_folders(client: _Client) -> list[str]:
    """The folder(s) the server marks \\Sent (SPECIAL-USE)."""
    found = []
    for line in client.command("the list of folders", "list"):
        match = _LIST_LINE.match(line) if isinstance(line, bytes) else None
        if match and b"\\sent" in match["flags"].lower().split():
            found.append(_unquoted(match["name"]))
    return found


def _unquoted(name: bytes) -> str:
    text = name.decode("utf-8", "replace")
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plan_folder(client: _Client, name: str, before: FolderState, since: str | None, *, condstore: bool) -> FolderPlan:
    _open(client, name)
    state = FolderState(
        uidvalidity=_code(client, "UIDVALIDITY"), last_uid=before.last_uid, modseq=_code(client, "HIGHESTMODSEQ"),
        uidnext=_code(client, "UIDNEXT"),
    )  # fmt: skip
    if state.uidvalidity != before.uidvalidity:
        state.last_uid = 0  # renumbered (or never read): read it all again; Message-IDs keep it from doubling
    elif state.uidnext and state.uidnext <= state.last_uid + 1:
        return FolderPlan(name, state, [])  # nothing new since the last run
    elif condstore and state.modseq and state.modseq == before.modseq and state.uidnext == before.uidnext:
        return FolderPlan(name, state, [])
    criteria = [f"UID {state.last_uid + 1}:*"]
    if since:
        criteria.append("SINCE " + date.fromisoformat(since).strftime("%d-%b-%Y"))
    found = client.command(f"the search of folder {name!r}", "uid", "SEARCH", *criteria)
    numbers = b" ".join(part for part in found if isinstance(part, bytes)).split()
    uids = sorted(uid for uid in map(int, numbers) if uid > state.last_uid)  # "n:*" holds the last UID even if < n
    if uids:
        state.last_uid = uids[-1]
    return FolderPlan(name, state, uids)


def _open(client: _Client, name: str) -> None:
    """Open a folder read-only (EXAMINE: nothing is marked read); a missing folder is one clear line."""
    missing = f"folder {name!r} does not exist on the server (or cannot be opened): check --folder"
    client.command(f"opening folder {name!r}", "select", _quoted(name), True, refused=missing)


def _code(client: _Client, name: str) -> int:
    """A number the server gave when the folder was opened (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ); 0 if none."""
    _name, values = client.connection.response(name)
    value = values[-1] if values else None
    return int(value) if isinstance(value, bytes) and value.isdigit() else 0


# -- storing ---------------------------------------------------------------------------------
def _store(
    kw: Knowwho,
    source: SyncSource,
    client: _Client,
    plans: list[FolderPlan],
    me: frozenset[str],
    summary: SyncSummary,
    progress: Progress | None,
    total: int,
) -> None:
    from knowwho.importers.base import ImportReport, ImportSession
    from knowwho.importers.mail import BATCH_SIZE
    from knowwho.importers.mail_reader import HeaderBlocks
    from knowwho.importers.mail_store import SOURCE, MailWriter

    report = ImportReport(kind="mail", files=[f"{source.name} (IMAP)"])
    with ImportSession(kw, source=SOURCE, report=report, batch_size=BATCH_SIZE) as session:
        if "@" in source.settings["user"]:  # the account's address is mine from now on, as `import mail --me` does
            provenance_store.add_my_email(session.conn, source.settings["user"])
        reader = HeaderBlocks(me, session.days)
        writer = MailWriter(session)
        known = {address for address, found in writer.people.items() if found is not None}
        kept_shapes: dict[int, Shape | None] = {}
        done = 0
        chunks = _chunks(client, source, plans)
        for plan, uids, blocks in session.outside_transaction(chunks):
            batch = reader.batch(f"{source.name} {plan.name}", blocks)
            if source.settings.get("known_only"):
                _keep_known(batch, known, kept_shapes)
            writer.store(batch)
            # Stored with the messages read; MODSEQ and UIDNEXT only once the folder is read to the end,
            # else a run killed meanwhile would leave the rest looking read.
            finished = uids[-1] == plan.uids[-1]
            reached = plan.state if finished else FolderState(plan.state.uidvalidity, last_uid=uids[-1])
            sync_store.save_item(session.conn, source.id, FOLDER, plan.name, state=reached.dumps(), now=session.now)
            done += len(uids)
            session.position = (done, total)
            if progress is not None:
                progress(done, total)
        writer.finish()
        _save_unchanged(kw, source, [p for p in plans if not p.uids], session.conn)
    summary.new_conversations = report.interactions_added
    summary.people_added = report.added
    summary.problems = [str(problem) for problem in report.problems]
    if report.skipped:
        summary.lines.append("skipped: " + ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common()))
    if report.interactions_existing:
        summary.lines.append(f"{report.interactions_existing} already here (matched by Message-ID)")


def _chunks(
    client: _Client, source: SyncSource, plans: list[FolderPlan]
) -> Iterator[tuple[FolderPlan, list[int], list[tuple[str, bytes]]]]:
    """(folder, UIDs, (where, header block) pairs) per CHUNK messages; fetched while no transaction is open."""
    for plan in plans:
        if not plan.uids:
            continue
        _open(client, plan.name)
        for start in range(0, len(plan.uids), CHUNK):
            uids = plan.uids[start : start + CHUNK]
            yield plan, uids, _fetch_headers(client, plan.name, uids)


def _fetch_headers(client: _Client, folder: str, uids: list[int]) -> list[tuple[str, bytes]]:
    data = client.command(
        f"fetching headers from folder {folder!r}",
        "uid",
        "FETCH",
        _uid_set(uids),
        f"(UID BODY.PEEK[HEADER.FIELDS ({FIELDS})])",
    )
    blocks = []
    for part in data:
        if isinstance(part, tuple) and len(part) == 2:
            found = _FETCHED_UID.search(part[0])
            where = f"UID {int(found[1])}" if found else "a message"
            blocks.append((where, part[1]))
    return blocks


def _uid_set(uids: list[int]) -> str:
    """'3:7,9,12:13' for [3, 4, 5, 6, 7, 9, 12, 13]: a short command whatever the count."""
    ranges: list[list[int]] = []
    for uid in uids:
        if ranges and uid == ranges[-1][1] + 1:
            ranges[-1][1] = uid
        else:
            ranges.append([uid, uid])
    return ",".join(f"{a}:{b}" if a != b else str(a) for a, b in ranges)


def _keep_known(batch: Batch, known: set[str], kept: dict[int, Shape | None]) -> None:
    """Limit a batch to people already in knowwho: unknown addresses are dropped, and messages left with nobody."""
    from knowwho.importers.mail_reader import Shape

    for number, shape in batch.shapes.items():
        counterparts = tuple(a for a in shape.counterparts if a[1] in known)
        others = tuple(a for a in shape.others if a[1] in known)
        kept[number] = Shape(shape.direction, counterparts, others, shape.knows) if counterparts else None
    batch.shapes = {number: shape for number, shape in ((n, kept[n]) for n in batch.shapes) if shape is not None}
    items = [item for item in batch.items if kept.get(item[3]) is not None]
    if len(items) < len(batch.items):
        batch.skipped[SKIP_UNKNOWN] += len(batch.items) - len(items)
    batch.items = items


def _save_unchanged(kw: Knowwho, source: SyncSource, plans: list[FolderPlan], conn: sqlite3.Connection) -> None:
    """Remember folders with nothing to read (their UIDVALIDITY and MODSEQ), when those changed."""
    known = sync_store.items(conn, source.id, FOLDER)
    for plan in plans:
        if plan.name not in known or FolderState.parse(known[plan.name].state) != plan.state:
            sync_store.save_item(conn, source.id, FOLDER, plan.name, state=plan.state.dumps(), now=kw.ctx.now_stamp())


def _my_addresses(kw: Knowwho, user: str) -> frozenset[str]:
    """The account's address and those `knowwho me` knows: mail from them is mine."""
    mine = set(provenance_store.my_emails(kw.db.conn))
    if "@" in user:
        mine.add(user.lower())
    if not mine:
        raise SyncFailed(
            "which mail is yours? The user name is not an email address: "
            "give your addresses once with `knowwho import mail FILE --me you@example.com`, or in Settings"
        )
    return frozenset(mine)


def _replies_owed(kw: Knowwho) -> set[int]:
    rows = agenda_store.replies_owed(kw.db.conn, newest=kw.ctx.now_stamp(), oldest="")
    return {int(row["id"]) for row in rows}
