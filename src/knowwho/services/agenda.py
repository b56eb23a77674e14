"""Today: the ranked list of actions (DESIGN 4.1), each with its reason.

Every kind of action is a candidate query over indexed, derived columns; a
candidate carries a stable key so that done, dismiss and snooze stick to
what it is about (a new inbound message makes a new reply action).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import chain, islice

from knowwho.clock import to_stamp
from knowwho.errors import InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.storage import agenda as agenda_store
from knowwho.storage import followups as followup_store
from knowwho.wording import days_ago as _ago

REPLY_MIN_AGE = timedelta(days=1)
REPLY_MAX_AGE = timedelta(days=30)
NEW_CONTACT_DAYS = 7
THANK_YOU_DAYS = 3
# Order of the kinds of action on the list (DESIGN 4.1).
# Re-engage comes before keep-in-touch: it is rare and dated, while keep-in-touch
# is an open-ended backlog that would otherwise push it off a large network's list.
PRIORITY = ("reply", "thank-you", "follow-up", "nice-to-meet", "re-engage", "keep-in-touch")


@dataclass(frozen=True, slots=True)
class AgendaItem:
    action: str
    key: str
    person_id: int | None
    person: str
    due: str
    reason: str
    number: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# A candidate action: its key (enough to apply done/dismiss/snooze marks) and how to build it.
Candidate = tuple[str, Callable[[], AgendaItem]]


@dataclass(frozen=True, slots=True)
class Agenda:
    items: list[AgendaItem]
    more: int  # actions beyond the listing's limit


class AgendaService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def today(self, *, limit: int = 25, remember: bool = True) -> Agenda:
        """The ranked actions for today; `remember` numbers them for done/snooze/dismiss."""
        conn = self.ctx.db.conn
        today = self.ctx.today()
        marks = agenda_store.marks(conn)
        visible = (candidate for candidate in self._candidates(today) if _visible(candidate[0], marks, today))
        items = [make() for _key, make in islice(visible, limit)]
        more = sum(1 for _ in visible)  # counted by key: the rest are never built
        numbered = [_numbered(item, n) for n, item in enumerate(items, start=1)]
        if remember:
            with self.ctx.db.transaction() as tx:
                agenda_store.save_listing(
                    tx, [(i.number, i.key, i.action, i.person_id, f"{i.action} {i.person}") for i in numbered]
                )
        return Agenda(items=numbered, more=more)

    def _candidates(self, today: date) -> Iterator[Candidate]:
        few = chain(self._replies(), self._thank_yous(), self._followups(today), self._new_contacts(today))
        yield from ((item.key, partial(_itself, item)) for item in chain(few, self._reengage(today)))
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
            yield AgendaItem(
                action="reply", key=f"reply:{row['id']}:{row['last_inbound_at']}", person_id=row["id"],
                person=row["display_name"], due=_day(row["last_inbound_at"]).isoformat(),
                reason=f"their {kind}{about} {_ago(age)} has no reply yet",
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
            )  # fmt: skip

    def _followups(self, today: date) -> Iterable[AgendaItem]:
        for row in agenda_store.followups_due(self.ctx.db.conn, today=today.isoformat()):
            late = (today - date.fromisoformat(row["due_on"])).days
            when = "due today" if late == 0 else f"due {_ago(late)}"
            yield AgendaItem(
                action="follow-up", key=f"followup:{row['id']}", person_id=row["person_id"],
                person=row["display_name"] or "", due=row["due_on"],
                reason=f"{row['note'] or 'follow up'} ({when})",
            )  # fmt: skip

    def _new_contacts(self, today: date) -> Iterable[AgendaItem]:
        since = (today - timedelta(days=NEW_CONTACT_DAYS)).isoformat()
        for row in agenda_store.new_contacts(self.ctx.db.conn, since_on=since, today=today.isoformat()):
            met = date.fromisoformat(row["first_met_on"])
            where = f" ({row['how_met']})" if row["how_met"] else ""
            yield AgendaItem(
                action="nice-to-meet", key=f"nice-to-meet:{row['id']}:{row['first_met_on']}", person_id=row["id"],
                person=row["display_name"], due=(met + timedelta(days=2)).isoformat(),
                reason=f"you met {_ago((today - met).days)}{where}; send a “nice to meet you” note",
            )  # fmt: skip

    def _keep_in_touch(self, today: date) -> Iterator[Candidate]:
        now_julian = tie_strength.julian(self.ctx.now_stamp())
        for row in agenda_store.keep_in_touch(self.ctx.db.conn, now_julian=now_julian):
            yield f"keep-in-touch:{row['id']}:{row['last_interaction_at']}", partial(_keep_in_touch_item, row, today)

    def _reengage(self, today: date) -> Iterable[AgendaItem]:
        rows = agenda_store.reengage_due(self.ctx.db.conn, today=today.isoformat())
        names = agenda_store.person_names(self.ctx.db.conn, [r["person_id"] for r in rows if r["person_id"]])
        for row in rows:
            org = row["organization"] or "the organization"
            closed = f" {row['stage']} {row['closed_on']}" if row["closed_on"] else f" {row['stage']}"
            yield AgendaItem(
                action="re-engage", key=f"re-engage:{row['id']}", person_id=row["person_id"],
                person=names.get(row["person_id"], ""), due=row["reengage_on"],
                reason=f"{row['role_title'] or 'application'} at {org} ({closed.strip()}): time to get back in touch",
            )  # fmt: skip

    # -- acting on a listed item ---------------------------------------------------
    def listed(self, number: int) -> tuple[str, str]:
        """(key, label) of item `number` of the last listing."""
        row = agenda_store.listed(self.ctx.db.conn, number)
        if row is None:
            raise NotFound(f"no item {number} in the last listing; run `knowwho today` first")
        return row["key"], row["label"]

    def _label(self, key: str) -> str:
        """How a change to a listed item is described in the history: "reply to Zed Quinn"."""
        label = agenda_store.label_of(self.ctx.db.conn, key)
        return label or key.split(":")[0]

    def done(self, key: str) -> None:
        self._close(key, "done")

    def dismiss(self, key: str) -> None:
        self._close(key, "dismissed")

    def snooze(self, key: str, until: date) -> None:
        if until <= self.ctx.today():
            raise InvalidInput("snooze until a day after today")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"snoozed {self._label(key)} until {until.isoformat()}") as conn:
            if key.startswith("followup:"):
                followup_store.set_due(conn, int(key.split(":")[1]), until.isoformat())
            elif key.startswith("re-engage:"):
                agenda_store.set_opportunity_reengage_on(conn, int(key.split(":")[1]), until.isoformat())
            else:
                agenda_store.set_mark(conn, key, "snoozed", until.isoformat(), now)

    def _close(self, key: str, status: str) -> None:
        now = self.ctx.now_stamp()
        verb = "marked done" if status == "done" else status
        with self.ctx.change(f"{verb} {self._label(key)}") as conn:
            if key.startswith("followup:"):
                followup_store.set_status(conn, int(key.split(":")[1]), status, now)
            elif key.startswith("re-engage:"):
                agenda_store.set_opportunity_reengaged(conn, int(key.split(":")[1]), now)
            else:
                agenda_store.set_mark(conn, key, status, None, now)


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
    since = f"last spoke {_ago((today - _day(last)).days)}" if last else "never logged a conversation"
    due = (_day(last) + timedelta(days=row["cadence"])).isoformat() if last else today.isoformat()
    tier = tie_strength.tier_of(row["tie_strength"])
    return AgendaItem(
        action="keep-in-touch", key=f"keep-in-touch:{row['id']}:{last}", person_id=row["id"],
        person=row["display_name"], due=due,
        reason=f"{since}; you keep in touch every {row['cadence']} days ({tier} tie)",
    )  # fmt: skip


def _numbered(item: AgendaItem, number: int) -> AgendaItem:
    return AgendaItem(
        action=item.action, key=item.key, person_id=item.person_id, person=item.person,
        due=item.due, reason=item.reason, number=number,
    )  # fmt: skip


def _day(stamp: str) -> date:
    """The local calendar date of a stored UTC stamp (fromisoformat: a hundred times faster than strptime)."""
    return datetime.fromisoformat(stamp[:19]).replace(tzinfo=UTC).astimezone().date()
