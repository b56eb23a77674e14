"""A CalDAV calendar: meetings that happened become conversations, tomorrow's a "prepare" item.

Each calendar item (one event and its changed occurrences) goes through
`import ics`'s rules, so recurring events are expanded and declined, all-day
and attendee-less ones left out exactly as a file import does. The status
table keeps, per href, the ETag, the event UIDs and the meetings still to come
in the next days (with the people in them), which the agenda reads. An item
changed on the server is read again: meetings it no longer produces (cancelled,
moved to another time, deleted) are removed, a changed occurrence is moved. As
for address books, each item's status is saved in the transaction that wrote
its meetings and the sync-token last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from knowwho.clock import local_date, to_stamp
from knowwho.errors import SyncFailed
from knowwho.importers import ics
from knowwho.importers.base import ImportReport, ImportSession, Progress
from knowwho.services import tie_strength
from knowwho.services.interactions import refresh_people
from knowwho.services.sync import dav
from knowwho.services.sync.carddav import TOKEN, unchanged, unreadable_items
from knowwho.services.sync.kinds import SyncSummary
from knowwho.storage import dav as dav_store
from knowwho.storage import interactions as interaction_store
from knowwho.storage import provenance as provenance_store
from knowwho.storage import sync as sync_store

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.storage.sync import SyncSource

SOURCE = ics.SOURCE  # provenance shared with `import ics`: a meeting imported from a file is not doubled
EVENT = "event"
AHEAD = timedelta(days=8)  # how far ahead meetings are kept for "prepare" items
LOOK_AHEAD = timedelta(days=366)  # how far ahead an item's next meeting is looked for (when to read it again)


@dataclass(frozen=True, slots=True)
class EventStatus:
    href: str
    etag: str
    uids: list[str]


class _EventSession(ImportSession):
    """An import session that also notes each meeting an event produces, already stored or not."""

    def __init__(self, kw: Knowwho, report: ImportReport) -> None:
        super().__init__(kw, source=SOURCE, report=report)
        self.produced: dict[str, tuple[str, str]] = {}  # external id -> (occurred_at, subject)

    def add_interaction(self, *, external_id: str, occurred_at: str, subject: str = "", **rest: Any) -> bool:
        self.produced[external_id] = (occurred_at, subject)
        return super().add_interaction(external_id=external_id, occurred_at=occurred_at, subject=subject, **rest)


@dataclass
class _Run:
    session: _EventSession
    source: SyncSource
    summary: SyncSummary
    mine: frozenset[str]
    now: datetime
    unreadable: list[str] = field(default_factory=list)


def run(kw: Knowwho, source: SyncSource, secret: str | None, progress: Progress | None) -> SyncSummary:
    settings = source.settings
    conn = kw.db.conn
    given = [a.strip().lower() for a in [settings.get("me") or ""] if a.strip()]
    mine = frozenset(provenance_store.my_emails(conn) | set(given))
    if not mine:
        raise SyncFailed("which address is yours? Add the calendar again with --me you@example.com")
    summary = SyncSummary()
    token_item = sync_store.items(conn, source.id, TOKEN).get("")
    token = token_item.state if token_item else ""
    with dav.client_for(settings, dav.calendar(settings["url"]), secret) as client:
        changes = client.changes_since(token, lambda: list(statuses(conn, source.id)))
        due = dav_store.events_due(conn, source.id, kw.ctx.now_stamp())  # unchanged, but a meeting came or began
        if unchanged(changes, token) and not due:
            return summary
        known = statuses(conn, source.id)
        wanted = [href for href, etag in changes.present.items() if href not in known or known[href].etag != etag]
        wanted += [href for href in due if href not in wanted and href not in changes.removed]
        report = ImportReport(kind="caldav", files=[source.name])
        session = _EventSession(kw, report)
        with session:
            session.file = source.name
            state = _Run(session, source, summary, mine, kw.ctx.now())
            for address in given:
                provenance_store.add_my_email(session.conn, address)
            for done, fetched in enumerate(session.outside_transaction(client.batches(wanted)), start=1):
                for href, (etag, text) in fetched.items():
                    _take_event(state, href, etag, text, known.get(href))
                    session.record_done()
                if progress:
                    progress(min(done * dav.MULTIGET_SIZE, len(wanted)), len(wanted))
            for href in changes.removed:
                if href in known:
                    _event_gone(state, known[href])
            if not state.unreadable:
                sync_store.save_item(session.conn, source.id, TOKEN, "", state=changes.token, now=session.now)
    summary.new_conversations += report.interactions_added
    summary.people_added += report.added
    if state.unreadable:
        raise SyncFailed(unreadable_items(state.unreadable, "event"))
    return summary


def statuses(conn: Any, source_id: int) -> dict[str, EventStatus]:
    found = {}
    for href, item in sync_store.items(conn, source_id, EVENT).items():
        state = json.loads(item.state or "{}")
        found[href] = EventStatus(href, state.get("etag", ""), list(state.get("uids", [])))
    return found


def _take_event(run: _Run, href: str, etag: str, text: str, before: EventStatus | None) -> None:
    """One calendar item: its past meetings in, what it no longer produces out, its coming meetings noted."""
    session = run.session
    problems = len(session.report.problems)
    parsed = ics.parse_calendar(text)  # once, for both what is to come and what happened
    try:
        following = ics.upcoming(text, run.mine, run.now, run.now + LOOK_AHEAD, parsed=parsed)
    except ValueError:
        run.unreadable.append(f"event {_name(href)} could not be read as a calendar event")
        return
    uids = sorted({g.uid for g in ics.split_calendar(text, session)[1] if g.uid})
    session.produced = {}
    for _done in ics.import_text(session, text, run.mine, run.now, parsed=parsed):
        pass
    if len(session.report.problems) > problems:  # a broken event: keep what was, try again next run
        found = session.report.problems[problems]
        del session.report.problems[problems:]
        reason = found.message.split(" skipped: ", 1)[-1]  # the import's "event UID skipped: why"
        run.unreadable.append(f"event {_name(href)}: {reason}")
        return
    old = dav_store.meetings_from(session.conn, SOURCE, sorted(set(uids) | set(before.uids if before else [])))
    _follow(run, old, session.produced)
    upcoming = [
        {"at": to_stamp(u.start), "day": local_date(u.start).isoformat(), "summary": u.summary,
         "people": _people(session, u.people)}
        for u in following
        if u.start < run.now + AHEAD
    ]  # fmt: skip
    state = {"etag": etag, "uids": uids, "upcoming": upcoming} | _read_again(following, run.now)
    sync_store.save_item(session.conn, run.source.id, EVENT, href, state=json.dumps(state), now=session.now)
    if before is not None and before.etag != etag:
        run.summary.events_changed += 1


def _read_again(following: list[ics.Upcoming], now: datetime) -> dict[str, str]:
    """When to read an unchanged item again: when its next meeting comes within AHEAD (for the prepare item),
    or, once it is, when it begins (to become a conversation)."""
    if not following:
        return {}
    start = following[0].start
    return {"again": to_stamp(start - AHEAD if start >= now + AHEAD else start)}


def _people(session: ImportSession, attendees: list[tuple[str, str]]) -> list[int]:
    ids = [session.person_for_email(address, name) for address, name in attendees]
    return list(dict.fromkeys(i for i in ids if i is not None))


def _follow(run: _Run, old: dict[str, int], produced: dict[str, tuple[str, str]]) -> None:
    """Meetings the event no longer produces are removed; those whose time or title changed are moved."""
    conn = run.session.conn
    for external_id, interaction_id in old.items():
        record = interaction_store.get(conn, interaction_id)
        if record is None:
            continue
        if external_id not in produced:
            interaction_store.set_deleted(conn, interaction_id, run.session.now)
        else:
            occurred_at, subject = produced[external_id]
            if (record.occurred_at, record.subject) == (occurred_at, subject):
                continue
            interaction_store.update(conn, interaction_id, occurred_at=occurred_at, subject=subject)
        # At once, in the same transaction: last contact and tie strength never lag behind what was removed.
        refresh_people(conn, record.participant_ids, now_julian=tie_strength.julian(run.session.now))


def _event_gone(run: _Run, before: EventStatus) -> None:
    session = run.session
    _follow(run, dav_store.meetings_from(session.conn, SOURCE, before.uids), {})
    sync_store.delete_item(session.conn, run.source.id, EVENT, before.href)
    run.summary.events_changed += 1


def _name(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]
