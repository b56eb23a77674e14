"""What every importer shares: candidates, the report, and the import session.

An importer parses its input into `PersonCandidate`s and interactions and
hands them to an `ImportSession`, which matches them to existing people
(the ids of knowwho's own exports first, then provenance, then exact email
or profile URL: those merge automatically), writes them in batched transactions, records provenance so
re-importing adds nothing, and counts everything for the summary.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from knowwho.dates import birth_days, recorded_days
from knowwho.errors import Interrupted
from knowwho.exporters.ids import parse_person_ref, same_record
from knowwho.services import tie_strength
from knowwho.services.interactions import refresh_many, refresh_people
from knowwho.services.normalize import (
    MAX_NAME_LENGTH,
    link_kind,
    normalize_linkedin_url,
    normalize_tag,
    shortened_name,
    split_name,
    without_controls,
)
from knowwho.services.people import ensure_organization
from knowwho.storage import interactions as interaction_store
from knowwho.storage import people as people_store
from knowwho.storage import provenance as provenance_store
from knowwho.wording import plural

if TYPE_CHECKING:
    from knowwho.core import Knowwho

Progress = Callable[[int, int | None], None]  # (done, total or None)
T = TypeVar("T")
# An import commits at least this often (seconds), so another program's write waits well under a second.
TRANSACTION_SECONDS = 0.25
PAUSE_SECONDS = 0.005  # between two transactions: long enough for a waiting write to begin


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
    labels: dict[str, str] = dataclasses.field(default_factory=dict)  # email/phone/address -> "work", "mobile"...
    knowwho_id: str = ""  # the person's id in a knowwho export (vCard UID, CSV knowwho_id)


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
    notes: list[str] = dataclasses.field(default_factory=list)  # about whole files, e.g. a guessed encoding

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
        self.days = recorded_days(kw.ctx.today())  # what a conversation, a meeting or a first meeting may be dated
        self.birth_days = birth_days(kw.ctx.today())
        self._pending = 0
        self._touched: set[int] = set()
        self.filled_in = False  # the last `upsert_person` added something to a person already known
        self._email_cache: dict[str, int] = {}
        self._link_cache: dict[str, int] = {}
        self._org_cache: dict[str, int] = {}
        self._stack = ExitStack()
        self._change = ExitStack()  # the whole import is one change: `knowwho undo` reverses all of it
        # People whose derived columns an importer writes only at the end: refreshed if it stops early.
        self.stale: set[int] = set()
        self.position: tuple[int, int] | None = None  # (done, total) of the input, as committed
        self._kept = (0, 0)  # people and conversations committed so far
        self._opened = time.monotonic()  # when the current transaction began
        self._committed_at = 0.0

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> ImportSession:
        self._change.enter_context(self.kw.db.journaled(f"imported {self.source}", self.now))
        self._begin()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        stopped = isinstance(exc, KeyboardInterrupt)
        try:
            if exc_type is None:
                self._refresh_touched()
                self.kw.ctx.describe_change(self._description())
            self._stack.__exit__(exc_type, exc, tb)  # type: ignore[arg-type]
            if stopped:
                self._keep_what_was_stored()
        finally:
            self._change.close()
        if stopped:
            raise Interrupted(self._interrupted_message()) from None

    def _keep_what_was_stored(self) -> None:
        """After Ctrl+C: the last batch is rolled back; bring the derived columns in line with what was committed."""
        with self.kw.db.transaction() as conn:
            if self.stale:
                refresh_many(conn, self.stale, now_julian=tie_strength.julian(self.now))
            self.kw.ctx.describe_change(self._description() + ", interrupted")

    def _interrupted_message(self) -> str:
        people, conversations = self._kept
        kept = [plural(conversations, "conversation")] if conversations else []
        kept += [plural(people, "person", "people")] if people else []
        stored = " and ".join(kept) + " stored" if kept else "nothing stored yet"
        done, total = self.position or (0, 0)
        if 0 < done < total:
            stored += f" ({done * 100 // total}% of the input read)"
        return f"interrupted: {stored}; run the same import again to finish"

    def _description(self) -> str:
        from pathlib import Path

        names = sorted({Path(f).name for f in self.report.files})
        files = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f"imported {files or self.source} ({self.report.kind})"

    def record_done(self) -> None:
        """Call after each input record; commits every `batch_size` records, or sooner when they are slow."""
        self._pending += 1
        if self._pending >= self.batch_size or time.monotonic() - self._opened > TRANSACTION_SECONDS:
            self.checkpoint()

    def keep_short(self) -> None:
        """Commit now if the transaction has been open long enough to make another program's write wait."""
        if time.monotonic() - self._opened > TRANSACTION_SECONDS:
            self.checkpoint()

    def checkpoint(self) -> None:
        self._commit()
        self._begin()

    def outside_transaction(self, items: Iterable[T]) -> Iterator[T]:
        """The items, each after the first fetched (read, parsed) with what came before committed and no lock held.

        The first is read inside the opening transaction: an input that fails
        at once leaves nothing behind.
        """
        iterator = iter(items)
        item = next(iterator, None)
        while item is not None:
            yield item
            self._commit()
            try:
                item = next(iterator, None)
            finally:
                self._begin()

    def _commit(self) -> None:
        self._refresh_touched()
        self._stack.close()
        report = self.report
        self._kept = (report.added + report.updated + report.merged, report.interactions_added)
        self._pending = 0
        self._committed_at = time.monotonic()

    def _begin(self) -> None:
        pause = PAUSE_SECONDS - (time.monotonic() - self._committed_at)
        if pause > 0:  # a write waiting for ours gets its turn now
            time.sleep(pause)
        self._stack = ExitStack()
        self._stack.enter_context(self.kw.db.transaction())
        self._opened = time.monotonic()

    def _refresh_touched(self) -> None:
        if self._touched:
            refresh_people(self.conn, self._touched, now_julian=tie_strength.julian(self.now))
            self._touched.clear()

    # -- reporting -----------------------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.report.problems.append(ImportProblem(self.file, where, message))

    def skip(self, reason: str, count: int = 1) -> None:
        self.report.skipped[reason] += count

    def keeps_date(self, day: str, where: str, what: str, *, born: bool = False, outcome: str = "left out") -> bool:
        """Whether a date read from the input ('YYYY-MM-DD…', '--MM-DD') lies in knowwho's range; if not, says so."""
        days = self.birth_days if born else self.days
        if day.startswith("--") or days.holds(day):
            return True
        self.problem(where, f"{what} {day[:10]} is out of range ({days.span()}); {outcome}")
        return False

    def kept_birthday(self, birthday: str | None, where: str) -> str | None:
        """The birthday read, or None (reported: the person comes in without it) when no contact can have it."""
        if birthday and not self.keeps_date(birthday, where, "birthday", born=True, outcome="imported without it"):
            return None
        return birthday

    # -- people ----------------------------------------------------------------------
    def upsert_person(self, candidate: PersonCandidate, *, external_id: str = "") -> int | None:
        """The id of the person this candidate is, adding or completing them (None: removed by the user)."""
        self.filled_in = False
        candidate = self._cleaned(candidate)
        found = self._own_record(candidate.knowwho_id) if candidate.knowwho_id else None
        if found == 0:
            self.skip("removed earlier by you")
            return None
        if found is None and external_id:
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
            changed = self.filled_in = self._complete(found, candidate)
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
        for url in candidate.links:
            self._link_cache[url] = found
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

    def person_for_link(
        self, url: str, name: str = "", *, how_met: str = "", first_met_on: str | None = None
    ) -> int | None:
        """The person with this profile URL, created (with the name shown, how and when met) if new."""
        link = normalize_linkedin_url(url)
        cached = self._link_cache.get(link)
        if cached is not None:
            return cached
        ids = people_store.ids_by_link(self.conn, link)
        if ids:
            self._link_cache[link] = ids[0]
            return ids[0]
        display = name.strip() or link.rstrip("/").rsplit("/", 1)[-1]
        candidate = PersonCandidate(display_name=display, links=[link], how_met=how_met, first_met_on=first_met_on)
        return self.upsert_person(candidate, external_id=link)

    def _cleaned(self, candidate: PersonCandidate) -> PersonCandidate:
        """The candidate cleaned; a name past the length limit is cut, and the report says so."""
        cleaned = _cleaned(candidate)
        name = cleaned.display_name
        if len(name) > MAX_NAME_LENGTH:
            cleaned.display_name = shortened_name(name)
            self.problem(f"name {name[:40]}…", f"longer than {MAX_NAME_LENGTH} characters: only its start is kept")
        return cleaned

    def _own_record(self, knowwho_id: str) -> int | None:
        """The person a knowwho export of this database called so (0: removed since); None when not ours."""
        ref = parse_person_ref(knowwho_id)
        person = people_store.get(self.conn, ref[0], with_details=False) if ref else None
        if ref is None or person is None or not same_record(ref, person.id, person.created_at):
            return None
        return _follow_merges(self.conn, person.id) or 0

    def _match(self, candidate: PersonCandidate) -> int | None:
        """The existing person this candidate is, by exact email or LinkedIn URL.

        When the candidate's addresses belong to several people, those records
        are one person: they are merged (undoably) into the oldest.
        """
        ids: list[int] = []
        for email in candidate.emails:
            ids += [i for i in people_store.ids_by_email(self.conn, email) if i not in ids]
        for url in candidate.links:
            if link_kind(url) == "linkedin":
                ids += [i for i in people_store.ids_by_link(self.conn, url) if i not in ids]
        if len(ids) > 1:
            self._merge_all(sorted(ids))
        return min(ids) if ids else None

    def _merge_all(self, ids: list[int]) -> None:
        from knowwho.services.duplicates import merge_people

        keep = ids[0]
        for other in ids[1:]:
            merge_people(self.conn, keep, other, now=self.now)
            self.report.merged += 1
            for cache in (self._email_cache, self._link_cache):
                for key, value in cache.items():
                    if value == other:
                        cache[key] = keep

    def upsert_people(self, items: list[tuple[PersonCandidate, str]]) -> list[int | None]:
        """`upsert_person` for many (candidate, external id) at once: same results and counts, faster.

        New people (no provenance, no email or LinkedIn URL already known,
        nothing shared with an earlier item) are written set-at-a-time; the
        others go through `upsert_person` one by one, after them.
        """
        cleaned = [(self._cleaned(c), external_id) for c, external_id in items]
        known = provenance_store.find_many(
            self.conn, source=self.source, entity="person", external_ids=[e for _c, e in cleaned]
        )
        emails = people_store.existing_emails(self.conn, [e for c, _e in cleaned for e in c.emails])
        links = people_store.existing_links(
            self.conn, [u for c, _e in cleaned for u in c.links if link_kind(u) == "linkedin"]
        )
        fresh: list[int] = []
        later: list[int] = []
        claimed: set[str] = set()
        for index, (c, external_id) in enumerate(cleaned):
            keys = {f"x:{external_id}"} if external_id else set()
            keys.update([f"e:{e}" for e in c.emails] + [f"l:{u}" for u in c.links])
            if external_id in known or emails.intersection(c.emails) or links.intersection(c.links) or keys & claimed:
                later.append(index)
            else:
                fresh.append(index)
                claimed |= keys
        results: list[int | None] = [None] * len(items)
        new_ids = self._insert_many([cleaned[i][0] for i in fresh])
        provenance_rows = []
        for index, person_id in zip(fresh, new_ids, strict=True):
            results[index] = person_id
            c, external_id = cleaned[index]
            provenance_rows.append(("person", person_id, self.source, self.file, external_id, self.now))
            self._email_cache.update(dict.fromkeys(c.emails, person_id))
            self._link_cache.update(dict.fromkeys(c.links, person_id))
        provenance_store.add_many(self.conn, provenance_rows)
        self.report.added += len(fresh)
        for index in later:
            results[index] = self.upsert_person(cleaned[index][0], external_id=cleaned[index][1])
        return results

    def _insert(self, c: PersonCandidate) -> int:
        return self._insert_many([c])[0]

    def _insert_many(self, candidates: list[PersonCandidate]) -> list[int]:
        rows = []
        for c in candidates:
            named = c.given_name or c.family_name
            given, family = (c.given_name, c.family_name) if named else split_name(c.display_name)
            rows.append((c.display_name, given, family, c.location, c.how_met, c.first_met_on, c.birthday,
                         int(c.is_contact)))  # fmt: skip
        if not rows:
            return []
        ids = people_store.insert_many(self.conn, rows, now=self.now)
        lists: dict[str, list[tuple[int, str, str]]] = {}
        roles = []
        for person_id, c in zip(ids, candidates, strict=True):
            _list_rows(person_id, c, lists)
            if c.organization:
                roles.append((person_id, self._organization(c.organization), c.title, c.role_start_on))
            if c.note:
                interaction_store.insert_note(self.conn, body=c.note, now=self.now, person_id=person_id)
            if c.photo:
                people_store.set_photo(self.conn, person_id, c.photo, c.photo_type or "image/jpeg")
        for table, values in lists.items():
            people_store.insert_list_rows(self.conn, table, values)
        people_store.insert_roles(self.conn, roles)
        return ids

    def _complete(self, person_id: int, c: PersonCandidate) -> bool:
        """Add what the candidate knows and the record lacks; never overwrite what is there. True if anything."""
        person = people_store.get(self.conn, person_id, with_details=False)
        assert person is not None
        fill = {
            name: getattr(c, name)
            for name in ("location", "how_met", "first_met_on", "birthday")
            if getattr(c, name) and not getattr(person, name)
        }
        if fill:
            people_store.update(self.conn, person_id, now=self.now, **fill)
        added = sum(
            people_store.insert_list_rows(self.conn, table, values)
            for table, values in _list_rows(person_id, c).items()
        )
        if c.organization and c.organization.lower() not in people_store.organization_names(self.conn, person_id):
            org_id = self._organization(c.organization)
            people_store.insert_roles(self.conn, [(person_id, org_id, c.title, c.role_start_on)])
            added += 1
        if c.note and not people_store.has_note(self.conn, person_id, c.note):
            interaction_store.insert_note(self.conn, body=c.note, now=self.now, person_id=person_id)
            added += 1
        if c.photo and not people_store.has_photo(self.conn, person_id):
            people_store.set_photo(self.conn, person_id, c.photo, c.photo_type or "image/jpeg")
            added += 1
        return bool(fill) or added > 0

    def _organization(self, name: str) -> int:
        key = name.strip().lower()
        if key not in self._org_cache:
            self._org_cache[key] = ensure_organization(self.conn, name, self.now)
        return self._org_cache[key]

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


