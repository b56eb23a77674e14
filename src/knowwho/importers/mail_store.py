"""Writing imported mail: one transaction per batch of conversations, with set-at-a-time SQL.

Per batch: one query tells which messages are already here; interactions,
participants and provenance go in many rows per statement; people are found in
an address index loaded once (new correspondents go through the session's
usual matching), and each distinct sender/recipients combination is resolved
to people once. Derived per-person stats (dates, counts, tie strength) are
tallied while writing, starting from each person's interactions already in
the database, and written once at the end for everyone the mailbox mentions:
a re-run after an interruption also repairs the people of batches committed
before it. If anything else changed people meanwhile (another program, a
merge), they are recomputed from the database instead.
"""

from __future__ import annotations

from itertools import combinations

from knowwho.importers.base import ImportSession, PersonCandidate
from knowwho.importers.mail_headers import Address
from knowwho.importers.mail_reader import Batch, Shape
from knowwho.services import tie_strength
from knowwho.services.interactions import refresh_many
from knowwho.storage import bulk_import, tie_weights
from knowwho.storage import interactions as interaction_store

SOURCE = "mail"
KNOWS_SOURCE = "mail-co-recipient"
KNOWS_CONFIDENCE = 0.5
SKIP_REMOVED = "only people you removed"
FINISH_CHUNK = 4000  # people whose derived columns are written per transaction at the end

Edge = tuple[int, int, str, float, str]  # (lower id, higher id, source, confidence, created at)


class _Derived:
    """One person's derived columns, tallied from their interactions in id order (as `refresh_people` reads them)."""

    __slots__ = ("count", "first", "last", "last_in", "last_out", "tally")

    def __init__(self, now_julian: float) -> None:
        self.tally = tie_strength.Tally(now_julian)
        self.first: str | None = None
        self.last: str | None = None
        self.last_in: str | None = None
        self.last_out: str | None = None
        self.count = 0

    def add(self, kind: str, direction: str, occurred_at: str, participants: int = 1) -> None:
        self.tally.add(kind, direction, occurred_at, participants)
        self.count += 1
        if self.first is None or occurred_at < self.first:
            self.first = occurred_at
        if self.last is None or occurred_at > self.last:
            self.last = occurred_at
        if direction == "in":
            if self.last_in is None or occurred_at > self.last_in:
                self.last_in = occurred_at
        elif self.last_out is None or occurred_at > self.last_out:
            self.last_out = occurred_at


class MailWriter:
    def __init__(self, session: ImportSession) -> None:
        self.session = session
        self.conn = session.conn
        self.people: dict[str, tuple[int, bool] | None] = dict(bulk_import.email_index(self.conn))
        self.shapes: dict[int, Shape] = {}
        self.files: dict[int, str] = {}
        self.edges: set[tuple[int, int]] = set()
        self.now_julian = tie_strength.julian(session.now)
        self.derived: dict[int, _Derived] = {}  # everyone the mailbox mentions
        self._marks = bulk_import.change_marks(self.conn)
        self._resolved: dict[Shape, list[int]] = {}
        self._promote: set[int] = set()

    def store(self, batch: Batch) -> None:
        """Store one batch of conversations (the session commits it, sooner when new people make it slow)."""
        session, report, now = self.session, self.session.report, self.session.now
        self.shapes.update(batch.shapes)
        self.files.update(batch.files)
        for reason, count in batch.skipped.items():
            session.skip(reason, count)
        for file_number, where, message in batch.problems:
            session.file = self.files[file_number]
            session.problem(where, message)
        items = batch.items
        if not items:
            return
        knows: list[Edge] = []
        shapes, files, resolved, derived = self.shapes, self.files, self._resolved, self.derived
        # New correspondents first: making many people may commit on the way (short transactions),
        # which must happen before the interaction ids below are handed out.
        for _external_id, _occurred_at, _subject, shape_number, file_number in items:
            shape = shapes[shape_number]
            if shape not in resolved:
                session.file = files[file_number]
                resolved[shape] = self._resolve(shape, knows)
        known = bulk_import.known_external_ids(
            self.conn, source=SOURCE, entity="interaction", external_ids=[item[0] for item in items]
        )
        next_id = bulk_import.next_interaction_id(self.conn)
        interactions: list[tuple[int, str, str, str, str, str, str | None, str]] = []
        participants: list[tuple[int, int]] = []
        provenance: list[tuple[str, int, str, str, str, str]] = []
        for external_id, occurred_at, subject, shape_number, file_number in items:
            shape = shapes[shape_number]
            ids = resolved.get(shape)
            if ids is None:
                session.file = files[file_number]  # where new people are first seen
                ids = resolved[shape] = self._resolve(shape, knows)
            if external_id in known:
                report.interactions_existing += 1
                continue
            if not ids:
                session.skip(SKIP_REMOVED)
                continue
            known.add(external_id)
            for pid in ids:
                derived[pid].add("email", shape.direction, occurred_at, len(ids))
            interactions.append((next_id, occurred_at, "email", shape.direction, subject, SOURCE, external_id, now))
            participants.extend([(next_id, pid) for pid in ids])
            provenance.append(("interaction", next_id, SOURCE, files[file_number], external_id, now))
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

    def finish(self) -> None:
        """Write the derived stats of everyone the mailbox mentioned (in the session's last transaction)."""
        if not self.derived:
            return
        ids = list(self.derived)
        recount = bulk_import.change_marks(self.conn) != self._marks  # the tallies may have missed something
        for start in range(0, len(ids), FINISH_CHUNK):
            if start:
                self.session.checkpoint()  # short transactions: other programs' writes wait little
            chunk = ids[start : start + FINISH_CHUNK]
            if recount:
                refresh_many(self.conn, chunk, now_julian=self.now_julian)
            else:
                self._write_tallies(chunk)

    def _write_tallies(self, ids: list[int]) -> None:
        facts = bulk_import.closeness_and_knows(self.conn, ids)
        weights = tie_weights.get(self.conn)  # the user's calibration, as every other refresh uses
        stats, scores = [], []
        for pid, (closeness, knows) in facts.items():
            d = self.derived[pid]
            stats.append((d.first, d.last, d.last_in, d.last_out, d.count, pid))
            scores.append((d.tally.result(knows_count=knows, closeness=closeness, weights=weights).score, pid))
        bulk_import.set_stats(self.conn, stats)
        bulk_import.set_tie_strengths(self.conn, scores)

    def _touch(self, ids: list[int]) -> None:
        """Start tallying these people from the interactions they already have."""
        self.session.stale.update(ids)  # their columns are written at the end, or refreshed if stopped early
        for pid in ids:
            if pid not in self.derived:
                d = self.derived[pid] = _Derived(self.now_julian)
                for kind, direction, occurred_at, participants in interaction_store.tie_rows(self.conn, pid):
                    d.add(kind, direction, occurred_at, participants)

    def _resolve(self, shape: Shape, knows: list[Edge]) -> list[int]:
        """The ids of the people a message is with (creating them if new), and its "knows" edges."""
        ids = self._ids(shape.counterparts, direct=True)
        others = [pid for pid in self._ids(shape.others, direct=False) if pid not in ids]
        self._touch(ids)
        self._touch(others)
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
        self.session.keep_short()
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
