"""The frame of a demo network: its clock, organizations and events.

A plan is built once from the seed and handed to every block generator (in
this process or in worker processes), so that every block sees the same
world and the network is the same for a seed whatever the parallelism.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import accumulate

from knowwho.services.demo.names import CITIES, FIELDS, ORG_PREFIXES

DAY = 86_400
YEAR_DAYS = 365
HISTORY_DAYS = 3 * YEAR_DAYS  # three years of interactions
BLOCK_SIZE = 2_000  # people per generated block (and per insert batch)
PEOPLE_PER_ORG = 3  # organizations in the world of a network: one for every three people, most of them small
ORG_CAP = 14  # contacts working at one organization now, per block: a person's network, not a company directory


@dataclass(frozen=True, slots=True)
class OrgPlan:
    id: int
    name: str
    field: str
    domain: str
    city: str


@dataclass(frozen=True, slots=True)
class EventPlan:
    id: int
    name: str
    series: str
    recurrence: str
    starts_ts: int
    days: int
    place: str

    @property
    def starts_on(self) -> str:
        return day_text(self.starts_ts // DAY)


@dataclass(frozen=True, slots=True)
class Plan:
    seed: int
    people: int
    now_ts: int  # the app clock's "now", epoch seconds UTC
    person_base: int  # ids of demo people start after this
    orgs: tuple[OrgPlan, ...]
    org_weights: tuple[float, ...]  # cumulative, a few large organizations and many small ones
    events: tuple[EventPlan, ...]  # past editions only; people meet each other there
    busyness: float = 1.0  # conversations per person, times those of one busy professional's network

    @property
    def start_ts(self) -> int:
        return self.now_ts - HISTORY_DAYS * DAY

    @property
    def blocks(self) -> int:
        return (self.people + BLOCK_SIZE - 1) // BLOCK_SIZE

    def block_rng(self, block: int) -> random.Random:
        # A string seed is hashed with SHA-512: stable across runs and processes.
        return random.Random(f"knowwho-demo:{self.seed}:{block}")

    def block_ids(self, block: int) -> range:
        """The ids of the people block `block` generates."""
        first = block * BLOCK_SIZE
        return range(self.person_base + first + 1, self.person_base + min(self.people, first + BLOCK_SIZE) + 1)

    def names_rng(self) -> random.Random:
        """The stream every person's name is drawn from, block after block, in this process only."""
        return random.Random(f"knowwho-demo:{self.seed}:names")


@lru_cache(maxsize=4096)
def day_text(day: int) -> str:
    return datetime.fromtimestamp(day * DAY, UTC).strftime("%Y-%m-%d")


@lru_cache(maxsize=1)
def clock_faces() -> tuple[str, ...]:
    """' HH:MM:SS' for every second of a day."""
    return tuple(f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY))


def stamp(ts: int) -> str:
    """Stored UTC text of epoch seconds (millions of calls: days and times of day come from tables)."""
    day, rest = divmod(ts, DAY)
    return day_text(day) + clock_faces()[rest]


@lru_cache(maxsize=8192)
def ascii_slug(text: str, joiner: str = "") -> str:
    """'José de Vries' -> 'josedevries': for email addresses and profile URLs."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return joiner.join("".join(c for c in word if c.isalnum()) for word in folded.split())


def build_plan(
    *, seed: int, people: int, now: datetime, person_base: int, org_base: int, event_base: int, busyness: float = 1.0
) -> Plan:
    rng = random.Random(f"knowwho-demo:{seed}:plan")
    now_ts = int(now.timestamp())
    orgs = _organizations(rng, max(12, min(6_000, people // PEOPLE_PER_ORG)), org_base)
    # Long-tailed sizes, flattened at the head: a dozen contacts at the largest, one or two at most of the rest.
    weights = list(accumulate(1 / (rank + 12) ** 0.45 for rank in range(len(orgs))))
    return Plan(
        seed=seed, people=people, now_ts=now_ts, person_base=person_base, orgs=tuple(orgs),
        org_weights=tuple(weights), events=tuple(_events(rng, now_ts, event_base)), busyness=busyness,
    )  # fmt: skip


def _organizations(rng: random.Random, count: int, base: int) -> list[OrgPlan]:
    fields = list(FIELDS)
    names: set[str] = set()
    orgs: list[OrgPlan] = []
    while len(orgs) < count:
        field = rng.choice(fields)
        city = rng.choice(CITIES)
        if field == "research" and rng.random() < 0.4:
            name = f"University of {city}" if rng.random() < 0.5 else f"{city} Institute of Technology"
        else:
            name = f"{rng.choice(ORG_PREFIXES)} {rng.choice(FIELDS[field][0])}"
        if name in names:
            name = f"{name} {city}"
            if name in names:
                continue
        names.add(name)
        tld = ".edu" if name.startswith("University") or "Institute" in name else rng.choice((".com", ".io", ".org"))
        domain = ascii_slug(name) + tld
        orgs.append(OrgPlan(id=base + len(orgs) + 1, name=name, field=field, domain=domain, city=city))
    return orgs


def _events(rng: random.Random, now_ts: int, base: int) -> list[EventPlan]:
    """Two yearly conferences (one coming up in ten days) and a monthly meetup over three years, the last a few days ago."""
    specs: list[tuple[str, str, str, int, int, str]] = []
    for series, last_ago, days, place in (
        ("Open Data Summit", 355, 2, "Lisbon"),  # the next edition in ten days: today reminds whom you met
        ("Climate Tech Forum", 200, 1, "Berlin"),
    ):
        for edition in range(3):
            ago = last_ago + edition * YEAR_DAYS
            year = datetime.fromtimestamp(now_ts - ago * DAY, UTC).year
            specs.append((f"{series} {year}", series, "yearly", ago, days, place))
    city = rng.choice(CITIES)
    meetup = f"Data & Coffee {city}"
    for month in range(36):
        specs.append((f"{meetup} #{36 - month + 40}", meetup, "monthly", 3 + month * 30, 1, city))
    events: list[EventPlan] = []
    for name, series, recurrence, ago, days, place in sorted(specs, key=lambda s: -s[3]):
        day = (now_ts // DAY) - ago
        starts = day * DAY + 17 * 3600 if recurrence == "monthly" else day * DAY + 9 * 3600
        events.append(EventPlan(base + len(events) + 1, name, series, recurrence, starts, days, place))
    return events
