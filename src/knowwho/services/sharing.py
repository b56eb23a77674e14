"""Sharing: an article or link, the contacts it fits (their situation, needs and tags), and sending it.

An item fits a person by its words (TF-IDF against their situation, needs and
tags) or by its meaning (services.meaning), whichever is the closer.

Sending it logs an outbound message to each person (so it counts as keeping
in touch) and a "gave: article" entry in the ledger.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from knowwho.errors import InvalidInput, InvalidSetting, NotFound
from knowwho.services import meaning
from knowwho.services.context import ServiceContext
from knowwho.services.intros import matching
from knowwho.services.normalize import normalize_tag
from knowwho.storage import intros as store
from knowwho.storage.intros import IntentRow, ShareItemRow

MIN_FIT = 0.05
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fit:
    person_id: int
    name: str
    score: float
    why: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ShareItem:
    id: int
    title: str
    url: str
    summary: str
    tags: list[str]
    created_at: str
    shared_with: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _item(row: ShareItemRow) -> ShareItem:
    return ShareItem(row.id, row.title, row.url, row.summary, row.tags.split(), row.created_at, row.shared_with)


class SharingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(self, url: str, *, title: str = "", tags: list[str] | None = None, summary: str = "") -> ShareItem:
        """Keep an item to share: one undoable change."""
        url = url.strip()
        if url and not _URL.match(url):
            raise InvalidInput(f"URL: {url!r} is not a web address (http:// or https://)")
        title = title.strip() or _title_from(url)
        if not title:
            raise InvalidSetting("title", "is needed when there is no URL: an item to share needs one or the other")
        clean = sorted({normalize_tag(t) for t in tags or [] if t.strip()})
        with self.ctx.change(f"kept “{title}” to share") as conn:
            item_id = store.insert_item(conn, title=title, url=url, summary=summary.strip(), tags=" ".join(clean),
                                        now=self.ctx.now_stamp())  # fmt: skip
        return self.get(item_id)

    def get(self, item_id: int) -> ShareItem:
        row = store.get_item(self.ctx.db.conn, item_id)
        if row is None:
            raise NotFound(f"no item #{item_id} to share")
        return _item(row)

    def items(self, *, limit: int = 20) -> list[ShareItem]:
        return [_item(r) for r in store.items(self.ctx.db.conn, limit=limit)]

    def fits(self, item_id: int, *, limit: int = 10) -> list[Fit]:
        """The contacts this item fits, best first (not those it was sent to already)."""
        item = self.get(item_id)
        conn = self.ctx.db.conn
        said = [w for w in re.split(r"\W+", f"{item.title} {item.summary}".lower()) if w]
        words = {*said, *(f"{a}-{b}" for a, b in itertools.pairwise(said))}
        tagged = store.topic_tags(conn, {*item.tags, *words})
        # A person's tag spelt out in the title ("Machine learning") counts as the item's tag.
        query_terms = matching.terms(f"{item.title} {item.summary}", {*item.tags, *(tag for _pid, tag in tagged)})
        people = {r.id: r for r in store.intent_people(conn)}
        ids = set(people) | {pid for pid, _tag in tagged}
        contacts = store.live_contacts(conn, ids)
        tags: dict[int, list[str]] = {}
        for pid, tag in store.person_tags(conn, {pid for pid, _t in tagged}):
            tags.setdefault(pid, []).append(tag)
        docs = {}
        for pid in contacts:
            row = people.get(pid)
            text = f"{row.situation} {row.needs}" if row else ""
            docs[pid] = matching.terms(text, tags.get(pid, ()))
        weights = matching.idf([*docs.values(), query_terms])
        query = matching.vector(query_terms, weights)
        sent = store.shared_with(conn, item_id)
        meant = _meaning_fits(conn, f"{item.title} {item.summary}", {p: people[p] for p in contacts if p in people})
        found = []
        for pid, doc in docs.items():
            vec = matching.vector(doc, weights)
            fit = max(matching.cosine(query, vec), meant.get(pid, 0.0))
            if fit >= MIN_FIT and pid not in sent:
                name, tie = contacts[pid]
                why = _why(query, vec, people[pid].situation if pid in people else "",
                           people[pid].needs if pid in people else "")  # fmt: skip
                found.append(Fit(pid, name, round(fit * (0.5 + 0.5 * tie), 4), why))
        found.sort(key=lambda f: (-f.score, f.name))
        return found[:limit]

    def shared(self, item_id: int, person_ids: list[int]) -> list[str]:
        """Log the item sent to each person: a shares row, an outbound message and a 'gave: article' entry."""
        from knowwho.services import tie_strength
        from knowwho.services.interactions import refresh_people
        from knowwho.storage import interactions as interaction_store
        from knowwho.storage import ledger as ledger_store

        if not person_ids:
            raise InvalidInput("name at least one person it was sent to")
        item = self.get(item_id)
        contacts = store.live_contacts(self.ctx.db.conn, person_ids)
        missing = [pid for pid in person_ids if pid not in contacts]
        if missing:
            raise NotFound(f"no contact with id {missing[0]}")
        names = [contacts[pid][0] for pid in dict.fromkeys(person_ids)]
        now, today = self.ctx.now_stamp(), self.ctx.today().isoformat()
        with self.ctx.change(f"shared “{item.title}” with {', '.join(names)}") as conn:
            for pid in dict.fromkeys(person_ids):
                store.insert_share(conn, item_id, pid, today)
                interaction_store.insert(
                    conn, occurred_at=now, kind="message", direction="out", participant_ids=[pid], now=now,
                    subject=f"shared: {item.title}", notes=item.url,
                )  # fmt: skip
                ledger_store.insert(
                    conn, person_id=pid, direction="gave", what="article", note=item.title, on=today, now=now
                )
            refresh_people(conn, list(dict.fromkeys(person_ids)), now_julian=tie_strength.julian(now))
        return names


def _meaning_fits(conn: sqlite3.Connection, text: str, people: Mapping[int, IntentRow]) -> dict[int, float]:
    """person -> how close the item's meaning is to what they are going through or need (close ones only)."""
    said = {pid: f"{row.situation} {row.needs}".strip() for pid, row in people.items()}
    said = {pid: words for pid, words in said.items() if words}
    close = meaning.closest(conn, text.strip(), list(said.values()))
    return {pid: meaning.as_match(close[n]) for n, pid in enumerate(said) if n in close}


def _title_from(url: str) -> str:
    """'https://example.org/blog/email-migration-tips' -> 'email migration tips'."""
    path = url.split("://", 1)[-1].split("?", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1] if "/" in path else path
    last = re.sub(r"\.(html?|php|aspx?)$", "", last)
    return re.sub(r"[-_+]+", " ", last).strip()


def _why(query: dict[str, float], vec: dict[str, float], situation: str, needs: str) -> str:
    """What the item meets: the tags it shares with the person, else what they are going through or need."""
    tags = [t[1:] for t in matching.shared_words(query, vec, limit=10) if t.startswith("#")]
    if tags:
        return "tagged " + ", ".join(tags[:3])
    if situation and matching.cosine(query, matching.vector(matching.terms(situation), {t: 1.0 for t in vec})) > 0:
        return situation
    return f"needs {needs}" if needs else situation
