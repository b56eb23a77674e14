"""A CardDAV address book: its cards become people by the rules of `import vcard`, and (opt-in) back.

The status table keeps, for each card's href, the ETag and what the card said
when last read ({"etag", "name", "uid"}) and the person it became. A run asks
the server what changed since its sync-token (or lists every ETag), reads only
the cards whose ETag moved, and saves each card's status in the same
transaction as the person: killed in the middle, the next run skips what was
stored and reads the rest. The token is saved last, so an interrupted or
partly failed run is asked again. A card deleted on the server keeps its
person (knowwho is the memory); the status row says so. With `push`, people
added or edited in knowwho since the last run are written back with
If-Match/If-None-Match: a card changed on the server meanwhile is left as it
is (both versions kept) and the conflict reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knowwho.errors import SyncFailed
from knowwho.importers import vcard
from knowwho.importers.base import ImportReport, ImportSession, Progress
from knowwho.services.sync import dav
from knowwho.services.sync.kinds import SyncSummary
from knowwho.storage import dav as dav_store
from knowwho.storage import people as people_store
from knowwho.storage import sync as sync_store
from knowwho.wording import plural

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.storage.sync import SyncSource

SOURCE = vcard.SOURCE  # provenance shared with `import vcard`: a card imported from a file is the same person
CARD = "card"
TOKEN = "token"  # item kind of the collection's sync-token (remote key "")
PUSHED = "pushed"  # item kind of the last push's time (remote key "")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")  # what a new card's file name may hold on every server
_UID_LINE = re.compile(r"^UID:.*$", re.MULTILINE)
_FOLLOWED = ("display_name", "given_name", "family_name")  # what a server edit changes in knowwho


@dataclass(frozen=True, slots=True)
class CardStatus:
    href: str
    etag: str
    name: str
    uid: str
    person_id: int | None
    removed: bool


def run(kw: Knowwho, source: SyncSource, secret: str | None, progress: Progress | None) -> SyncSummary:
    settings = source.settings
    summary = SyncSummary()
    with dav.client_for(settings, dav.address_book(settings["url"]), secret) as client:
        if settings.get("push"):  # first: a card changed on the server since is then still a conflict
            push(kw, source, client, summary)
        unreadable = pull(kw, source, client, summary, progress)
    if settings.get("push"):  # what the pull changed is the server's already: the next push starts after it
        with kw.db.transaction() as tx:
            sync_store.save_item(tx, source.id, PUSHED, "", state=kw.ctx.now_stamp(), now=kw.ctx.now_stamp())
    if unreadable:
        raise SyncFailed(unreadable_items(unreadable, "card"))
    return summary


def unreadable_items(problems: list[str], what: str) -> str:
    """One line for the items that could not be read: the first, how many more, and that they are retried."""
    more = f" (and {plural(len(problems) - 1, 'more ' + what)})" if len(problems) > 1 else ""
    return f"{problems[0]}{more}; everything else was synced, and the next run tries again"


# -- from the server -----------------------------------------------------------------------
def pull(
    kw: Knowwho, source: SyncSource, client: dav.DavClient, summary: SyncSummary, progress: Progress | None
) -> list[str]:
    """Bring in what changed on the server; what could not be read, one line each (left for the next run)."""
    conn = kw.db.conn
    token_item = sync_store.items(conn, source.id, TOKEN).get("")
    token = token_item.state if token_item else ""
    changes = client.changes_since(token, lambda: [h for h, c in statuses(conn, source.id).items() if not c.removed])
    if unchanged(changes, token):
        return []
    known = statuses(conn, source.id)
    wanted = [href for href, etag in changes.present.items() if href not in known or known[href].etag != etag]
    report = ImportReport(kind="carddav", files=[source.name])
    unreadable: list[str] = []
    with ImportSession(kw, source=SOURCE, report=report) as session:
        session.file = source.name
        for done, fetched in enumerate(session.outside_transaction(client.batches(wanted)), start=1):
            for href, (etag, text) in fetched.items():
                problem = _take_card(session, source, summary, href, etag, text, known.get(href))
                if problem:
                    unreadable.append(problem)
                session.record_done()
            if progress:
                progress(min(done * dav.MULTIGET_SIZE, len(wanted)), len(wanted))
        for href in changes.removed:
            _card_gone(session, source, summary, known.get(href))
        if not unreadable:
            sync_store.save_item(session.conn, source.id, TOKEN, "", state=changes.token, now=session.now)
    summary.people_added += report.added
    summary.problems += [f"{p.where} {p.message}" for p in report.problems]
    return unreadable


def unchanged(changes: dav.Changes, token: str) -> bool:
    """Nothing changed on the server since the last run: nothing to read, and nothing to write (no change to undo)."""
    return bool(token) and changes.token == token and not changes.present and not changes.removed


def statuses(conn: Any, source_id: int) -> dict[str, CardStatus]:
    found = {}
    for href, item in sync_store.items(conn, source_id, CARD).items():
        state = json.loads(item.state or "{}")
        person = item.local_ids.get("person")
        found[href] = CardStatus(
            href, state.get("etag", ""), state.get("name", ""), state.get("uid", ""), person, bool(state.get("removed"))
        )
    return found


def _take_card(
    session: ImportSession,
    source: SyncSource,
    summary: SyncSummary,
    href: str,
    etag: str,
    text: str,
    before: CardStatus | None,
) -> str:
    """Bring one card in (a new person, or the edits to one we know); why it cannot be read, or ""."""
    try:
        component, notes = vcard.parse_card(text)
    except ValueError as error:
        return f"card {_name(href)} could not be read: {error}"
    for note in notes:
        session.problem(f"card {_name(href)}", note)
    candidate, uid = vcard.card_candidate(component)
    if candidate is None:
        session.problem(f"card {_name(href)}", "has no name, email or phone; left out")
        _save(session, source.id, CardStatus(href, etag, "", uid, None, False))
        return ""
    candidate.birthday = session.kept_birthday(candidate.birthday, f"card {_name(href)}")
    person_id = session.upsert_person(candidate, external_id=uid or href)
    if person_id is not None and before is not None and before.person_id == person_id:
        _follow_edit(session, person_id, candidate, before)
        summary.contacts_changed += 1
    elif session.filled_in:  # a card new to this book that completed someone already known
        summary.people_updated += 1
    _save(session, source.id, CardStatus(href, etag, candidate.display_name, uid, person_id, False))
    return ""


def _follow_edit(session: ImportSession, person_id: int, candidate: Any, before: CardStatus) -> None:
    """A card edited on the server: its new name replaces the old one, unless the name was changed in knowwho."""
    person = people_store.get(session.conn, person_id, with_details=False)
    if person is None or candidate.display_name == before.name or person.display_name != before.name:
        return
    fields = {name: getattr(candidate, name) for name in _FOLLOWED if getattr(candidate, name)}
    people_store.update(session.conn, person_id, now=session.now, **fields)


def _card_gone(session: ImportSession, source: SyncSource, summary: SyncSummary, before: CardStatus | None) -> None:
    """Deleted on the server: the person stays; the status row remembers, for the person page."""
    if before is None or before.removed:
        return
    _save(session, source.id, CardStatus(before.href, "", before.name, before.uid, before.person_id, True))
    summary.contacts_changed += 1
    summary.lines.append(f"{before.name}: deleted from this address book; kept in knowwho")


def _save(session: ImportSession, source_id: int, card: CardStatus) -> None:
    state = {"etag": card.etag, "name": card.name, "uid": card.uid} | ({"removed": 1} if card.removed else {})
    local = {"person": card.person_id} if card.person_id else {}
    sync_store.save_item(
        session.conn, source_id, CARD, card.href, state=json.dumps(state), local_ids=local, now=session.now
    )


def _name(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]


# -- to the server -------------------------------------------------------------------------
def push(kw: Knowwho, source: SyncSource, client: dav.DavClient, summary: SyncSummary) -> None:
    """Write people added or edited in knowwho since the last push; never over a card changed on the server."""
    from knowwho.exporters.vcard import card_uid, to_vcard
    from knowwho.services.exports import contact_chunk

    conn = kw.db.conn
    now = kw.ctx.now_stamp()
    mark = sync_store.items(conn, source.id, PUSHED).get("")
    since = mark.state if mark else source.created_at
    cards = statuses(conn, source.id).values()
    by_person = {c.person_id: c for c in cards if c.person_id and not c.removed}
    deleted_there = {c.person_id for c in cards if c.removed} - set(by_person)
    changed = [i for i in dav_store.contacts_changed_since(conn, since) if i not in deleted_there]
    for contact in contact_chunk(conn, changed):
        card = by_person.get(contact.id)
        uid = card.uid if card and card.uid else card_uid(contact)  # the server's card keeps its UID
        href = card.href if card else f"{_path(client)}{_SAFE_NAME.sub('-', uid)}.vcf"
        text = _UID_LINE.sub(f"UID:{uid}".replace("\\", "\\\\"), to_vcard(contact), count=1)
        try:
            etag = client.put(href, text, etag=card.etag if card else None)
        except dav.Conflict:
            if card is None:  # named by this person's own id: written by a run that stopped before noting it
                continue
            summary.problems.append(
                f"{contact.display_name} changed both here and on the server since the last sync; "
                "both versions kept (the server's card was not overwritten)"
            )
            continue
        with kw.db.transaction() as tx:
            state = json.dumps({"etag": etag, "name": contact.display_name, "uid": uid})
            sync_store.save_item(tx, source.id, CARD, href, state=state, local_ids={"person": contact.id}, now=now)
        summary.contacts_changed += 1


def _path(client: dav.DavClient) -> str:
    from urllib.parse import urlsplit

    return urlsplit(client.collection.url).path
