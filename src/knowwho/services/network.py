"""Who knows whom: recorded acquaintances, people known only through others, job histories (theirs and mine)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowwho.dates import DateOutOfRange, parse_day, recorded_days
from knowwho.errors import InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.services.normalize import normalize_tag, person_name
from knowwho.services.paths import region
from knowwho.services.paths.ties import Acquaintance, ties_of
from knowwho.services.people import ensure_organization
from knowwho.storage import network as store
from knowwho.storage import people as people_store
from knowwho.storage import provenance as provenance_store
from knowwho.storage.network import Stint
from knowwho.storage.records import PersonRecord, RoleRecord

if TYPE_CHECKING:
    from knowwho.services.paths.memory import NetworkMemory
    from knowwho.services.paths.picture import Picture

__all__ = ["Acquaintance", "NetworkService", "Stint"]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class NetworkService:
    """`memory`: the network a long-running server keeps in memory; without it every read goes to the database."""

    def __init__(self, ctx: ServiceContext, memory: NetworkMemory | None = None) -> None:
        self.ctx = ctx
        self.memory = memory

    # -- writing -------------------------------------------------------------------
    def knows(self, a: int, b: int, *, how: str = "") -> bool:
        """Record that two people know each other; False when it was recorded already."""
        if a == b:
            raise InvalidInput("a person cannot be recorded as knowing themselves")
        first, second = self._person(a), self._person(b)
        with self.ctx.change(f"recorded that {first.display_name} knows {second.display_name}") as conn:
            return provenance_store.add_knows(
                conn, a, b, source="me", confidence=1.0, note=how.strip(), now=self.ctx.now_stamp()
            )

    def add_through(
        self, name: str, *, via: int, how: str = "", organization: str | None = None, title: str | None = None,
        tags: list[str] | None = None,
    ) -> PersonRecord:  # fmt: skip
        """Someone the user does not know personally, known through a contact ("her aunt is a life coach").

        Their title and tags are what `path --field` finds them by, so neither is dropped: a title is a job
        at an organization, and one given without it is refused (say what they do with a tag instead)."""
        name = person_name(name)
        has_organization = bool(organization and organization.strip())
        if title and title.strip() and not has_organization:
            raise InvalidInput("--title needs --org: a title is their job at an organization (or use --tag)")
        through = self._person(via)
        given, _, family = name.partition(" ")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"added {name} (known through {through.display_name})") as conn:
            person_id = people_store.insert(
                conn, now=now, display_name=name, given_name=given, family_name=family.strip(), is_contact=0
            )
            provenance_store.add_knows(conn, person_id, via, source="me", confidence=1.0, note=how.strip(), now=now)
            people_store.add_tags(conn, person_id, [t for t in map(normalize_tag, tags or []) if t])
            if organization and has_organization:
                org_id = ensure_organization(conn, organization, now)
                people_store.insert_role(conn, person_id=person_id, organization_id=org_id, title=title or "")
        return self._person(person_id)

    def add_role(
        self, person_id: int, organization: str, *, title: str = "", start: str | None = None, end: str | None = None
    ) -> RoleRecord:
        """A job, past (with an end) or current; a current job at the same place is updated instead."""
        person = self._person(person_id)
        start_on, end_on = self._span(start, end)
        if not organization.strip():
            raise InvalidInput("an organization needs a name")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"recorded {person.display_name}'s job at {organization.strip()}") as conn:
            org_id = ensure_organization(conn, organization, now)
            same = [r for r in person.roles if r.organization_id == org_id and r.is_current and end_on is None]
            if same:
                role = same[0]
                people_store.set_role_title(conn, role.id, title or role.title)
                if start_on:
                    store.set_role_start(conn, role.id, start_on)
                role_id = role.id
            else:
                role_id = people_store.insert_role(
                    conn, person_id=person_id, organization_id=org_id, title=title, start_on=start_on,
                    end_on=end_on, is_current=end_on is None,
                )  # fmt: skip
        return next(r for r in self._person(person_id).roles if r.id == role_id)

    def add_my_role(
        self, organization: str, *, title: str = "", start: str | None = None, end: str | None = None
    ) -> Stint:
        """One of the user's own jobs: the people who worked there at the same time become reachable."""
        start_on, end_on = self._span(start, end)
        if not organization.strip():
            raise InvalidInput("an organization needs a name")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"recorded my job at {organization.strip()}") as conn:
            org_id = ensure_organization(conn, organization, now)
            store.insert_my_role(conn, organization_id=org_id, title=title, start_on=start_on, end_on=end_on)
        return next(r for r in self.my_roles() if r.organization_id == org_id)

    # -- reading -------------------------------------------------------------------
    def my_roles(self) -> list[Stint]:
        """The user's own jobs (each a stint with no person), current first."""
        return store.my_stints(self.ctx.db.conn)

    def acquaintances(self, person_id: int, ties: list[Acquaintance] | None = None) -> list[Acquaintance]:
        """The user's contacts this person knows, surest first, each with how and from what.

        Having been at the same event is not knowing each other: those are `met_at_events`."""
        return [t for t in self._contacts(person_id, ties) if not t.only_met_at_events]

    def met_at_events(self, person_id: int, ties: list[Acquaintance] | None = None) -> list[Acquaintance]:
        """The user's contacts known only to have been at the same events as this person ("met at ISMB 2026")."""
        return [t for t in self._contacts(person_id, ties) if t.only_met_at_events]

    @staticmethod
    def contacts_known(ties: list[Acquaintance]) -> tuple[list[Acquaintance], list[Acquaintance]]:
        """`acquaintances` and `met_at_events` of a person whose `ties` the caller has read (so no look-up)."""
        contacts = [t for t in ties if t.is_contact]
        return [t for t in contacts if not t.only_met_at_events], [t for t in contacts if t.only_met_at_events]

    def _contacts(self, person_id: int, ties: list[Acquaintance] | None) -> list[Acquaintance]:
        self._person(person_id, with_details=False)  # only that they are on record: no emails, tags or roles
        return [t for t in (self.ties(person_id) if ties is None else ties) if t.is_contact]

    def ties(self, person_id: int) -> list[Acquaintance]:
        """Everyone this person knows (people known through others too), surest first."""
        conn, today = self.ctx.db.conn, self.ctx.today()
        if self.memory is None:
            return ties_of(conn, person_id, today=today)
        # A server's network in memory: no job histories read again, and the person's colleagues worked out
        # once for this page and the warm-path search beside it.
        with self.memory.current(conn) as network:
            return ties_of(conn, person_id, today=today, network=network, memo=self.memory.colleagues)

    def picture(
        self, person_id: int, ties: list[Acquaintance] | None = None, *, name: str | None = None
    ) -> Picture | None:
        """A person's part of the network, laid out to draw; None when nobody they know is on record.

        `name`: theirs, when the caller has read the person (then not looked up again)."""
        from knowwho.services.paths import picture

        return picture.of_person(self.ctx.db.conn, person_id, today=self.ctx.today(), ties=ties, name=name)

    def organization_picture(self, organization_id: int) -> Picture | None:
        """The people at an organization (now first) and who of them knows whom, laid out to draw."""
        from knowwho.services.paths import picture
        from knowwho.storage import organizations as org_store

        found = org_store.get(self.ctx.db.conn, organization_id)
        if found is None:
            raise NotFound(f"no organization with id {organization_id}")
        return picture.of_organization(self.ctx.db.conn, organization_id, found.name)

    # -- helpers -------------------------------------------------------------------
    def _person(self, person_id: int, *, with_details: bool = True) -> PersonRecord:
        person = people_store.get(self.ctx.db.conn, person_id, with_details=with_details)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"no person with id {person_id}")
        return person

    def _span(self, start: str | None, end: str | None) -> tuple[str | None, str | None]:
        start_on = self._day(start, "--from") if start else None
        end_on = self._day(end, "--to") if end else None
        begin, finish = region.parse_day(start_on), region.parse_day(end_on)
        if begin and finish and begin > finish:
            raise InvalidInput(f"--from {start_on} is after --to {end_on}")
        return start_on, end_on

    def _day(self, text: str, option: str) -> str:
        """'2019', '2019-05', '2019-05-14' kept as typed; anything else ('2 years ago') read as a day."""
        cleaned = text.strip()
        partial = region.parse_day(cleaned) if _PARTIAL_DATE.match(cleaned) else None
        days = recorded_days(self.ctx.today())
        if partial is not None and partial not in days:
            raise DateOutOfRange(f"{option} {cleaned} is {days.words()}")
        if partial is not None:
            return cleaned
        try:
            return parse_day(cleaned, now=self.ctx.now(), what=option).isoformat()
        except DateOutOfRange:
            raise
        except InvalidInput:
            raise InvalidInput(f"{option}: cannot read the date {text!r}; try 2019, 2019-05 or 2019-05-14") from None
