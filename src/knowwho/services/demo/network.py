"""One block of the demo network: people, their jobs, ties and three years of interactions.

A block is generated from the plan and its own random stream alone, so
blocks can be generated in any process and in any order. Its rows are plain
tuples in the column order of `storage.bulk` (interactions carry a
block-local index that the insert turns into an id).

Human rhythm: conversations happen on weekdays and in working hours, emails
come in threads with replies hours later, people met at an event get a burst
of conversations around it, and fading ties talk less and less. Nobody in
the bulk owes or is owed anything recent; the scripted scenes add those.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import log
from typing import Any

from knowwho.services import tie_strength
from knowwho.services.demo.names import (
    CITIES,
    FIELDS,
    HOW_MET,
    MEETING_NOTES,
    NEEDS,
    OFFERS,
    PERSON_NOTES,
    SECOND_DEGREE,
    SITUATIONS,
    SUBJECTS,
    TOPICS,
)  # fmt: skip
from knowwho.services.demo.person_names import PersonName
from knowwho.services.demo.plan import (
    DAY,
    ORG_CAP,
    YEAR_DAYS,
    EventPlan,
    OrgPlan,
    Plan,
    ascii_slug,
    clock_faces,
    day_text,
    stamp,
)

Rows = list[tuple[Any, ...]]
# tie class -> (share of people, interactions over three years from, to). One busy professional's
# network: a few dozen close ties talked to every week or two, some more monthly, most met once or
# twice and quiet since (about 5, 15, 50, 150 and the rest, as Dunbar's layers): tens of
# conversations a week. `--busyness` multiplies the counts (the benchmarks' 2,000,000 conversations).
CLASSES = (("strong", 0.015, 30, 60), ("moderate", 0.045, 6, 14), ("weak", 0.26, 1, 3),
           ("fading", 0.62, 1, 2), ("second", 0.06, 0, 0))  # fmt: skip
# Who gets a keep-in-touch cadence of their own, and which.
CADENCE_SHARE = {"strong": 0.25, "moderate": 0.15, "weak": 0.05, "fading": 0.04}
CADENCES = {"strong": (30, 60), "moderate": (60, 90), "weak": (90, 180, 365), "fading": (180, 365)}
_CLASS_CUTS = [sum(c[1] for c in CLASSES[: i + 1]) for i in range(len(CLASSES))]
# Working hours, with the mid-morning and mid-afternoon peaks of office mail.
HOURS = (8, 9, 9, 10, 10, 10, 11, 11, 11, 12, 13, 14, 14, 14, 15, 15, 15, 16, 16, 17, 17, 18, 19, 21)
THREAD_LENGTHS = (1, 1, 2, 2, 2, 3, 3, 4)
MESSAGE_RUNS = (1, 1, 2, 3)
MESSAGE_CHANNELS = ("linkedin", "whatsapp", "sms", "slack")
MEETING_CHANNELS = ("zoom", "in person", "teams")
CALL_DIRECTIONS = ("mutual", "mutual", "mutual", "out", "in")
REPLY_WINDOW = 35 * DAY  # every inbound of the bulk this recent gets a reply
# Whom the user meets at an event, per block: a few new people at a monthly meetup, more at a conference
# (recurrence -> lowest, highest), and a few met before who come again.
NEW_AT = {"monthly": (2, 8), "yearly": (6, 15)}
AGAIN_AT = {"monthly": (0, 4), "yearly": (2, 6)}
MET_AT_EVENT = 0.16  # share of people first met at an event, while the events have room (they fill up)
MAIL_HOSTS = ("gmail.com", "outlook.com", "proton.me", "yahoo.com", "fastmail.com")


def _first(row: list[Any]) -> Any:
    return row[0]


@dataclass
class _Person:
    id: int
    klass: str
    org: OrgPlan | None
    first_ts: int
    closeness: int | None
    # Interactions while a block is built: [ts, kind, direction, subject, notes, channel, event_id]
    # (and, once numbered, the block-local index appended).
    rows: list[list[Any]] = field(default_factory=list)  # the interactions this person owns
    shared: list[list[Any]] = field(default_factory=list)  # group meetings owned by a colleague


def generate_block(plan: Plan, block: int, names: Sequence[PersonName]) -> dict[str, Rows]:
    """The rows of block `block`, its people called `names` (one each, from the network's `NameBook`)."""
    return _Block(plan, block, names).build()


class _Block:
    def __init__(self, plan: Plan, block: int, names: Sequence[PersonName]) -> None:
        self.plan = plan
        self.rng = plan.block_rng(block)
        self.ids = plan.block_ids(block)
        self.block_names = names
        self.out: dict[str, Rows] = {name: [] for name in (
            "people", "person_emails", "person_phones", "person_links", "person_tags", "roles", "notes",
            "knows", "event_people", "interactions", "interaction_participants")}  # fmt: skip
        self.people: list[_Person] = []
        self.by_org: dict[int, list[_Person]] = {}
        self.by_event: dict[int, list[int]] = {}
        self.knows: set[tuple[int, int, str]] = set()
        self.person_rows: list[list[Any]] = []
        self.new_at = {e.id: self.rng.randint(*NEW_AT[e.recurrence]) for e in plan.events}
        self.again_at = {e.id: self.rng.randint(*AGAIN_AT[e.recurrence]) for e in plan.events}

    def build(self) -> dict[str, Rows]:
        for person_id in self.ids:
            self._person(person_id)
        self._group_meetings()
        self._flatten()
        return self.out

    # -- one person ----------------------------------------------------------------
    def _person(self, person_id: int) -> None:
        rng, out = self.rng, self.out
        klass = CLASSES[bisect.bisect(_CLASS_CUTS, rng.random() * _CLASS_CUTS[-1])][0]
        contacts = [p for p in self.people[-50:] if p.klass != "second"]
        if klass == "second" and not contacts:
            klass = "weak"
        name = self.block_names[person_id - self.ids[0]]
        org = self._current_org() if klass == "second" or rng.random() < 0.92 else None
        closeness = self._closeness(klass)
        first_ts, how_met, met_at = self._first_meeting(klass, org, contacts)
        person = _Person(person_id, klass, org, first_ts, closeness)
        if klass != "second":
            person.rows = self._timeline(person, met_at)
        self.people.append(person)
        field_name = org.field if org else rng.choice(list(FIELDS))
        location = org.city if org and rng.random() < 0.8 else rng.choice(CITIES)
        situation = needs = offers = ""
        tags = out["person_tags"]
        for topic in rng.sample(FIELDS[field_name][2], rng.choice((0, 1, 1, 2, 3))):
            tags.append((person_id, topic, "tag"))
        if rng.random() < 0.04:
            situation, tag = rng.choice(SITUATIONS)
            tags.append((person_id, tag, "situation"))
        if rng.random() < 0.03:
            needs, tag = rng.choice(NEEDS)
            tags.append((person_id, tag, "need"))
        if rng.random() < 0.03:
            offers, tag = rng.choice(OFFERS)
            tags.append((person_id, tag, "offer"))
        cadence = None
        roll = rng.random()
        if roll < CADENCE_SHARE.get(klass, 0.0):
            cadence = rng.choice(CADENCES[klass])
        elif roll > 0.98 and klass != "second":
            cadence = 0  # asked not to be reminded
        created = stamp(first_ts + rng.randrange(DAY))
        first_met_on = stamp(first_ts)[:10] if klass != "second" else None
        advocate = int(rng.random() < {"strong": 0.3, "moderate": 0.05}.get(klass, 0.0))
        self.person_rows.append([
            person_id, name.full, name.first, name.family, location, situation, needs, offers, how_met,
            first_met_on, cadence, closeness, advocate, int(klass != "second"), created, created,
        ])  # fmt: skip
        self._details(person, name.given, name.family, field_name, contacts)

    def _org(self) -> OrgPlan:
        weights = self.plan.org_weights
        return self.plan.orgs[bisect.bisect(weights, self.rng.random() * weights[-1])]

    def _current_org(self) -> OrgPlan:
        """Where someone works now: an organization with fewer than `ORG_CAP` of the block's people there already."""
        for _attempt in range(20):
            org = self._org()
            if len(self.by_org.get(org.id, ())) < ORG_CAP:
                break
        return org

    def _event_with_room(self, room: dict[int, int], events: list[EventPlan]) -> EventPlan | None:
        """One of `events` with room left, the roomier the likelier; its room shrinks by one."""
        weights = [room[e.id] for e in events]
        total = sum(weights)
        if not total:
            return None
        pick = self.rng.random() * total
        for event, weight in zip(events, weights, strict=True):
            pick -= weight
            if pick < 0:
                room[event.id] -= 1
                return event
        return None

    def _closeness(self, klass: str) -> int | None:
        rng = self.rng
        roll = rng.random()
        if klass == "strong" and roll < 0.7:
            return rng.choice((4, 5, 5))
        if klass == "moderate" and roll < 0.4:
            return rng.choice((3, 4))
        if klass == "fading" and roll < 0.06:
            return 3  # close once: these come back as keep-in-touch
        if klass == "weak" and roll < 0.05:
            return 2
        return None

    def _first_meeting(
        self, klass: str, org: OrgPlan | None, contacts: list[_Person]
    ) -> tuple[int, str, EventPlan | None]:
        """(when, how we met, the event where we met) — never in the last two weeks (scenes add those)."""
        rng, plan = self.rng, self.plan
        latest = plan.now_ts - 14 * DAY
        if klass == "second":
            return plan.now_ts - rng.randrange(30, 3 * YEAR_DAYS) * DAY, "", None
        if rng.random() < MET_AT_EVENT:
            event = self._event_with_room(self.new_at, [e for e in plan.events if e.starts_ts < latest])
            if event is not None:
                return event.starts_ts + rng.randrange(6 * 3600), f"at {event.name}", event
        years_back = {"strong": 6, "fading": 5}.get(klass, 3.2)
        when = latest - int(rng.random() * (years_back * YEAR_DAYS - 14) * DAY)  # spread out, none piled up on `latest`
        template = rng.choice(HOW_MET)
        friend = rng.choice(contacts).id if contacts and "{friend}" in template else None
        how = template.format(
            org=org.name if org else "my first job", city=rng.choice(CITIES), field=org.field if org else "data",
            friend=self._name_of(friend) if friend else "a friend",
        )  # fmt: skip
        return when, how, None

    def _name_of(self, person_id: int) -> str:
        return str(self.person_rows[person_id - self.ids[0]][1])

    # -- interactions ----------------------------------------------------------------
    def _timeline(self, person: _Person, met_at: EventPlan | None) -> list[list[Any]]:
        rng, plan = self.rng, self.plan
        rand = rng.random
        _, _, low, high = next(c for c in CLASSES if c[0] == person.klass)
        start = max(person.first_ts, plan.start_ts)
        end = plan.now_ts - 600
        span_days = (end - start) / DAY
        busy = plan.busyness * min(1.0, 0.35 + 0.65 * span_days / YEAR_DAYS)
        count = max(1, round(rng.randint(low, high) * busy))
        if person.klass == "fading":  # most of it early, then silence
            end = start + int((end - start) * rng.uniform(0.15, 0.6))
        rows: list[list[Any]] = []
        for event in self._events_attended(person, met_at):
            rows.append([event.starts_ts + int(rand() * 8 * 3600), "event", "mutual", "", "", "in person", event.id])
            if rand() < 0.6:
                topic = f"Great to meet you at {event.name}"
                self._thread(rows, event.starts_ts + (1 + int(rand() * 3)) * DAY + 9 * 3600, topic, "out")
        first_day, days = start // DAY, end // DAY - start // DAY + 1
        while len(rows) < count:
            # A weekday (mostly), in working hours (mostly).
            day = first_day + int(rand() * days)
            wd = (day + 3) % 7
            if wd >= 5 and rand() < 0.85:
                day += 1 if wd == 6 else -1
            ts = min(max(day * DAY + HOURS[int(rand() * 24)] * 3600 + int(rand() * 3600), start), end)
            roll = rand()
            if roll < 0.5:
                subject = SUBJECTS[int(rand() * len(SUBJECTS))]
                if "{" in subject:
                    subject = subject.format(topic=TOPICS[int(rand() * len(TOPICS))])
                self._thread(rows, ts, subject, "out" if rand() < 0.55 else "in")
            elif roll < 0.65:
                channel = MESSAGE_CHANNELS[int(rand() * 4)]
                direction = "out" if rand() < 0.5 else "in"
                for _ in range(MESSAGE_RUNS[int(rand() * 4)]):
                    rows.append([ts, "message", direction, "", "", channel, None])
                    ts += 60 + int(-3600 * log(1.0 - rand()))  # exponential, mean an hour
                    direction = "in" if direction == "out" else "out"
            elif roll < 0.73:
                rows.append(
                    [ts, "call", CALL_DIRECTIONS[int(rand() * 5)], "", "", "zoom" if rand() < 0.5 else "phone", None]
                )
            else:
                kind = "meeting" if roll < 0.87 else "coffee"
                notes = ""
                if rand() < 0.08:
                    notes = MEETING_NOTES[int(rand() * len(MEETING_NOTES))].format(
                        topic=TOPICS[int(rand() * len(TOPICS))]
                    )
                channel = "in person" if kind == "coffee" else MEETING_CHANNELS[int(rand() * 3)]
                rows.append([ts, kind, "mutual", "", notes, channel, None])
        limit = plan.now_ts - 600
        rows = [row for row in rows if row[0] <= limit]
        rows.sort(key=_first)
        self._answer_recent(rows)
        return rows

    def _events_attended(self, person: _Person, met_at: EventPlan | None) -> list[EventPlan]:
        events = [met_at] if met_at else []
        if self.rng.random() < (0.5 if met_at else 0.08):
            later = [e for e in self.plan.events if e.starts_ts > person.first_ts and e is not met_at]
            for _ in range(self.rng.choice((1, 1, 2, 3))):
                again = self._event_with_room(self.again_at, later)
                if again is None:
                    break
                later.remove(again)
                events.append(again)
        for event in events:
            self.out["event_people"].append((event.id, person.id, ""))
            others = self.by_event.setdefault(event.id, [])
            if others and self.rng.random() < 0.5:
                self._know(person.id, self.rng.choice(others), "same-event", 0.5)
            others.append(person.id)
        return events

    def _thread(self, rows: list[list[Any]], ts: int, subject: str, direction: str) -> None:
        """An email thread: a first message and replies, each some hours after the last."""
        rand = self.rng.random
        reply = f"Re: {subject}"
        for n in range(THREAD_LENGTHS[int(rand() * 8)]):
            rows.append([ts, "email", direction, reply if n else subject, "", "email", None])
            ts += 300 + int(-20_000 * log(1.0 - rand()))  # exponential, mean five and a half hours
            if (ts // DAY + 3) % 7 >= 5:  # weekend: the reply waits for Monday
                ts += 2 * DAY
            direction = "in" if direction == "out" else "out"

    def _answer_recent(self, rows: list[list[Any]]) -> None:
        """A recent inbound message of the bulk always got its answer (owed replies are scripted)."""
        if not rows or rows[-1][2] != "in" or rows[-1][0] < self.plan.now_ts - REPLY_WINDOW:
            return
        last = rows[-1]
        kind = last[1] if last[1] in ("email", "message") else "email"
        subject = f"Re: {last[3].removeprefix('Re: ')}" if last[3] else ""
        ts = min(last[0] + 600 + int(self.rng.expovariate(1 / 30_000)), self.plan.now_ts - 300)
        rows.append([ts, kind, "out", subject, "", last[5] if kind == last[1] else "email", None])

    def _group_meetings(self) -> None:
        """Some meetings include a colleague at the same organization."""
        rng = self.rng
        for person in self.people:
            colleagues = [p for p in self.by_org.get(person.org.id, []) if p is not person] if person.org else []
            colleagues = [p for p in colleagues if p.klass != "second"]
            if not colleagues or rng.random() > 0.3:
                continue
            other = rng.choice(colleagues)
            for row in person.rows:
                if row[1] == "meeting" and row[0] >= other.first_ts and rng.random() < 0.15:
                    other.shared.append(row)

    # -- contact details, roles, ties ------------------------------------------------
    def _details(self, person: _Person, given: str, family: str, field_name: str, contacts: list[_Person]) -> None:
        rng, out, pid = self.rng, self.out, person.id
        slug_given, slug_family = ascii_slug(given), ascii_slug(family)
        org = person.org
        if org:
            local = rng.choice((f"{slug_given}.{slug_family}", f"{slug_given[:1]}{slug_family}", slug_given))
            out["person_emails"].append((pid, f"{local}@{org.domain}", "work"))
            titles = FIELDS[org.field][1]
            started = min(person.first_ts, self.plan.now_ts - rng.randrange(60, 8 * YEAR_DAYS) * DAY)
            out["roles"].append((pid, org.id, rng.choice(titles), stamp(started)[:10], None, 1))
            for colleague in self.by_org.get(org.id, [])[-20:]:
                if rng.random() < 0.15:
                    self._know(pid, colleague.id, "same-organization", 0.7)
            self.by_org.setdefault(org.id, []).append(person)
            ended = started
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                past = self._org()
                began = ended - rng.randrange(365, 4 * YEAR_DAYS) * DAY
                out["roles"].append(
                    (pid, past.id, rng.choice(FIELDS[past.field][1]), stamp(began)[:10], stamp(ended)[:10], 0)
                )
                ended = began
        if rng.random() < 0.35:
            host = rng.choice(MAIL_HOSTS)
            out["person_emails"].append((pid, f"{slug_given}.{slug_family}{rng.randrange(100)}@{host}", "personal"))
        if rng.random() < 0.3:
            out["person_phones"].append((pid, f"+1555{rng.randrange(10_000_000):07d}", "mobile"))
        if rng.random() < 0.6:
            url = f"https://www.linkedin.com/in/{ascii_slug(given, '-')}-{ascii_slug(family, '-')}-{rng.randrange(16**6):06x}"
            out["person_links"].append((pid, url, "linkedin"))
        if person.klass == "second":
            contact = rng.choice(contacts)
            note = rng.choice(SECOND_DEGREE).format(field=field_name)
            self._know(pid, contact.id, "me", 0.9, note)
        elif contacts and rng.random() < 0.25:
            self._know(pid, rng.choice(contacts).id, "me", 1.0)
        if person.klass != "second" and rng.random() < 0.015:
            body = rng.choice(PERSON_NOTES).format(city=rng.choice(CITIES), field=field_name)
            out["notes"].append((pid, None, body, stamp(person.first_ts + rng.randrange(30) * DAY)))

    def _know(self, a: int, b: int, source: str, confidence: float, note: str = "") -> None:
        low, high = min(a, b), max(a, b)
        if low == high or (low, high, source) in self.knows:
            return
        self.knows.add((low, high, source))
        created = stamp(self.plan.now_ts - self.rng.randrange(30, 900) * DAY)
        self.out["knows"].append((low, high, source, confidence, note, created))

    # -- rows out ----------------------------------------------------------------------
    def _flatten(self) -> None:
        """Interactions with block-local indexes, and each person's derived columns."""
        interactions, participants = self.out["interactions"], self.out["interaction_participants"]
        faces, days = clock_faces(), dict[int, str]()  # stamps inline: two million of them in a large network
        index = 0
        for person in self.people:
            pid = person.id
            for row in person.rows:
                ts = row[0]
                day = ts // DAY
                at = (days.get(day) or days.setdefault(day, day_text(day))) + faces[ts - day * DAY]
                row[0] = at
                row.append(index)
                interactions.append((index, at, row[1], row[2], row[3], row[4], row[5], row[6]))
                participants.append((index, pid))
                index += 1
        for person in self.people:
            for row in person.shared:
                participants.append((row[7], person.id))
        knows: dict[int, int] = {}
        for a, b, *_ in self.out["knows"]:
            knows[a] = knows.get(a, 0) + 1
            knows[b] = knows.get(b, 0) + 1
        now_julian = tie_strength.julian(stamp(self.plan.now_ts))
        for person, values in zip(self.people, self.person_rows, strict=True):
            values.extend(_derived(person.rows + person.shared, now_julian, knows.get(person.id, 0), person.closeness))
            self.out["people"].append(tuple(values))


def _derived(rows: list[list[Any]], now_julian: float, knows: int, closeness: int | None) -> list[Any]:
    """first/last interaction, last inbound/outbound, count and tie strength, as the refresh computes them."""
    if not rows:
        score = tie_strength.compute((), now_julian=now_julian, knows_count=knows, closeness=closeness).score
        return [None, None, None, None, 0, score]
    stamps = [row[0] for row in rows]
    inbound = [row[0] for row in rows if row[2] == "in"]
    outbound = [row[0] for row in rows if row[2] != "in"]
    score = tie_strength.compute(
        [(row[1], row[2], row[0]) for row in rows], now_julian=now_julian, knows_count=knows, closeness=closeness
    ).score
    return [min(stamps), max(stamps), max(inbound, default=None), max(outbound, default=None), len(rows), score]
