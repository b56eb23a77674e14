"""Today: the ranked list of actions (DESIGN 4.1), each with its reason, and acting on them.

Every kind of action is a candidate query over indexed, derived columns; a
candidate carries a stable key so that done, dismiss and snooze stick to
what it is about (a new inbound message makes a new reply action). Done on a
conversation logs it, so the relationship moves at once.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING

from knowwho.clock import to_stamp
from knowwho.errors import DatabaseBusy, NotFound
from knowwho.services import agenda_reasons as reasons
from knowwho.services import colleagues, tie_strength, ways_in
from knowwho.services.context import ServiceContext
from knowwho.services.intros import today as intro_suggestions
from knowwho.storage import agenda as agenda_store
from knowwho.wording import days_ago as _ago
from knowwho.wording import with_article

if TYPE_CHECKING:
    from knowwho.services.agenda_acts import ItemActs, Target

REPLY_MIN_AGE = timedelta(days=1)
REPLY_MAX_AGE = timedelta(days=30)
NEW_CONTACT_DAYS = 7
# A thank-you is due for an interview of the last two weeks with nothing sent since: one logged days late
# still gets its note.
THANK_YOU_DAYS = 14
BIRTHDAY_DAYS = 7  # birthdays from today to a week ahead
PRIORITY = reasons.PRIORITY
# A day's work (DESIGN 4.1): about ten actions, with at most a few of the open-ended keep-in-touch.
DAY_SIZE = 10
KEEP_IN_TOUCH_PER_DAY = 5
WAYS_IN_PER_DAY = 1  # one person a day to ask about a target organization
# How long saving a listing's numbers waits for another program's write before showing the list without them.
LISTING_WAIT_S = 0.5
# The conversations "done" offers to log, the usual first.
CONTACT_KINDS = ("email", "message", "call", "coffee", "meeting")
# What a done conversation is logged as, unless the user says otherwise.
LOG_KIND = {
    "reply": "email", "thank-you": "email", "follow-up": "email", "nice-to-meet": "email",
    "birthday": "message", "re-engage": "email", "keep-in-touch": "email", "event": "email",
    "introduce": "email", "give-back": "email", "prepare": "meeting", "way-in": "email",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class AgendaItem:
    action: str
    key: str
    person_id: int | None
    person: str
    due: str
    reason: str
    number: int = 0  # in the listing; 0: none yet (another program held the lock when it was listed)
    log_kind: str | None = None  # what "done" logs by default; None: nothing to log
    default_cadence: bool = False  # a keep-in-touch on a cadence the user never set

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# A candidate action: its kind, its key (enough to apply done/dismiss/snooze marks) and how to build it.
Candidate = tuple[str, str, Callable[[], AgendaItem]]


@dataclass(frozen=True, slots=True)
class Agenda:
    items: list[AgendaItem]
    rest: dict[str, int]  # the actions beyond the listing, counted by kind

    @property
    def more(self) -> int:
        return sum(self.rest.values())

    def groups(self) -> list[tuple[str, list[AgendaItem]]]:
        """The listed items by kind, in list order."""
        found: dict[str, list[AgendaItem]] = {}
        for item in self.items:
            found.setdefault(item.action, []).append(item)
        return list(found.items())

    def total(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action) + self.rest.get(action, 0)


class AgendaService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def today(self, *, limit: int | None = None, remember: bool = True) -> Agenda:
        """The day's list (`limit` None), or the first `limit` actions of all, in order.

        Each listing is a prefix of the whole ranked list, so "show more" only adds.
        `remember` numbers the items for done/snooze/dismiss.
        """
        size, cap = (DAY_SIZE, KEEP_IN_TOUCH_PER_DAY) if limit is None else (limit, limit)
        today = self.ctx.today()
        marks = agenda_store.marks(self.ctx.db.conn)
        items: list[AgendaItem] = []
        rest: Counter[str] = Counter()
        keeps = ways = 0
        later: list[Candidate] = []  # ways in beyond the day's one: they rank after keep-in-touch
        candidates = self._candidates(today)
        for action, key, make in candidates:
            if not _visible(key, marks, today):
                continue
            if action == "way-in" and ways >= WAYS_IN_PER_DAY:
                later.append((action, key, make))
                continue
            if len(items) >= size or (action == "keep-in-touch" and keeps >= cap):
                rest[action] += 1
                break
            items.append(replace(make(), number=len(items) + 1))
            keeps += action == "keep-in-touch"
            ways += action == "way-in"
        else:  # every candidate seen: in a longer listing the later ways in follow, as far as it goes
            while later and limit is not None and len(items) < size:
                items.append(replace(later.pop(0)[2](), number=len(items) + 1))
        rest.update(action for action, _key, _make in later)
        # The rest are counted by key, never built: thousands of rows in a large network.
        rest.update(action for action, key, _make in candidates if not marks or _visible(key, marks, today))
        if remember:
            items = self._remember(items)
        return Agenda(items=items, rest=dict(rest))

    def _remember(self, items: list[AgendaItem]) -> list[AgendaItem]:
        """Save the items' numbers for done/snooze/dismiss.

        While another program holds the write lock, a listing is still shown: its items keep the numbers
        the last saved listing gave them, and new ones have none (0) until a listing can be saved.
        """
        rows = [(i.number, i.key, i.action, i.person_id, reasons.done_label(i.action, i.person)) for i in items]
        saved = agenda_store.listing(self.ctx.db.conn)
        if rows == saved:
            return items  # nothing to write: the same list as last time
        try:
            with self.ctx.db.transaction(wait=LISTING_WAIT_S) as tx:
                agenda_store.save_listing(tx, rows)
        except DatabaseBusy:
            numbers = {key: number for number, key, *_rest in saved}
            return [replace(item, number=numbers.get(item.key, 0)) for item in items]
        return items

    def _candidates(self, today: date) -> Iterator[Candidate]:
        few = chain(
            self._replies(), self._thank_yous(), self._followups(today), self._new_contacts(today),
            self._birthdays(today), self._events(today), self._prepare(today), self._reengage(today),
        )  # fmt: skip
        yield from ((item.action, item.key, partial(_itself, item)) for item in few)
        yield from intro_suggestions.candidates(self.ctx, today)  # introductions to make, people to give back to
        yield from ways_in.candidates(self.ctx, today)  # someone to ask about a target organization, one a day
        yield from colleagues.coffee_with_a_colleague(self.ctx, today)  # now and then, one a day
        yield from self._keep_in_touch(today)  # thousands in a large network: built only when listed

    def _replies(self) -> Iterable[AgendaItem]:
        now = self.ctx.now()
        rows = agenda_store.replies_owed(
            self.ctx.db.conn, newest=to_stamp(now - REPLY_MIN_AGE), oldest=to_stamp(now - REPLY_MAX_AGE)
        )
        for row in rows:
            kind, _, subject = (row["what"] or "message\x1f").partition("\x1f")
            age = (now.date() - _day(row["last_inbound_at"])).days
            about = f" about “{subject}”" if subject else ""
            reason = f"their {kind}{about} {_ago(age)} has no reply yet"
            if kind == "missed call":
                reason = f"you missed their call{about} {_ago(age)}; call them back"
            yield AgendaItem(
                action="reply", key=f"reply:{row['id']}:{row['last_inbound_at']}", person_id=row["id"],
                person=row["display_name"], due=_day(row["last_inbound_at"]).isoformat(),
                reason=reason, log_kind=reply_kind(kind),
            )  # fmt: skip

    def _thank_yous(self) -> Iterable[AgendaItem]:
        since = to_stamp(self.ctx.now() - timedelta(days=THANK_YOU_DAYS))
        for row in agenda_store.thank_yous(self.ctx.db.conn, since=since):
            what = "informational interview" if row["kind"] == "informational-interview" else "interview"
            day = _day(row["occurred_at"])
            yield AgendaItem(
                action="thank-you", key=f"thank-you:{row['id']}:{row['interaction_id']}", person_id=row["id"],
                person=row["display_name"], due=(day + timedelta(days=1)).isoformat(),
                reason=f"send a thank-you note for the {what} {_ago((self.ctx.today() - day).days)}",
                log_kind=LOG_KIND["thank-you"],
            )  # fmt: skip

    def _followups(self, today: date) -> Iterable[AgendaItem]:
        for row in agenda_store.followups_due(self.ctx.db.conn, today=today.isoformat()):
            late = (today - date.fromisoformat(row["due_on"])).days
            when = "due today" if late == 0 else f"due {_ago(late)}"
            yield AgendaItem(
                action="follow-up", key=f"followup:{row['id']}", person_id=row["person_id"],
                person=row["display_name"] or "", due=row["due_on"],
                reason=f"{row['note'] or 'follow up'} ({when})",
                log_kind=LOG_KIND["follow-up"] if row["person_id"] else None,
            )  # fmt: skip

    def _new_contacts(self, today: date) -> Iterable[AgendaItem]:
        """Met in the last week, by the date first met or by a first conversation held in person."""
        since = today - timedelta(days=NEW_CONTACT_DAYS)
        conn = self.ctx.db.conn
        met = {
            r["id"]: (r["display_name"], date.fromisoformat(r["first_met_on"]), r["how_met"])
            for r in agenda_store.new_contacts(conn, since_on=since.isoformat(), today=today.isoformat())
        }
        end = to_stamp(datetime.combine(today + timedelta(days=1), datetime.min.time()).astimezone())
        start = to_stamp(datetime.combine(since, datetime.min.time()).astimezone())
        for r in agenda_store.met_in_person(conn, since=start, today_end=end):
            where = r["how_met"] or (f"at {r['event']}" if r["event"] else f"over {with_article(r['kind'])}")
            met.setdefault(r["id"], (r["display_name"], _day(r["first_interaction_at"]), where))
        for person_id, (name, on, how) in sorted(met.items(), key=lambda m: (m[1][1], m[0])):
            where = f" ({how})" if how else ""
            yield AgendaItem(
                action="nice-to-meet", key=f"nice-to-meet:{person_id}:{on.isoformat()}", person_id=person_id,
                person=name, due=(on + timedelta(days=2)).isoformat(),
                reason=f"you met {_ago((today - on).days)}{where}; send a “nice to meet you” note",
                log_kind=LOG_KIND["nice-to-meet"],
            )  # fmt: skip

    def nice_to_meet_due(self, person_id: int) -> bool:
        """Whether today's list holds a "nice to meet you" for the person (not done, dismissed or snoozed)."""
        today = self.ctx.today()
        marks = agenda_store.marks(self.ctx.db.conn)
        return any(
            item.person_id == person_id and _visible(item.key, marks, today) for item in self._new_contacts(today)
        )

    def _events(self, today: date) -> Iterable[AgendaItem]:
        """The next edition of a recurring event within two weeks: whom the user met there last time."""
        from knowwho.services.event_editions import editions_soon, series_of

        for soon in editions_soon(self.ctx.db.conn, today):
            yield AgendaItem(
                action="event", key=f"event:{soon.last.id}:{soon.on.isoformat()}", person_id=None,
                person=series_of(soon.last), due=soon.on.isoformat(), reason=soon.reason(today),
            )  # fmt: skip

    def _prepare(self, today: date) -> Iterable[AgendaItem]:
        """Tomorrow's meetings in a synced calendar: read the brief on each person in them beforehand."""
        from knowwho.services.sync.coming import meetings_on

        tomorrow = today + timedelta(days=1)
        for meeting in meetings_on(self.ctx.db.conn, tomorrow):
            for person_id in meeting.person_ids:
                name = agenda_store.live_person(self.ctx.db.conn, person_id)
                if name is not None:
                    yield AgendaItem(
                        action="prepare", key=f"prepare:{person_id}:{to_stamp(meeting.at)}", person_id=person_id,
                        person=name, due=tomorrow.isoformat(), reason=reasons.prepare(meeting.at, meeting.summary),
                    )  # fmt: skip

    def _birthdays(self, today: date) -> Iterable[AgendaItem]:
        """Birthdays this week of people closer than a weak tie (by tie strength or by my own rating)."""
        days = reasons.birthdays_between(today, BIRTHDAY_DAYS)
        rows = agenda_store.birthdays(self.ctx.db.conn, list(days))
        close = [r for r in rows if (r["closeness"] or 0) >= 3 or tie_strength.tier_of(r["tie_strength"]) in _CLOSE]
        for row in sorted(close, key=lambda r: (days[r["birthday"][-5:]], r["id"])):
            on = days[row["birthday"][-5:]]
            yield AgendaItem(
                action="birthday", key=f"birthday:{row['id']}:{on.isoformat()}", person_id=row["id"],
                person=row["display_name"], due=on.isoformat(),
                reason=reasons.birthday(on=on, born=row["birthday"], today=today), log_kind=LOG_KIND["birthday"],
            )  # fmt: skip

    def _reengage(self, today: date) -> Iterable[AgendaItem]:
        conn = self.ctx.db.conn
        rows = agenda_store.reengage_due(conn, today=today.isoformat())
        met = agenda_store.interviewers(conn, [r["id"] for r in rows])
        contacts = {r["id"]: r["person_id"] or next(iter(met.get(r["id"], [])), (None, ""))[0] for r in rows}
        names = agenda_store.person_names(conn, [pid for pid in contacts.values() if pid])
        for row in rows:
            person_id = contacts[row["id"]]
            reason = reasons.reengage(
                role=row["role_title"], organization=row["organization"], stage=row["stage"],
                closed_on=row["closed_on"], interviewers=[name for _id, name in met.get(row["id"], [])],
                contact=names.get(person_id or 0, ""), part=row["part"], today=today,
            )  # fmt: skip
            yield AgendaItem(
                action="re-engage", key=f"re-engage:{row['id']}", person_id=person_id,
                person=names.get(person_id or 0, ""), due=row["reengage_on"], reason=reason,
                log_kind=LOG_KIND["re-engage"] if person_id else None,
            )  # fmt: skip

    def _keep_in_touch(self, today: date) -> Iterator[Candidate]:
        now_julian = tie_strength.julian(self.ctx.now_stamp())
        for row in agenda_store.keep_in_touch(self.ctx.db.conn, now_julian=now_julian):
            key = f"keep-in-touch:{row['id']}:{row['last_interaction_at']}"
            yield "keep-in-touch", key, partial(_keep_in_touch_item, row, today)

    # -- acting on a listed item ---------------------------------------------------
    def listed(self, number: int) -> tuple[str, str]:
        """(key, label) of item `number` of the last listing."""
        row = agenda_store.listed(self.ctx.db.conn, number)
        if row is None:
            raise NotFound(f"no item {number} in the last listing; run `knowwho today` first")
        return row["key"], row["label"]

    def done(self, key: str, *, log: bool = True, kind: str | None = None, note: str = "") -> str:
        """Mark an action done and, when it is a conversation, log it: one change, undone as one.

        Returns what was done: "done: reply to Zed Quinn (logged an email)".
        """
        return self._acts().done(key, log=log, kind=kind, note=note)

    def dismiss(self, key: str) -> str:
        return self._acts().dismiss(key)

    def snooze(self, key: str, until: date) -> str:
        return self._acts().snooze(key, until)

    def target(self, key: str) -> Target:
        """What `key` is about; NotFound for a key that names nothing (a typo, someone removed)."""
        return self._acts().target(key)

    def _acts(self) -> ItemActs:
        from knowwho.services.agenda_acts import ItemActs  # acting on an item: `knowwho today` lists without it

        return ItemActs(self.ctx)


