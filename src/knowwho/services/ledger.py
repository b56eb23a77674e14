"""Reciprocity: what the user gave each person and got from them, and who would vouch for the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from knowwho.errors import InvalidInput
from knowwho.services.context import ServiceContext
from knowwho.services.give_back import GiveBack, most_owed
from knowwho.storage import ledger as store
from knowwho.storage.ledger import LedgerRow

KINDS = ("intro", "article", "reference", "advice", "referral")
_DIRECTION_WORDS = {"gave": "gave {name}", "received": "got from {name}"}


@dataclass(frozen=True, slots=True)
class Balance:
    given: int
    received: int
    entries: list[LedgerRow]

    @property
    def words(self) -> str:
        """'gave 3, got 1': the balance as the person page says it."""
        return f"you gave {self.given}, got {self.received}"

    def to_dict(self) -> dict[str, object]:
        return {"given": self.given, "received": self.received, "entries": [asdict(e) for e in self.entries]}


@dataclass(frozen=True, slots=True)
class Advocate:
    person_id: int
    name: str
    for_what: str
    last_asked_on: str | None
    last_heard_from_you: str | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_kind(kind: str) -> str:
    value = kind.strip().lower()
    value = {"introduction": "intro", "reference-letter": "reference", "link": "article"}.get(value, value)
    if value not in KINDS:
        raise InvalidInput(f"kind: unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return value


class LedgerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record(self, person_id: int, direction: str, what: str, *, kind: str = "advice") -> LedgerRow:
        """The user gave (direction 'gave') or got ('received') something: one undoable change."""
        if direction not in _DIRECTION_WORDS:
            raise InvalidInput("direction is gave or received")
        kind = check_kind(kind)
        if not what.strip():
            raise InvalidInput("say what it was: knowwho gave PERSON 'an intro to Raj'")
        name = self._name(person_id)
        words = _DIRECTION_WORDS[direction].format(name=name)
        with self.ctx.change(f"{words} {kind}: {what.strip()}") as conn:
            entry_id = store.insert(
                conn, person_id=person_id, direction=direction, what=kind, note=what.strip(),
                on=self.ctx.today().isoformat(), now=self.ctx.now_stamp(),
            )  # fmt: skip
        return next(e for e in store.for_person(self.ctx.db.conn, person_id) if e.id == entry_id)

    def balance(self, person_id: int, *, limit: int = 10) -> Balance:
        entries = store.for_person(self.ctx.db.conn, person_id, limit=limit)
        if len(entries) < limit:  # every entry is read: counted here rather than asked for again
            given = sum(1 for e in entries if e.direction == "gave")
            received = sum(1 for e in entries if e.direction == "received")
        else:
            given, received = store.counts(self.ctx.db.conn, person_id)
        return Balance(given=given, received=received, entries=entries)

    def give_back(self, *, limit: int = 2) -> list[GiveBack]:
        """People the user has received much from and given little to, most owed first."""
        return most_owed(self.ctx.db.conn, limit=limit)

    def advocates(self) -> list[Advocate]:
        """Who would vouch for the user, for what, when each was last asked, and when they last heard from the user."""
        from knowwho.storage import people as people_store  # not loaded for today's give-back items

        conn = self.ctx.db.conn
        rows = store.advocates(conn)
        people = {p.id: p for p in people_store.get_many(conn, [r.id for r in rows])}
        notes = store.latest_notes(conn, [r.id for r in rows])
        found = []
        for row in rows:
            person = people.get(row.id)
            what = ", ".join(person.tags) if person and person.tags else ""
            if person and person.roles and person.roles[0].is_current and not what:
                what = person.roles[0].title or ""
            note = notes.get(row.id, "")
            for_what = "; ".join(part for part in (what, note[:120]) if part)
            found.append(
                Advocate(row.id, row.name, for_what, row.last_asked_on, (row.last_outbound_at or "")[:10] or None)
            )
        return found

    def _name(self, person_id: int) -> str:
        from knowwho.services.people import PeopleService

        return PeopleService(self.ctx).name_of(person_id)
