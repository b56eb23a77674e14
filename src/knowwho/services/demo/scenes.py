"""The scripted part of the demo: what makes today's list lively.

The bulk network owes nothing and is owed nothing recent; these scenes add,
relative to "now": replies owed, people just met at a meetup, follow-ups
due, informational interviews (one yesterday, so a thank-you is due), a job
search with interviews and rejections whose re-engage date has come,
upcoming conference editions, target organizations, introductions and the
give/take ledger, and my own profile and updates.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from knowwho.services.demo.names import FIELDS, MY_UPDATES, ORG_NOTES, TOPICS
from knowwho.services.demo.person_names import PersonName, unique_name
from knowwho.services.demo.plan import DAY, YEAR_DAYS, EventPlan, Plan, ascii_slug, day_text, stamp
from knowwho.services.leads import LEAD_DAYS, UPDATE_DAYS, InterviewNotes
from knowwho.storage import bulk
from knowwho.storage import goals as goal_store
from knowwho.storage import people as people_store
from knowwho.storage import stats as stats_store
from knowwho.storage.outreach import A_REFERRED_B, B_REFERRED_A

# Parents before children.
INSERT_ORDER = (
    "people", "person_emails", "roles", "my_profile", "my_emails", "my_updates", "events", "opportunities",
    "notes", "scene_interactions", "interaction_participants", "event_people", "knows", "followups",
    "opportunity_people", "introductions", "ledger_entries",
)  # fmt: skip
# (role, stage, opened days ago, closed days ago, re-engage days after closing, re-engaged days ago)
OPPORTUNITIES = (
    ("Senior Data Scientist", "rejected", 260, 200, 180, None),
    ("Analytics Lead", "rejected", 140, 100, 120, None),
    ("Machine Learning Engineer", "rejected", 100, 60, 150, None),
    ("Data Engineer", "rejected", 500, 430, 180, 240),
    ("Product Analyst", "withdrawn", 330, 300, None, None),
    ("Staff Data Scientist", "interviewing", 35, None, None, None),
    ("Climate Data Scientist", "applied", 9, None, None, None),
    ("Head of Analytics", "exploring", 15, None, None, None),
    ("Research Engineer", "exploring", 4, None, None, None),
    ("Data Scientist, Forecasting", "offer", 60, None, None, None),
)  # fmt: skip
REPLIES_OWED = 3  # with one thank-you, two follow-ups, two new people, an event and a re-engage: a day's work
LEAD_INTERVIEW_DAYS = 4  # the interview that named a lead: reaching out to them is due since yesterday
# Weekly goals a busy networker might set (see `knowwho goal`).
GOALS = (("new_people", 2), ("max_old_replies", 1))
FOLLOWUPS = (
    ("Send the slides from the meetup talk", 0), ("Ask about the referral for the data role", 3),
    ("Send the article on remote onboarding", 8), ("Check in after their product launch", 5),
    ("Wish them luck before the PhD defense", 12), ("Coffee when they are back in town", 30),
)  # fmt: skip
INFO_ADVICE = (
    "Suggested I talk to their former manager about the platform team; read the team's engineering blog.",
    "Hiring is slow until Q2; the best way in is the community meetup. Offered to forward my CV.",
    "Their path: PhD, then a year of consulting. Recommended the open-data fellowship.",
    "Explained how their team scopes forecasting projects; suggested two people to contact next.",
)  # fmt: skip


@dataclass
class Scenes:
    conn: sqlite3.Connection
    plan: Plan
    first_new_id: int  # ids of people created by the scenes start here
    next_interaction: int
    next_opportunity: int
    rng: random.Random = field(init=False)
    touched: set[int] = field(default_factory=set)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    named: set[str] = field(default_factory=set)  # the full names the scenes gave

    def __post_init__(self) -> None:
        self.rng = random.Random(f"knowwho-demo:{self.plan.seed}:scenes")
        self.next_person = self.first_new_id

    # -- helpers -----------------------------------------------------------------------
    def at(self, days_ago: float, hour: int = 10) -> int:
        """A moment `days_ago` days before now at about `hour` o'clock (never in the future)."""
        day = (self.plan.now_ts - int(days_ago * DAY)) // DAY
        ts = day * DAY + hour * 3600 + self.rng.randrange(45 * 60)
        return min(ts, self.plan.now_ts - 3600)

    def add(self, layout: str, *row: Any) -> None:
        self.rows.setdefault(layout, []).append(row)

    def log(self, ts: int, kind: str, direction: str, people: list[int], *, subject: str = "", notes: str = "",
            event: int | None = None, opportunity: int | None = None) -> None:  # fmt: skip
        at = stamp(ts)
        channel = {"email": "email", "message": "linkedin", "call": "phone"}.get(kind, "in person")
        self.add("scene_interactions", self.next_interaction, at, kind, direction, subject, notes, channel,
                 event, opportunity)  # fmt: skip
        for pid in people:
            self.add("interaction_participants", self.next_interaction, pid)
            self.touched.add(pid)
        self.next_interaction += 1

    def pick(self, pool: list[int], count: int) -> list[int]:
        """`count` people of `pool` not used by another scene yet."""
        free = [pid for pid in pool if pid not in self.used]
        chosen = self.rng.sample(free, min(count, len(free)))
        self.used.update(chosen)
        return chosen

    def fresh_name(self) -> PersonName:
        """A name nobody in the network has yet (should twenty tries all find a namesake, the last)."""
        for _attempt in range(20):
            name = unique_name(self.rng, self.named)
            if not people_store.ids_by_exact_name(self.conn, name.full):
                break
        return name

    def new_person(self, org_id: int | None, domain: str, title: str, *, how_met: str = "", met_on: str | None = None,
                   created: int) -> int:  # fmt: skip
        name = self.fresh_name()
        given, family = name.given, name.family
        pid = self.next_person
        self.next_person += 1
        at = stamp(created)
        self.add("people", pid, name.full, given, family, "", "", "", "", how_met, met_on, None, None, 0, 1,
                 at, at, None, None, None, None, 0, 0.0)  # fmt: skip
        self.add("person_emails", pid, f"{ascii_slug(given)}.{ascii_slug(family)}.{pid}@{domain}", "work")
        if org_id is not None:
            self.add("roles", pid, org_id, title, day_text(created // DAY - 400), None, 1)
        self.touched.add(pid)
        return pid

    def names(self, ids: list[int]) -> dict[int, str]:
        return {p.id: p.display_name for p in people_store.get_many(self.conn, ids)}

    # -- the scenes ----------------------------------------------------------------------
    def play(self) -> set[int]:
        plan = self.plan
        base = plan.person_base
        now = stamp(plan.now_ts)
        quiet = bulk.quiet_contacts(
            self.conn, min_id=base, before=stamp(plan.now_ts - 25 * DAY), since=stamp(plan.now_ts - 2 * YEAR_DAYS * DAY)
        )
        self.me()
        self.replies_owed(quiet)
        self.met_this_week()
        self.followups()
        self.informational_interviews(quiet)
        self.job_search()
        self.introductions()
        self.upcoming_editions()
        self.goals()
        for layout in INSERT_ORDER:
            bulk.insert(self.conn, layout, self.rows.pop(layout, []), or_ignore=layout in ("my_profile", "my_emails"))
        assert not self.rows, f"no insert order for {sorted(self.rows)}"
        bulk.set_setting(
            self.conn,
            "demo",
            f'{{"seed": {plan.seed}, "people": {plan.people}, "busyness": {plan.busyness}, "generated_at": "{now}"}}',
        )
        return self.touched

    def goals(self) -> None:
        """Weekly goals, conversations a little above the usual week (some weeks meet it), at most 40."""
        if goal_store.get(self.conn):  # a user's own goals are kept
            return
        today = self.plan.now_ts // DAY
        monday = today - (today + 3) % 7  # day 0 was a Thursday
        weeks = stats_store.conversations_per_range(self.conn, [day_text(monday - 7 * n) for n in range(12, -1, -1)])
        usual = sum(weeks) / len(weeks)
        # One person's week: a benchmark-sized network talks more than anyone would aim for.
        for name, value in (("conversations", min(40, max(5, 5 * round(usual * 1.1 / 5)))), *GOALS):
            goal_store.put(self.conn, name, value)

    def me(self) -> None:
        rng = self.rng
        name = self.fresh_name()
        given, family = name.given, name.family
        self.add("my_profile", 1, name.full, "Data scientist moving into climate tech",
                 "forecasting, open data, climate, mentoring", "climate-tech, digital-health")  # fmt: skip
        self.add("my_emails", f"{ascii_slug(given)}.{ascii_slug(family)}@gmail.com")
        self.add("my_emails", f"{ascii_slug(given)[:1]}{ascii_slug(family)}@{self.plan.orgs[0].domain}")
        for title, days_ago in MY_UPDATES:
            self.add("my_updates", day_text(self.plan.now_ts // DAY - days_ago), title, "", stamp(self.at(days_ago)))
        targets = self.rng.sample(list(self.plan.orgs[1:40]), min(4, len(self.plan.orgs) - 1))
        bulk.mark_targets(self.conn, [(org.id, rng.randint(3, 5)) for org in targets])
        for org in targets:
            note = rng.choice(ORG_NOTES).format(field=org.field)
            self.add("notes", None, org.id, note, stamp(self.at(rng.randint(20, 200))))

    def replies_owed(self, quiet: list[int]) -> None:
        """Inbound messages from the last 2-20 days with no answer yet."""
        people = self.pick(quiet, REPLIES_OWED)
        for n, pid in enumerate(people):
            days = 2 + (18 * n) // max(1, len(people) - 1)
            topic = self.rng.choice(TOPICS)
            if n % 4 == 0:  # they answered my question; my turn again
                subject = f"Quick question about {topic}"
                self.log(self.at(days + 3, 9), "email", "out", [pid], subject=subject)
                self.log(self.at(days, 14), "email", "in", [pid], subject=f"Re: {subject}")
            elif n % 4 == 3:
                self.log(self.at(days, 19), "message", "in", [pid])
            else:
                self.log(self.at(days, 11), "email", "in", [pid], subject=f"Would love your thoughts on {topic}")

    def met_this_week(self) -> None:
        """Two or three people met at the latest meetup: a "nice to meet you" is due."""
        event: EventPlan = max((e for e in self.plan.events if e.recurrence == "monthly"), key=lambda e: e.starts_ts)
        met_on = event.starts_on
        new = []
        for n in range(2):
            org = self.plan.orgs[self.rng.randrange(len(self.plan.orgs))]
            title = self.rng.choice(FIELDS[org.field][1])
            pid = self.new_person(org.id, org.domain, title, how_met=f"at {event.name}", met_on=met_on,
                                  created=event.starts_ts + 3 * 3600 + n * 600)  # fmt: skip
            self.add("event_people", event.id, pid, "")
            note = f"Met at {event.name}: works on {self.rng.choice(TOPICS)} at {org.name}; wants to hear about my survey library."
            self.add("notes", pid, None, note, stamp(event.starts_ts + 4 * 3600))
            new.append(pid)
        self.add("knows", new[0], new[1], "same-event", 0.5, "", stamp(event.starts_ts + 4 * 3600))

    def followups(self) -> None:
        plan, today = self.plan, self.plan.now_ts // DAY
        pool = bulk.contacts_tied_at_least(self.conn, min_id=plan.person_base, strength=0.3)
        people = self.pick(pool, len(FOLLOWUPS))
        for (note, due_in), pid in zip(FOLLOWUPS, people, strict=False):
            self.add(
                "followups", pid, day_text(today + due_in), note, "explicit", "open", stamp(self.at(9 - due_in)), None
            )
        for pid in self.rng.sample(pool, min(len(pool), 200, plan.people // 100)):
            due = today - self.rng.randrange(10, 3 * YEAR_DAYS)
            self.add("followups", pid, day_text(due), f"Follow up about {self.rng.choice(TOPICS)}", "explicit", "done",
                     stamp(due * DAY - 7 * DAY), stamp(due * DAY + 15 * 3600))  # fmt: skip

    def informational_interviews(self, quiet: list[int]) -> None:
        """Request, reply, conversation, thank-you; the latest was yesterday and awaits its thank-you, the one
        before named someone to talk to next: a lead to reach out to, mentioning who sent the user."""
        people = self.pick(quiet, 5)
        names = self.names(people)
        for n, pid in enumerate(people):
            days = (1, LEAD_INTERVIEW_DAYS)[n] if n < 2 else 40 + n * 90
            subject = f"Could I ask you about your work on {self.rng.choice(TOPICS)}?"
            self.log(self.at(days + 10, 9), "email", "out", [pid], subject=subject)
            self.log(self.at(days + 9, 15), "email", "in", [pid], subject=f"Re: {subject}")
            self.log(self.at(days + 8, 10), "email", "out", [pid], subject=f"Re: {subject}")
            notes = f"Informational interview with {names.get(pid, '')}. {INFO_ADVICE[n % len(INFO_ADVICE)]}"
            if n == 1:
                notes = self.lead_from(pid, names.get(pid, ""), days)
            self.log(self.at(days, 11), "informational-interview", "mutual", [pid], notes=notes)
            if n:
                self.log(self.at(days - 1, 9), "email", "out", [pid], subject="Thank you for your time")

    def lead_from(self, adviser: int, adviser_name: str, days: int) -> str:
        """A person the adviser sent the user to, remembered as the leads service does; the interview's notes."""
        today = self.plan.now_ts // DAY
        org = self.plan.orgs[self.rng.randrange(len(self.plan.orgs))]
        lead = self.new_person(org.id, org.domain, self.rng.choice(FIELDS[org.field][1]),
                               how_met=f"referred by {adviser_name}", created=self.at(days, 12))  # fmt: skip
        lead_name = self.rows["people"][-1][1]
        low, high = min(adviser, lead), max(adviser, lead)
        self.add("knows", low, high, A_REFERRED_B if adviser == low else B_REFERRED_A, 1.0,
                 f"{adviser_name} referred you to {lead_name}", stamp(self.at(days, 12)))  # fmt: skip
        self.add("followups", lead, day_text(today - days + LEAD_DAYS), f"reach out, mentioning {adviser_name}",
                 "explicit", "open", stamp(self.at(days, 12)), None)  # fmt: skip
        self.add("followups", adviser, day_text(today - days + UPDATE_DAYS),
                 "send an update: “I took your advice…”, and what came of it", "explicit", "open",
                 stamp(self.at(days, 12)), None)  # fmt: skip
        topic = self.rng.choice(TOPICS)
        return InterviewNotes(
            did=f"Works on {topic}; half research, half delivery.",
            advice="Build one public project end to end; the field hires on evidence more than titles.",
            learned="Climate analytics teams are small and want generalists; pure research roles are not for me.",
            talk_to=[lead_name],
        ).text()

    def job_search(self) -> None:
        """Opportunities at organizations with people I know; rejections schedule a re-engage."""
        plan, today = self.plan, self.plan.now_ts // DAY
        staff = bulk.current_staff(self.conn, min_person_id=plan.person_base, at_least=2)
        orgs = {org.id: org for org in plan.orgs}
        chosen = self.rng.sample(sorted(staff), min(len(OPPORTUNITIES), len(staff)))
        for (role, stage, opened, closed, reengage, reengaged), org_id in zip(OPPORTUNITIES, chosen, strict=False):
            org, oid = orgs[org_id], self.next_opportunity
            self.next_opportunity += 1
            insiders = self.pick(staff[org_id], 2) or staff[org_id][:2]
            if stage == "exploring":  # someone inside tells me about it; no recruiter yet
                self.add("opportunity_people", oid, insiders[0], "referrer")
                self.log(self.at(opened, 10), "email", "out", [insiders[0]], subject=f"The {role} role at {org.name}",
                         opportunity=oid)  # fmt: skip
                self._opportunity(oid, org.id, role, stage, opened, closed, reengage, reengaged)
                continue
            recruiter = self.new_person(org.id, org.domain, "Talent Partner", how_met=f"application for {role}",
                                        met_on=day_text(today - opened), created=self.at(opened))  # fmt: skip
            parts = [(recruiter, "recruiter"), (insiders[0], "interviewer")]
            if len(insiders) > 1:
                parts.append((insiders[1], "hiring-manager"))
            for pid, part in parts:
                self.add("opportunity_people", oid, pid, part)
            people = [pid for pid, _ in parts]
            self.log(self.at(opened, 9), "email", "out", [recruiter], subject=f"Application: {role}", opportunity=oid)
            if stage in ("rejected", "interviewing", "offer", "withdrawn"):
                first = opened - 15 if closed is None else (opened + closed) // 2
                for days in sorted({first, 5 if stage == "interviewing" else max(first - 10, 3)}, reverse=True):
                    self.log(self.at(days, 14), "interview", "mutual", people, opportunity=oid,
                             notes=f"Interview for {role}: case study on forecasting; asked about stakeholder work.")  # fmt: skip
                    self.log(self.at(days - 1, 9), "email", "out", people, subject="Thank you for today")
            if stage == "offer":
                self.log(self.at(3, 16), "call", "mutual", [recruiter], opportunity=oid, notes="Offer call.")
            if stage == "rejected" and closed is not None:
                self.log(self.at(closed, 15), "email", "in", [recruiter], subject=f"Update on your application: {role}")
                self.log(self.at(closed - 1, 9), "email", "out", [recruiter], subject="Re: Thank you; staying in touch")
            if stage == "withdrawn" and closed is not None:
                self.log(self.at(closed, 9), "email", "out", [recruiter], subject=f"Withdrawing my application: {role}")
            self._opportunity(oid, org.id, role, stage, opened, closed, reengage, reengaged)

    def _opportunity(self, oid: int, org_id: int, role: str, stage: str, opened: int, closed: int | None,
                     reengage: int | None, reengaged: int | None) -> None:  # fmt: skip
        today = self.plan.now_ts // DAY
        self.add("opportunities", oid, org_id, role, stage, day_text(today - opened),
                 day_text(today - closed) if closed is not None else None,
                 "went with an internal candidate" if stage == "rejected" else "",
                 day_text(today - closed + reengage) if closed is not None and reengage else None,
                 stamp(self.at(reengaged)) if reengaged else None, "", stamp(self.at(opened)),
                 stamp(self.at(closed if closed is not None else 0)))  # fmt: skip

    def introductions(self) -> None:
        """Introductions I made between strong ties, and what I gave and received."""
        plan = self.plan
        pool = bulk.contacts_tied_at_least(self.conn, min_id=plan.person_base, strength=0.45)
        people = self.pick(pool, 8)
        for a, b, stage in zip(people[0:6:2], people[1:6:2], ("made", "made", "suggested"), strict=False):
            days = self.rng.randint(30, 400)
            made = day_text(plan.now_ts // DAY - days) if stage == "made" else None
            low, high = min(a, b), max(a, b)
            self.add("introductions", low, high, "both are migrating email to Microsoft 365", stage,
                     stamp(self.at(days + 3)), stamp(self.at(days)), made)  # fmt: skip
            if stage == "made":
                self.log(self.at(days, 10), "intro", "out", [a, b], subject="Introduction: you two should talk")
                self.add("knows", low, high, "introduced", 1.0, "", stamp(self.at(days)))
                self.add(
                    "ledger_entries", a, "gave", "intro", "", day_text(plan.now_ts // DAY - days), stamp(self.at(days))
                )
        for pid in people[6:]:
            days = self.rng.randint(20, 300)
            self.add("ledger_entries", pid, "received", "reference", "a reference for my application",
                     day_text(plan.now_ts // DAY - days), stamp(self.at(days)))  # fmt: skip

    def upcoming_editions(self) -> None:
        """The next edition of each recurring series, so reminders can name who was met last time."""
        latest: dict[str, EventPlan] = {}
        for event in self.plan.events:
            latest[event.series] = event
        next_id = max(e.id for e in self.plan.events) + 1
        for series, event in sorted(latest.items()):
            step = YEAR_DAYS if event.recurrence == "yearly" else 30
            starts = event.starts_ts + step * DAY
            while starts < self.plan.now_ts:
                starts += step * DAY
            if event.recurrence == "yearly":
                name = f"{series} {day_text(starts // DAY)[:4]}"
            else:
                name = f"{series} #{int(event.name.rsplit('#', 1)[1]) + 1}"
            self.add("events", next_id, name, day_text(starts // DAY), None, event.place, event.recurrence, series, "",
                     stamp(self.plan.now_ts - 20 * DAY))  # fmt: skip
            next_id += 1
