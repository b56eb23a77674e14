"""The people whose current title names a field, kept with a server's network in memory until it changes.

A field question ("data") finds its people three ways: titles containing
the word, titles close in meaning, and tags, offers and notes mentioning it.
The first two read every distinct title and compare the word's meaning with
each (most of a field question's time at 100,000 people); they depend only
on the network's titles and people, so the network keeps what they found
for each word and drops it on every change it applies. Tags and notes are
not in its change feed: they are read again for every question.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from knowwho.storage.network import PersonNode

KEPT_WORDS = 256  # distinct field words kept; all are dropped beyond it


@dataclass(frozen=True, slots=True)
class Titled:
    """The people titled in a field, as a search starts from them."""

    ids: frozenset[int]  # everyone found by title (removed people too: `nodes` leaves them out)
    contacts: list[PersonNode]  # the best-tied of the user's contacts among them, best first
    others: list[PersonNode]  # all of them known only through others


def best_contacts(contacts: Iterable[PersonNode], count: int) -> list[PersonNode]:
    """The `count` best-tied contacts, closest first (ties by id, so any subset ranks the same way)."""
    return heapq.nsmallest(count, contacts, key=lambda n: (-n.tie_strength, n.id))


def titled(ids: set[int], nodes: dict[int, PersonNode], count: int) -> Titled:
    """`ids` with their nodes (the living ones), split into the best `count` contacts and the others."""
    contacts = [n for n in nodes.values() if n.is_contact]
    others = [n for n in nodes.values() if not n.is_contact]
    return Titled(frozenset(ids), best_contacts(contacts, count), others)


class FieldMemo:
    """Field word -> the people titled in it, for one network in memory, which clears it on every change."""

    def __init__(self, capacity: int = KEPT_WORDS) -> None:
        self.capacity = capacity
        self._kept: dict[tuple[str, int], Titled] = {}

    def clear(self) -> None:
        self._kept = {}

    def get(self, text: str, count: int, work: Callable[[], Titled]) -> Titled:
        """What `work` finds for `text` (the best `count` contacts), worked out once until the network changes.

        Searches run side by side: two asking a new word at once may both work it out, to the same result."""
        key = (text, count)
        found = self._kept.get(key)
        if found is None:
            found = work()
            if len(self._kept) >= self.capacity:
                self._kept = {}
            self._kept[key] = found
        return found
