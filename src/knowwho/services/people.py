"""People: add, edit, find by what the user types, soft delete and undo."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

from knowwho.errors import AlreadyKnown, Ambiguous, InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.birthdays import parse_birthday
from knowwho.services.context import ServiceContext
from knowwho.services.duplicates import KnownMatch, LikelyMatch, known_matches, likely_matches
from knowwho.services.interactions import score_person
from knowwho.services.normalize import (
    clean_email,
    link_kind,
    normalize_phone,
    normalize_tag,
    person_name,
    record_id,
    split_name,
)
from knowwho.services.tie_strength import TieStrength
from knowwho.storage import dav as dav_store
from knowwho.storage import followups as followup_store
from knowwho.storage import interactions as interaction_store
from knowwho.storage import organizations as org_store
from knowwho.storage import people as people_store
from knowwho.storage.records import FollowupRecord, InteractionRecord, NoteRecord, PersonRecord

# What adding someone already known (same email or profile URL) does: say so, or add the details to them.
OnMatch = Literal["refuse", "merge"]


@dataclass
class PersonChanges:
    """An edit: None leaves a field as it is."""

    name: str | None = None
    location: str | None = None
    situation: str | None = None
    needs: str | None = None
    offers: str | None = None
    how_met: str | None = None
    first_met_on: str | None = None
    birthday: str | None = None
    closeness: int | None = None
    cadence_days: int | None = None  # keep in touch every N days; 0: no reminders
    is_advocate: bool | None = None
    organization: str | None = None
    title: str | None = None
    add_emails: list[str] = field(default_factory=list)
    remove_emails: list[str] = field(default_factory=list)
    add_phones: list[str] = field(default_factory=list)
    remove_phones: list[str] = field(default_factory=list)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_links: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """Everything a person page shows: one data function for the CLI, the web page and the API."""

    person: PersonRecord
    tie: TieStrength
    interactions: list[InteractionRecord]
    notes: list[NoteRecord]
    followups: list[FollowupRecord]
    names: dict[int, str]  # other participants of the interactions shown
    deleted_from: tuple[str, ...] = ()  # synced address books whose card of them was deleted there (kept here)


class PeopleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reading -----------------------------------------------------------------
    def get(self, person_id: int) -> PersonRecord:
        person = people_store.get(self.ctx.db.conn, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"no person with id {person_id}")
        return person

    def name_of(self, person_id: int) -> str:
        """The name of a person who is on record (NotFound otherwise), without reading their details."""
        person = people_store.get(self.ctx.db.conn, person_id, with_details=False)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"no person with id {person_id}")
        return person.display_name

    def detail(self, person_id: int, *, interactions: int = 30) -> PersonDetail:
        person = self.get(person_id)
        conn = self.ctx.db.conn
        timeline = interaction_store.for_person(conn, person_id, limit=interactions)
        others = sorted({pid for i in timeline for pid in i.participant_ids if pid != person_id})
        # Most people's every conversation is on the page: tie strength is scored from those, in the order the
        # database reads them (by id), rather than read again.
        every = None
        if len(timeline) < interactions:
            every = [(i.kind, i.direction, i.occurred_at, len(i.participant_ids)) for i in sorted(timeline, key=_by_id)]
        tie = score_person(
            conn, person_id, now_julian=tie_strength.julian(self.ctx.now_stamp()), closeness=person.closeness,
            rows=every,
        )  # fmt: skip
        return PersonDetail(
            person=person, tie=tie, interactions=timeline,
            notes=interaction_store.notes_for_person(conn, person_id),
            followups=followup_store.for_person(conn, person_id, open_only=True),
            names={p.id: p.display_name for p in people_store.get_many(conn, others)},
            deleted_from=tuple(dav_store.address_books_without(conn, person_id)),
        )  # fmt: skip

    def get_many(self, ids: list[int]) -> list[PersonRecord]:
        return people_store.get_many(self.ctx.db.conn, ids)

    def resolve(self, ref: str) -> PersonRecord:
        """A person from a name, part of a name, an email or '#id'."""
        return self.get(self.resolve_id(ref))

    def resolve_id(self, ref: str) -> int:
        conn = self.ctx.db.conn
        text = ref.strip()
        if not text:
            raise InvalidInput("no person given")
        named = record_id(text)
        if named is not None:
            return self.get(named).id
        for finder in (people_store.ids_by_email, people_store.ids_by_link, people_store.ids_by_exact_name):
            ids = finder(conn, text.lower() if finder is people_store.ids_by_email else text)
            if ids:
                return self._one(text, ids)
        return self._one(text, people_store.ids_by_name_part(conn, text))

    def _one(self, text: str, ids: list[int]) -> int:
        if not ids:
            raise NotFound(f"no person matches {text!r}")
        if len(ids) == 1:
            return ids[0]
        candidates = [_label(p) for p in people_store.get_many(self.ctx.db.conn, ids[:10])]
        raise Ambiguous(f"{text!r} matches {len(ids)} people; say which (a fuller name, an email or #id)", candidates)

    # -- writing -----------------------------------------------------------------
    def add(
        self,
        name: str,
        *,
        emails: list[str] | None = None,
        phones: list[str] | None = None,
        organization: str | None = None,
        title: str | None = None,
        tags: list[str] | None = None,
        how_met: str = "",
        first_met_on: str | None = None,
        note: str | None = None,
        links: list[str] | None = None,
        closeness: int | None = None,
        location: str = "",
        birthday: str | None = None,
        on_match: OnMatch = "refuse",
    ) -> PersonRecord:
        """Add a person; someone whose email or profile URL is already known is refused (with their id)
        or, with `on_match="merge"`, gets these details instead of a second record."""
        name = person_name(name)
        if closeness is not None and not 1 <= closeness <= 5:
            raise InvalidInput("closeness is a number from 1 to 5")
        clean_emails = [clean_email(e) for e in emails or []]
        clean_phones = [normalize_phone(p) for p in phones or []]
        details = PersonChanges(
            location=location, how_met=how_met, first_met_on=first_met_on, birthday=birthday, closeness=closeness,
            organization=organization, title=title, add_emails=clean_emails, add_phones=clean_phones,
            add_tags=tags or [], add_links=links or [],
        )  # fmt: skip
        with self.ctx.change(f"added {name}") as conn:
            # Looked up inside the write transaction: two adds of one email at once cannot both miss the other.
            known = known_matches(conn, clean_emails, links or [])
            if known and on_match == "refuse":
                raise AlreadyKnown(known[0].message(), known[0].person_id)
            if known:
                person_id = known[0].person_id
                self._add_details(conn, person_id, details, note=note)
            else:
                person_id = self._insert(conn, name, details, note=note)
        return self.get(person_id)

    def _insert(self, conn: sqlite3.Connection, name: str, details: PersonChanges, *, note: str | None) -> int:
        """A new person with what an add said about them."""
        now = self.ctx.now_stamp()
        given, family = split_name(name)
        birthday = details.birthday
        person_id = people_store.insert(
            conn, now=now, display_name=name, given_name=given, family_name=family, how_met=details.how_met or "",
            first_met_on=details.first_met_on, closeness=details.closeness, location=details.location or "",
            birthday=parse_birthday(birthday, today=self.ctx.today()) if birthday else None,
        )  # fmt: skip
        people_store.add_emails(conn, person_id, details.add_emails)
        people_store.add_phones(conn, person_id, details.add_phones)
        people_store.add_tags(conn, person_id, [normalize_tag(t) for t in details.add_tags])
        people_store.add_links(conn, person_id, [(u, link_kind(u)) for u in details.add_links])
        if details.organization:
            org_id = ensure_organization(conn, details.organization, now)
            people_store.insert_role(conn, person_id=person_id, organization_id=org_id, title=details.title or "")
        if note:
            interaction_store.insert_note(conn, body=note, now=now, person_id=person_id)
        if details.closeness is not None:  # a rating is half the tie strength, conversations or not
            _refresh_strength(conn, person_id, now)
        return person_id

    def known_matches(self, emails: list[str], links: list[str]) -> list[KnownMatch]:
        """People who already have one of these emails or profile URLs: adding them again makes a duplicate."""
        return known_matches(self.ctx.db.conn, [clean_email(e) for e in emails], links)

    def likely_matches(
        self, name: str, *, emails: list[str] | None = None, links: list[str] | None = None, organization: str = ""
    ) -> list[LikelyMatch]:
        """People who are likely the one about to be added, by the rules of `knowwho dupes`."""
        return likely_matches(
            self.ctx.db.conn, name, emails=emails or [], links=links or [], organization=organization or ""
        )

    def _add_details(
        self, conn: sqlite3.Connection, person_id: int, details: PersonChanges, *, note: str | None
    ) -> None:
        """What an add said about someone already known, merged into their record inside the add's change:
        empty fields filled, emails, phones, tags, links and a role at a new organization added."""
        before = self.get(person_id)
        self.ctx.describe_change(f"added details to {before.display_name}")
        now = self.ctx.now_stamp()
        scalar = _scalar_changes(details)
        if details.birthday:
            scalar["birthday"] = parse_birthday(details.birthday, today=self.ctx.today())
        fill = {k: v for k, v in scalar.items() if v not in (None, "") and getattr(before, k) in (None, "")}
        held = {r.organization.strip().lower() for r in before.roles}
        if fill:
            people_store.update(conn, person_id, now=now, **fill)
        _apply_list_changes(conn, before, details)
        if details.organization and details.organization.strip().lower() not in held:
            org_id = ensure_organization(conn, details.organization, now)
            people_store.insert_role(conn, person_id=person_id, organization_id=org_id, title=details.title or "")
        if note:
            interaction_store.insert_note(conn, body=note, now=now, person_id=person_id)

    def edit(self, person_id: int, changes: PersonChanges) -> PersonRecord:
        before = self.get(person_id)
        now = self.ctx.now_stamp()
        scalar = _scalar_changes(changes)
        if changes.birthday is not None:  # '' or 'none' clears it
            scalar["birthday"] = parse_birthday(changes.birthday, today=self.ctx.today())
        if changes.closeness is not None and not 1 <= changes.closeness <= 5:
            raise InvalidInput("closeness is a number from 1 to 5")
        new_emails = [e for e in (clean_email(x) for x in changes.add_emails) if e not in before.emails]
        with self.ctx.change(f"edited {before.display_name}") as conn:
            # Looked up inside the write transaction, as add does: an address is one live person's.
            taken = [m for m in known_matches(conn, new_emails, []) if m.person_id != person_id]
            if taken:
                raise AlreadyKnown(taken[0].taken_message(), taken[0].person_id)
            people_store.update(conn, person_id, now=now, **scalar)
            _apply_list_changes(conn, before, changes)
            if changes.organization:
                today = self.ctx.today().isoformat()
                people_store.end_current_roles(conn, person_id, today)
                org_id = ensure_organization(conn, changes.organization, now)
                people_store.insert_role(
                    conn, person_id=person_id, organization_id=org_id, title=changes.title or "", start_on=today
                )
            elif changes.title is not None and before.roles and before.roles[0].is_current:
                people_store.set_role_title(conn, before.roles[0].id, changes.title)
            if changes.closeness is not None:
                _refresh_strength(conn, person_id, now)
        return self.get(person_id)

    def set_cadence(self, person_id: int, days: int | None) -> PersonRecord:
        """Keep in touch every `days` days; None turns keep-in-touch off for this person."""
        if days is not None and days <= 0:
            raise InvalidInput("a cadence is a positive number of days, or none")
        person = self.get(person_id)
        what = f"every {days} days" if days else "off"
        with self.ctx.change(f"set keep-in-touch with {person.display_name} to {what}") as conn:
            people_store.update(conn, person_id, now=self.ctx.now_stamp(), cadence_days=days if days else 0)
        return self.get(person_id)

    def remove(self, person_id: int) -> PersonRecord:
        person = self.get(person_id)
        now = self.ctx.now_stamp()
        with self.ctx.change(f"removed {person.display_name}") as conn:
            people_store.set_deleted(conn, person_id, now)
        return person

    def count(self) -> int:
        return people_store.count(self.ctx.db.conn)


def _refresh_strength(conn: sqlite3.Connection, person_id: int, now: str) -> None:
    from knowwho.services.interactions import refresh_people

    refresh_people(conn, [person_id], now_julian=tie_strength.julian(now))


def ensure_organization(conn: sqlite3.Connection, name: str, now: str) -> int:
    found = org_store.find_id_by_name(conn, name)
    return found if found is not None else org_store.insert(conn, name=name, now=now)


def _label(person: PersonRecord) -> str:
    extra = person.emails[0] if person.emails else (person.roles[0].organization if person.roles else "")
    return f"#{person.id} {person.display_name}" + (f" <{extra}>" if extra else "")


def _scalar_changes(changes: PersonChanges) -> dict[str, Any]:
    scalar: dict[str, Any] = {}
    if changes.name is not None:
        name = person_name(changes.name)
        given, family = split_name(name)
        scalar.update(display_name=name, given_name=given, family_name=family)
    if changes.cadence_days is not None and changes.cadence_days < 0:
        raise InvalidInput("a cadence is a positive number of days, or none")
    for name in ("location", "situation", "needs", "offers", "how_met", "first_met_on", "birthday", "closeness",
                 "cadence_days"):  # fmt: skip
        value = getattr(changes, name)
        if value is not None:
            scalar[name] = value
    if changes.is_advocate is not None:
        scalar["is_advocate"] = int(changes.is_advocate)
    return scalar


def _apply_list_changes(conn: sqlite3.Connection, before: PersonRecord, changes: PersonChanges) -> None:
    """Apply added/removed emails, phones, tags and links."""
    add_emails = [e for e in (clean_email(x) for x in changes.add_emails) if e not in before.emails]
    del_emails = [e for e in (x.strip().lower() for x in changes.remove_emails) if e in before.emails]
    add_phones = [p for p in (normalize_phone(x) for x in changes.add_phones) if p not in before.phones]
    del_phones = [p for p in (normalize_phone(x) for x in changes.remove_phones) if p in before.phones]
    add_tags = [t for t in (normalize_tag(x) for x in changes.add_tags) if t not in before.tags]
    del_tags = [t for t in (normalize_tag(x) for x in changes.remove_tags) if t in before.tags]
    add_links = [u for u in changes.add_links if u not in before.links]
    pid = before.id
    people_store.add_emails(conn, pid, add_emails)
    people_store.remove_emails(conn, pid, del_emails)
    people_store.add_phones(conn, pid, add_phones)
    people_store.remove_phones(conn, pid, del_phones)
    people_store.add_tags(conn, pid, add_tags)
    people_store.remove_tags(conn, pid, del_tags)
    people_store.add_links(conn, pid, [(u, link_kind(u)) for u in add_links])


def _by_id(interaction: InteractionRecord) -> int:
    return interaction.id
