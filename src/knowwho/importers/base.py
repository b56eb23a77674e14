"""What every importer shares: candidates, the report, and the import session.

An importer parses its input into `PersonCandidate`s and interactions and
hands them to an `ImportSession`, which matches them to existing people
(provenance first, then exact email or profile URL: those merge
automatically), writes them in batched transactions, records provenance so
re-importing adds nothing, and counts everything for the summary.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowwho.services import tie_strength
from knowwho.services.interactions import refresh_people
from knowwho.services.normalize import link_kind, normalize_linkedin_url, normalize_tag, split_name
from knowwho.services.people import ensure_organization
from knowwho.storage import interactions as interaction_store
from knowwho.storage import people as people_store
from knowwho.storage import provenance as provenance_store

if TYPE_CHECKING:
    from knowwho.core import Knowwho

Progress = Callable[[int, int | None], None]  # (done, total or None)


@dataclass
class PersonCandidate:
    """A person as an importer read them; empty fields say nothing."""

    display_name: str
    given_name: str = ""
    family_name: str = ""
    emails: list[str] = dataclasses.field(default_factory=list)
    phones: list[str] = dataclasses.field(default_factory=list)
    links: list[str] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    addresses: list[str] = dataclasses.field(default_factory=list)
    organization: str = ""
    title: str = ""
    role_start_on: str | None = None
    how_met: str = ""
    first_met_on: str | None = None
    birthday: str | None = None
    location: str = ""
    note: str = ""
    photo: bytes | None = None
    photo_type: str | None = None
    is_contact: bool = True


@dataclass
class ImportProblem:
    file: str
    where: str  # "line 12", "record 3", "message <id>"
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}"


@dataclass
class ImportReport:
    kind: str
    files: list[str] = dataclasses.field(default_factory=list)
    added: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    interactions_added: int = 0
    interactions_existing: int = 0
    knows_added: int = 0
    skipped: Counter[str] = dataclasses.field(default_factory=Counter)
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["skipped"] = dict(self.skipped)
        data["problems"] = [str(p) for p in self.problems]
        return data


class ImportSession:
    """One import's unit of work, committed in batches (re-running completes an interrupted import)."""

    def __init__(self, kw: Knowwho, *, source: str, report: ImportReport, batch_size: int = 1000) -> None:
        self.kw = kw
        self.conn = kw.db.conn
        self.source = source
        self.report = report
        self.file = ""
        self.batch_size = batch_size
        self.now = kw.ctx.now_stamp()
        self._pending = 0
        self._touched: set[int] = set()
        self._email_cache: dict[str, int] = {}
        self._stack = ExitStack()

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> ImportSession:
        self._stack.enter_context(self.kw.db.transaction())
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._refresh_touched()
        self._stack.__exit__(exc_type, exc, tb)  # type: ignore[arg-type]

    def record_done(self) -> None:
        """Call after each input record; commits every `batch_size` records."""
        self._pending += 1
        if self._pending >= self.batch_size:
            self.checkpoint()

    def checkpoint(self) -> None:
        self._refresh_touched()
        self._stack.close()
        self._stack = ExitStack()
        self._stack.enter_context(self.kw.db.transaction())
        self._pending = 0

    def _refresh_touched(self) -> None:
        if self._touched:
            refresh_people(self.conn, self._touched, now_julian=tie_strength.julian(self.now))
            self._touched.clear()

    # -- reporting -----------------------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.report.problems.append(ImportProblem(self.file, where, message))

    def skip(self, reason: str, count: int = 1) -> None:
        self.report.skipped[reason] += count

    # -- people ----------------------------------------------------------------------
    def upsert_person(self, candidate: PersonCandidate, *, external_id: str = "") -> int | None:
        """The id of the person this candidate is, adding or completing them (None: removed by the user)."""
        candidate = _cleaned(candidate)
        found = None
        if external_id:
            known = provenance_store.find(self.conn, source=self.source, entity="person", external_id=external_id)
            if known is not None:
                found = _follow_merges(self.conn, known)
                if found is None:
                    self.skip("removed earlier by you")
                    return None
        how = "unchanged"
        if found is None:
            found = self._match(candidate)
            how = "merged"
        if found is None:
            found = self._insert(candidate)
            self.report.added += 1
        else:
            changed = self._complete(found, candidate)
            if how == "merged":
                self.report.merged += 1
            elif changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        provenance_store.add(
            self.conn, entity="person", entity_id=found, source=self.source, file=self.file,
            external_id=external_id, now=self.now,
        )  # fmt: skip
        for email in candidate.emails:
            self._email_cache[email] = found
        return found

    def person_for_email(self, email: str, name: str = "") -> int | None:
        """The person with this address, created (from the name shown in the header) if new."""
        address = email.strip().lower()
        cached = self._email_cache.get(address)
        if cached is not None:
            return cached
        ids = people_store.ids_by_email(self.conn, address)
        if ids:
            self._email_cache[address] = ids[0]
            return ids[0]
        display = name.strip().strip('"') or address.split("@")[0]
        return self.upsert_person(PersonCandidate(display_name=display, emails=[address]), external_id=address)

    def _match(self, candidate: PersonCandidate) -> int | None:
        for email in candidate.emails:
            ids = people_store.ids_by_email(self.conn, email)
            if ids:
                return ids[0]
        for url in candidate.links:
            if link_kind(url) == "linkedin":
                ids = people_store.ids_by_link(self.conn, url)
                if ids:
                    return ids[0]
        return None

    def _insert(self, c: PersonCandidate) -> int:
        given, family = (c.given_name, c.family_name) if (c.given_name or c.family_name) else split_name(c.display_name)
        person_id = people_store.insert(
            self.conn, now=self.now, display_name=c.display_name, given_name=given, family_name=family,
            location=c.location, how_met=c.how_met, first_met_on=c.first_met_on, birthday=c.birthday,
            is_contact=int(c.is_contact),
        )  # fmt: skip
        self._add_lists(person_id, c)
        if c.organization:
            org_id = ensure_organization(self.conn, c.organization, self.now)
            people_store.insert_role(
                self.conn, person_id=person_id, organization_id=org_id, title=c.title, start_on=c.role_start_on
            )
        if c.note:
            interaction_store.insert_note(self.conn, body=c.note, now=self.now, person_id=person_id)
        if c.photo:
            people_store.set_photo(self.conn, person_id, c.photo, c.photo_type or "image/jpeg")
        return person_id

    def _complete(self, person_id: int, c: PersonCandidate) -> bool:
        """Add what the candidate knows and the record lacks; never overwrite what is there."""
        person = people_store.get(self.conn, person_id)
        assert person is not None
        before = (len(person.emails), len(person.phones), len(person.links), len(person.tags), len(person.roles))
        fill = {
            name: getattr(c, name)
            for name in ("location", "how_met", "first_met_on", "birthday")
            if getattr(c, name) and not getattr(person, name)
        }
        people_store.update(self.conn, person_id, now=self.now, **fill) if fill else None
        self._add_lists(person_id, c)
        if c.organization and not any(r.organization.lower() == c.organization.lower() for r in person.roles):
            org_id = ensure_organization(self.conn, c.organization, self.now)
            people_store.insert_role(
                self.conn, person_id=person_id, organization_id=org_id, title=c.title, start_on=c.role_start_on
            )
        if c.note and not people_store.has_note(self.conn, person_id, c.note):
            interaction_store.insert_note(self.conn, body=c.note, now=self.now, person_id=person_id)
            fill["note"] = c.note
        if c.photo and not people_store.has_photo(self.conn, person_id):
            people_store.set_photo(self.conn, person_id, c.photo, c.photo_type or "image/jpeg")
            fill["photo"] = "yes"
        after = people_store.get(self.conn, person_id)
        assert after is not None
        counts = (len(after.emails), len(after.phones), len(after.links), len(after.tags), len(after.roles))
        return bool(fill) or counts != before

    def _add_lists(self, person_id: int, c: PersonCandidate) -> None:
        people_store.add_emails(self.conn, person_id, c.emails)
        people_store.add_phones(self.conn, person_id, c.phones)
        people_store.add_links(self.conn, person_id, [(u, link_kind(u)) for u in c.links])
        people_store.add_tags(self.conn, person_id, c.tags)
        people_store.add_addresses(self.conn, person_id, c.addresses)

    # -- interactions and edges -------------------------------------------------------
    def add_interaction(
        self,
        *,
        external_id: str,
        occurred_at: str,
        kind: str,
        direction: str,
        person_ids: list[int],
        subject: str = "",
        notes: str = "",
        channel: str = "",
    ) -> bool:
        """Add an interaction unless this source already brought it in; True if added."""
        if provenance_store.find(self.conn, source=self.source, entity="interaction", external_id=external_id):
            self.report.interactions_existing += 1
            return False
        interaction_id = interaction_store.insert(
            self.conn, occurred_at=occurred_at, kind=kind, direction=direction, participant_ids=person_ids,
            now=self.now, subject=subject, notes=notes, channel=channel or self.source,
            source_message_id=external_id if self.source == "mail" else None,
        )  # fmt: skip
        provenance_store.add(
            self.conn, entity="interaction", entity_id=interaction_id, source=self.source, file=self.file,
            external_id=external_id, now=self.now,
        )  # fmt: skip
        self._touched.update(person_ids)
        self.report.interactions_added += 1
        return True

    def add_knows(self, a: int, b: int, *, source: str, confidence: float = 0.5) -> None:
        if a != b and provenance_store.add_knows(self.conn, a, b, source=source, confidence=confidence, now=self.now):
            self.report.knows_added += 1


def _cleaned(c: PersonCandidate) -> PersonCandidate:
    c.display_name = " ".join(c.display_name.split()) or (c.emails[0] if c.emails else "(no name)")
    c.emails = list(dict.fromkeys(e.strip().lower() for e in c.emails if e and "@" in e))
    c.links = list(dict.fromkeys(normalize_linkedin_url(u) for u in c.links if u and u.strip()))
    c.tags = list(dict.fromkeys(t for t in (normalize_tag(x) for x in c.tags) if t))
    c.phones = list(dict.fromkeys(p.strip() for p in c.phones if p and p.strip()))
    return c


def _follow_merges(conn: sqlite3.Connection, person_id: int) -> int | None:
    """Where an earlier import's person lives now: themselves, or whoever they were merged into.

    None when the user removed them: a re-import must not bring them back.
    """
    seen = set()
    current: int | None = person_id
    while current is not None and current not in seen:
        seen.add(current)
        person = people_store.get(conn, current, with_details=False)
        if person is None:
            return None
        if person.deleted_at is None:
            return current
        current = person.merged_into_id
    return None