_CLOSE = ("strong", "moderate")


def reply_kind(their_kind: str) -> str:
    """A reply goes back the way the message came (a call is returned with a call); email otherwise."""
    their_kind = their_kind.removeprefix("missed ")
    return their_kind if their_kind in ("email", "message", "call") else "email"


def _visible(key: str, marks: dict[str, tuple[str, str | None]], today: date) -> bool:
    mark = marks.get(key)
    if mark is None:
        return True
    status, until = mark
    return status == "snoozed" and until is not None and until <= today.isoformat()


def _itself(item: AgendaItem) -> AgendaItem:
    return item


def _keep_in_touch_item(row: sqlite3.Row, today: date) -> AgendaItem:
    last = row["last_interaction_at"]
    own = row["cadence_days"] is not None
    reason = reasons.keep_in_touch(
        last=_day(last) if last else None, added=_day(row["created_at"]), today=today, cadence=row["cadence"],
        own=own, closeness=row["closeness"], tier=tie_strength.tier_of(row["tie_strength"]),
    )  # fmt: skip
    due = (_day(last) + timedelta(days=row["cadence"])).isoformat() if last else today.isoformat()
    return AgendaItem(
        action="keep-in-touch", key=f"keep-in-touch:{row['id']}:{last}", person_id=row["id"],
        person=row["display_name"], due=due, reason=reason, log_kind=LOG_KIND["keep-in-touch"],
        default_cadence=not own,
    )  # fmt: skip


def _day(stamp: str) -> date:
    """The local calendar date of a stored UTC stamp (fromisoformat: a hundred times faster than strptime)."""
    return datetime.fromisoformat(stamp[:19]).replace(tzinfo=UTC).astimezone().date()