def stable_external_id(c: PersonCandidate) -> str:
    """An id for a record its source does not number: its name and emails (or phones), normalised."""
    keys = sorted({e.strip().lower() for e in c.emails}) or sorted({p.strip() for p in c.phones})
    basis = "|".join([" ".join(c.display_name.lower().split()), *keys])
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()


def _list_rows(
    person_id: int, c: PersonCandidate, into: dict[str, list[tuple[int, str, str]]] | None = None
) -> dict[str, list[tuple[int, str, str]]]:
    """The candidate's emails, phones, addresses, links and tags as rows of their tables, added to `into`."""
    rows = {} if into is None else into
    label = c.labels.get
    # Empty lists are skipped without building anything: large imports have mostly empty ones.
    if c.emails:
        rows.setdefault("person_emails", []).extend((person_id, e, label(e, "")) for e in c.emails)
    if c.phones:
        rows.setdefault("person_phones", []).extend((person_id, p, label(p, "")) for p in c.phones)
    if c.addresses:
        rows.setdefault("person_addresses", []).extend((person_id, a, label(a, "")) for a in c.addresses)
    if c.links:
        rows.setdefault("person_links", []).extend((person_id, u, link_kind(u)) for u in c.links)
    if c.tags:
        rows.setdefault("person_tags", []).extend((person_id, t, "tag") for t in c.tags)
    return rows


def _cleaned(c: PersonCandidate) -> PersonCandidate:
    c.display_name = " ".join(without_controls(c.display_name).split()) or (c.emails[0] if c.emails else "(no name)")
    if c.labels:  # keyed like the cleaned values below
        c.labels = {(k.strip().lower() if "@" in k else k.strip()): v for k, v in c.labels.items()}
    # Empty lists are the common case on large imports: skip their work.
    if c.emails:
        c.emails = list(dict.fromkeys(e.strip().lower() for e in c.emails if e and "@" in e))
    if c.links:
        c.links = list(dict.fromkeys(normalize_linkedin_url(u) for u in c.links if u and u.strip()))
    if c.tags:
        c.tags = list(dict.fromkeys(t for t in (normalize_tag(x) for x in c.tags) if t))
    if c.phones:
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
