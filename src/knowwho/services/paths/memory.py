"""The network held in memory by a long-running server, kept up to date from the database's change feed.

Reading a large organization's people and job histories from SQLite costs
tens of milliseconds a search. A server reads the network once; before each
search it asks the `network_changes` table (filled by triggers on every
commit: its own, the CLI's, an undo's) which rows changed, and reads only
those again. When it has fallen far behind (a whole import) or the file
was replaced (a restore), it reads everything again. It answers the same
reads as `storage.network.SqlNetwork`, so the route search runs on either.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from knowwho.services.paths.fields import FieldMemo
from knowwho.services.paths.region import ColleagueMemo
from knowwho.storage import dump
from knowwho.storage import network as store
from knowwho.storage.network import KnowsRow, NetworkReader, PersonNode, RoleRow, Stint

# More changed rows than this since the last search: reading them one by one costs more than reading all.
CATCH_UP_AT_MOST = 20_000


class _Shared:
    """Many searches read at once; catching up with the database waits until they are done and holds new
    ones back meanwhile. (One search at a time made every answer wait behind the slowest one asked before.)"""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False  # one is catching up, or waiting for the readers to finish

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._changed:
            while self._writing:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._changed:
            while self._writing:
                self._changed.wait()
            self._writing = True
            while self._readers:
                self._changed.wait()
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class NetworkMemory:
    """People, who knows whom and job histories, by id and by either end; searches read it side by side."""

    def __init__(self) -> None:
        self._shared = _Shared()
        self._seen = -1  # the last change applied; -1: nothing read yet
        self.reloads = 0  # how often everything was read (for tests and benchmarks)
        self._people: dict[int, PersonNode] = {}
        self._knows: dict[int, KnowsRow] = {}
        self._knows_by_person: defaultdict[int, set[int]] = defaultdict(set)
        self._roles: dict[int, Stint] = {}  # by role id, with the organization's name
        self._roles_by_person: defaultdict[int, set[int]] = defaultdict(set)
        self._roles_by_org: defaultdict[int, set[int]] = defaultdict(set)
        self._current_titles: defaultdict[str, set[int]] = defaultdict(set)  # lowercased title -> role ids
        self._titles: defaultdict[str, set[int]] = defaultdict(set)  # current title as written -> role ids
        self._organizations: dict[int, str] = {}
        self._my: list[Stint] = []
        self._strongest: float | None = None  # the closest tie to a contact; None: to be worked out again
        self.colleagues = ColleagueMemo()  # who worked with whom, as searches work it out; cleared on any change
        self.fields = FieldMemo()  # field word -> the people titled in it; cleared on any change

    @contextmanager
    def current(self, conn: sqlite3.Connection) -> Iterator[NetworkReader]:
        """The network as the database holds it now, for one search (others may read it at the same time)."""
        if not self._up_to_date(conn):
            with self._shared.write(), dump.read_snapshot(conn):
                self._catch_up(conn)
        with self._shared.read():
            yield self

    # -- keeping up ------------------------------------------------------------------------
    def _up_to_date(self, conn: sqlite3.Connection) -> bool:
        _oldest, newest = store.network_change_bounds(conn)
        return self._seen >= 0 and newest == self._seen

    def _catch_up(self, conn: sqlite3.Connection) -> None:
        oldest, newest = store.network_change_bounds(conn)
        if self._seen < 0 or newest < self._seen or oldest > self._seen + 1:
            self._load(conn, newest)
            return
        changes = store.network_changes_since(conn, self._seen, CATCH_UP_AT_MOST + 1)
        if len(changes) > CATCH_UP_AT_MOST:
            self._load(conn, newest)
            return
        if changes:
            self.colleagues.clear()
            self.fields.clear()
            self._apply(conn, changes)
            self._seen = changes[-1][0]

    def _load(self, conn: sqlite3.Connection, newest: int) -> None:
        self._seen = -1  # until the whole network is read: a failure here means reading it all next time
        self._clear()
        self._strongest = None
        self._people = store.all_nodes(conn)
        for knows_id, row in store.knows_rows(conn).items():
            self._put_knows(knows_id, row)
        self._organizations = store.organization_names(conn)
        for role in store.role_rows(conn).values():
            self._put_role(role)
        self._my = store.my_stints(conn)
        self._seen = newest
        self.reloads += 1
        # Hundreds of thousands of long-lived objects: leave them out of the collector's full passes,
        # which would otherwise walk them all every few searches (pauses of tens of milliseconds).
        gc.freeze()

    def _clear(self) -> None:
        self.colleagues.clear()
        self.fields.clear()
        self._knows.clear()
        self._knows_by_person.clear()
        self._roles.clear()
        self._roles_by_person.clear()
        self._roles_by_org.clear()
        self._current_titles.clear()
        self._titles.clear()

    def _apply(self, conn: sqlite3.Connection, changes: list[tuple[int, str, int]]) -> None:
        changed: defaultdict[str, set[int]] = defaultdict(set)
        for _, table, row_id in changes:
            changed[table].add(row_id)
        if changed["people"]:
            found = store.nodes(conn, changed["people"])
            for person_id in changed["people"]:
                self._people.pop(person_id, None)
            self._people.update(found)
            self._strongest = None
        if changed["knows"]:
            rows = store.knows_rows(conn, changed["knows"])
            for knows_id in changed["knows"]:
                self._drop_knows(knows_id)
                if knows_id in rows:
                    self._put_knows(knows_id, rows[knows_id])
        if changed["organizations"]:  # first: the roles below take their organization's name
            for organization_id in changed["organizations"]:
                self._organizations.pop(organization_id, None)
            self._organizations.update(store.organization_names(conn, changed["organizations"]))
            for organization_id in changed["organizations"]:
                changed["roles"].update(self._roles_by_org.get(organization_id, ()))
        if changed["roles"]:
            roles = store.role_rows(conn, changed["roles"])
            for role_id in changed["roles"]:
                self._drop_role(role_id)
                if role_id in roles:
                    self._put_role(roles[role_id])
        if changed["organizations"] or changed["my_roles"]:
            self._my = store.my_stints(conn)

    def _put_knows(self, knows_id: int, row: KnowsRow) -> None:
        self._knows[knows_id] = row
        self._knows_by_person[row.a].add(knows_id)
        self._knows_by_person[row.b].add(knows_id)

    def _drop_knows(self, knows_id: int) -> None:
        row = self._knows.pop(knows_id, None)
        if row is not None:
            self._knows_by_person[row.a].discard(knows_id)
            self._knows_by_person[row.b].discard(knows_id)

    def _put_role(self, role: RoleRow) -> None:
        name = self._organizations.get(role.organization_id)
        if name is None:  # an organization removed from the database: its roles went with it
            return
        self._roles[role.id] = Stint(role.person_id, role.organization_id, name, role.title, role.start_on,
                                     role.end_on, role.is_current)  # fmt: skip
        self._roles_by_person[role.person_id].add(role.id)
        self._roles_by_org[role.organization_id].add(role.id)
        if role.is_current:
            self._current_titles[role.title.lower()].add(role.id)
            self._titles[role.title].add(role.id)

    def _drop_role(self, role_id: int) -> None:
        role = self._roles.pop(role_id, None)
        if role is not None and role.person_id is not None:
            self._roles_by_person[role.person_id].discard(role_id)
            self._roles_by_org[role.organization_id].discard(role_id)
            self._current_titles[role.title.lower()].discard(role_id)
            self._titles[role.title].discard(role_id)

    # -- the reads of NetworkReader --------------------------------------------------------
    def nodes(self, ids: Iterable[int]) -> dict[int, PersonNode]:
        people = self._people
        return {pid: people[pid] for pid in ids if pid in people}

    def knows_of(self, ids: Iterable[int]) -> list[KnowsRow]:
        alive, knows = self._people, self._knows
        edge_ids = set().union(*(self._knows_by_person.get(pid, ()) for pid in ids))
        rows = (knows[k] for k in sorted(edge_ids))
        return [row for row in rows if row.a in alive and row.b in alive]

    def stints_of(self, ids: Iterable[int]) -> list[Stint]:
        role_ids = set().union(*(self._roles_by_person.get(pid, ()) for pid in ids))
        return self._stints(role_ids)

    def stints_at(self, organization_ids: Iterable[int]) -> list[Stint]:
        role_ids = set().union(*(self._roles_by_org.get(oid, ()) for oid in organization_ids))
        return self._stints(role_ids)

    def organization_sizes(self, organization_ids: Iterable[int]) -> dict[int, int]:
        by_org = self._roles_by_org
        return {oid: len(by_org[oid]) for oid in set(organization_ids) if by_org.get(oid)}

    def my_stints(self) -> list[Stint]:
        return list(self._my)

    def people_titled(self, text: str) -> set[int]:
        """Through the distinct titles (a few thousand even in a large network), not every role."""
        needle, roles = text.strip().lower(), self._roles
        found: set[int] = set()
        for title, role_ids in self._current_titles.items():
            if needle in title:
                found.update(roles[r].person_id or 0 for r in role_ids)
        return found

    def current_titles(self) -> list[str]:
        """The distinct current titles, from the index kept by title (reading them from SQLite scans every role)."""
        return [title for title, role_ids in self._titles.items() if title and role_ids]

    def people_with_titles(self, titles: Iterable[str]) -> list[tuple[int, str]]:
        alive, roles, by_title = self._people, self._roles, self._titles
        found = ((roles[r].person_id, title) for title in set(titles) for r in by_title.get(title, ()))
        return [(pid, title) for pid, title in found if pid is not None and pid in alive]

    def strongest_tie(self) -> float:
        if self._strongest is None:
            self._strongest = max((p.tie_strength for p in self._people.values() if p.is_contact), default=0.0)
        return self._strongest

    def _stints(self, role_ids: set[int]) -> list[Stint]:
        alive, roles = self._people, self._roles
        return [roles[r] for r in sorted(role_ids) if roles[r].person_id in alive]
