"""Writing imported mail: a batch of messages at a time, with set-at-a-time SQL.

Per batch: one query tells which messages are already here, interactions,
participants and provenance go in with `executemany`, and people are found in
an in-memory address index loaded once (new correspondents go through the
session's usual matching). Derived per-person stats are refreshed once at the
end for everyone the mailbox mentions, so a re-run after an interruption also
repairs the people of batches committed before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from knowwho.importers.base import ImportSession, PersonCandidate
from knowwho.importers.mail_headers import Address
from knowwho.services import tie_strength
from knowwho.services.interactions import refresh_people
from knowwho.storage import bulk_import

SOURCE = "mail"
KNOWS_SOURCE = "mail-co-recipient"
KNOWS_CONFIDENCE = 0.5
SKIP_REMOVED = "only people you removed"

Edge = tuple[int, int, str, float, str]  # (lower id, higher id, source, confidence, created at)


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    """Who a message is between, from my side; shared by every message with the same From, To and Cc."""

    direction: str  # 'out' (from me) or 'in' (to me)
    counterparts: tuple[Address, ...]  # the people the conversation is with
    others: tuple[Address, ...]  # co-recipients who only get "knows" edges
    knows: bool  # few enough people on it to say they know each other


@dataclass(slots=True)
class MailItem:
    """A personal message, ready to store."""

    external_id: str
    occurred_at: str
    subject: str
    shape: Shape


class MailWriter:
    def __init__(self, session: ImportSession) -> None:
        self.session = session
        self.conn = session.conn
        self.pending: list[MailItem] = []
        self.people: dict[str, tuple[int, bool] | None] = dict(bulk_import.email_index(self.conn))
        self.edges: set[tuple[int, int]] = set()
        self._resolved: dict[Shape, list[int]] = {}
        self.touched: set[int] = set()
        self._promote: set[int] = set()

    def add(self, item: MailItem) -> None:
        self.pending.append(item)
        if len(self.pending) >= self.session.batch_size:
            self.flush()

    def flush(self) -> None:
        """Store the pending messages and commit them (one transaction per batch)."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        session, report, now, file = self.session, self.session.report, self.session.now, self.session.file
        known = bulk_import.known_external_ids(
            self.conn, source=SOURCE, entity="interaction", external_ids=[i.external_id for i in batch]
        )
        next_id = bulk_import.next_interaction_id(self.conn)
        interactions: list[tuple[int, str, str, str, str, str, str | None, str]] = []
        participants: list[tuple[int, int]] = []
        provenance: list[tuple[str, int, str, str, str, str]] = []
        knows: list[Edge] = []
        resolved = self._resolved
        for item in batch:
            ids = resolved.get(item.shape)
            if ids is None:
                ids = resolved[item.shape] = self._resolve(item.shape, knows)
            if item.external_id in known:
                report.interactions_existing += 1
                continue
            if not ids:
                session.skip(SKIP_REMOVED)
                continue
            known.add(item.external_id)
            interactions.append(
                (next_id, item.occurred_at, "email", item.shape.direction, item.subject, SOURCE, item.external_id, now)
            )
            participants.extend((next_id, pid) for pid in ids)
            provenance.append(("interaction", next_id, SOURCE, file, item.external_id, now))
            next_id += 1
        bulk_import.insert_interactions(self.conn, interactions)
        bulk_import.insert_participants(self.conn, participants)
        bulk_import.add_provenance(self.conn, provenance)
        report.interactions_added += len(interactions)
        if knows:
            report.knows_added += bulk_import.add_knows(self.conn, knows)
        if self._promote:
            bulk_import.mark_contacts(self.conn, self._promote, now)
            self._promote.clear()
        session.checkpoint()

    def finish(self) -> None:
        """Store what is left and refresh everyone the mailbox mentioned."""
        self.flush()
        if self.touched:
            refresh_people(self.conn, self.touched, now_julian=tie_strength.julian(self.session.now))

    def _resolve(self, shape: Shape, knows: list[Edge]) -> list[int]:
        """The ids of the people a message is with (creating them if new), and its "knows" edges."""
        ids = self._ids(shape.counterparts, direct=True)
        others = [pid for pid in self._ids(shape.others, direct=False) if pid not in ids]
        self.touched.update(ids)
        self.touched.update(others)
        if shape.knows:
            knows.extend(self._new_edges([*ids, *others]))
        if len(self._resolved) >= 50_000:
            self._resolved.clear()
        return ids

    def _ids(self, people: tuple[Address, ...], *, direct: bool) -> list[int]:
        ids: list[int] = []
        for name, address in people:
            pid = self._person(name, address, direct=direct)
            if pid is not None and pid not in ids:
                ids.append(pid)
        return ids

    def _person(self, name: str, address: str, *, direct: bool) -> int | None:
        if address in self.people:
            known = self.people[address]
            if known is None:
                return None  # removed by the user earlier
            pid, is_contact = known
            if direct and not is_contact:
                self._promote.add(pid)
                self.people[address] = (pid, True)
            return pid
        candidate = PersonCandidate(display_name=name or address.split("@")[0], emails=[address], is_contact=direct)
        found = self.session.upsert_person(candidate, external_id=address)
        self.people[address] = None if found is None else (found, direct)
        return found

    def _new_edges(self, ids: list[int]) -> list[Edge]:
        edges = []
        for a, b in combinations(sorted(set(ids)), 2):
            if (a, b) not in self.edges:
                self.edges.add((a, b))
                edges.append((a, b, KNOWS_SOURCE, KNOWS_CONFIDENCE, self.session.now))
        return edges
