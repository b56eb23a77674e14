"""Reaching out: the informational-interview request, the brief before the talk, and the re-engage note.

An informational interview asks to learn, never for a job; the draft says how
the user found the person, what they want to learn, and asks for 20 minutes.
The re-engage note after a rejection (drafted in `services/drafts.py`) says what
the user has done since they last spoke, from their own dated updates.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowwho.services.context import ServiceContext
from knowwho.services.drafts import Draft
from knowwho.services.leads import LeadService
from knowwho.services.network import Acquaintance, NetworkService
from knowwho.services.normalize import greeting_name
from knowwho.storage import interactions as interaction_store
from knowwho.storage import me as me_store
from knowwho.storage import outreach as store
from knowwho.storage.records import InteractionRecord, NoteRecord, PersonRecord, RoleRecord
from knowwho.wording import met_where

# What to ask in an informational interview, by topic; {title} and {org} are the person's current job.
QUESTION_BANK: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Their path", (
        "How did you come to be {title}{at_org}?",
        "What did you do before, and what from it do you still use?",
        "If you started again today, what would you do differently?",
    )),
    ("Day to day", (
        "What does a typical week look like for you?",
        "What part of the work do you enjoy most, and what part least?",
        "Which skills matter most in your work that people don't expect?",
    )),
    ("Culture", (
        "How would you describe the culture{at_org}?",
        "How are decisions made, and how is good work recognised?",
        "What kind of person does well there, and who struggles?",
    )),
    ("The field's future", (
        "How is your field changing, and what will matter in five years?",
        "Which problems are people in your field most excited about right now?",
    )),
    ("Advice", (
        "What would you advise someone in my position to learn or do next?",
        "What do you wish someone had told you when you started?",
    )),
    ("Whom else to talk to", (
        "Who else would you suggest I talk to, and may I mention your name?",
        "Are there groups, events or readings you would recommend?",
    )),
)  # fmt: skip
_NOT_A_JOB = "To be clear, I'm not asking about a job: I'd only like to learn from your experience."
_ASK = "Would you have 20 minutes for a call or a coffee in the next few weeks? I'm glad to fit your schedule."


@dataclass(frozen=True, slots=True)
class Brief:
    """What the user knows before an informational interview: one data function for the CLI and the API."""

    person: PersonRecord
    found_through: str
    roles: list[RoleRecord]
    notes: list[NoteRecord]
    organization_notes: list[tuple[str, str]]  # (organization, note)
    shared: list[Acquaintance]  # contacts who know them
    also_met: list[Acquaintance]  # contacts only met at the same events: weak evidence, shown apart
    conversations: list[InteractionRecord]
    questions: list[tuple[str, list[str]]]

    def to_dict(self) -> dict[str, object]:
        p = self.person
        return {
            "id": p.id, "name": p.display_name, "found_through": self.found_through,
            "roles": [{"organization": r.organization, "title": r.title, "current": r.is_current,
                       "start_on": r.start_on, "end_on": r.end_on} for r in self.roles],
            "notes": [{"at": n.created_at, "body": n.body} for n in self.notes],
            "organization_notes": [{"organization": o, "note": n} for o, n in self.organization_notes],
            "shared_contacts": [{"id": a.person_id, "name": a.name, "how": a.how} for a in self.shared],
            "also_met": [{"id": a.person_id, "name": a.name, "how": a.how} for a in self.also_met],
            "conversations": [{"id": i.id, "at": i.occurred_at, "kind": i.kind, "subject": i.subject,
                               "notes": i.notes} for i in self.conversations],
            "questions": {topic: qs for topic, qs in self.questions},
        }  # fmt: skip


class OutreachService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.leads = LeadService(ctx)

    def ask(self, person_id: int, *, about: str = "") -> Draft:
        """The informational-interview request to a person."""
        person = self._person(person_id)
        me = me_store.profile(self.ctx.db.conn)["name"]
        job = _job(person)
        learn = about.strip() or (
            f"what your work as {job} is really like, and how you got there" if job else "how you got where you are"
        )
        intro = "I'm exploring where to take my career next, and"
        body = "\n\n".join((
            f"Hi {_first(person)},",
            self.found_through(person),
            f"{intro} I'd love to hear about {learn}.",
            _NOT_A_JOB,
            _ASK,
            "Thank you,\n" + (me or ""),
        )).rstrip() + "\n"  # fmt: skip
        subject = f"Could I learn from your experience{' at ' + _org(person) if _org(person) else ''}?"
        return Draft(to=person.emails[:1], subject=subject, body=body)

    def found_through(self, person: PersonRecord) -> str:
        """How the user came to write to them: who referred them, how they met, a contact in common, or their work."""
        referred = [r for r in store.referrals(self.ctx.db.conn, person.id) if r.lead_id == person.id]
        if referred:
            return f"{referred[-1].referrer} suggested I get in touch with you."
        how = person.how_met.strip()
        if how and not how.lower().startswith("referred by"):
            return f"We met{met_where(how)}."
        common = self._contact_in_common(person.id)
        if common:
            return f"We both know {common}, and your work caught my attention."
        org = _org(person)
        return f"I came across your work{' at ' + org if org else ''} and hoped you might share some of it."

    def brief(self, person_id: int) -> Brief:
        person = self._person(person_id)
        conn = self.ctx.db.conn
        org_notes: list[tuple[str, str]] = []
        for role in (r for r in person.roles if r.is_current):
            org_notes += [(role.organization, n.body) for n in interaction_store.notes_for_organization(
                conn, role.organization_id)]  # fmt: skip
        job, org = person.roles[0].title if person.roles else "", _org(person)
        fill = {"title": job or "where you are", "at_org": f" at {org}" if org else ""}
        network = NetworkService(self.ctx)
        ties = network.ties(person_id)
        return Brief(
            person=person, found_through=self.found_through(person), roles=person.roles,
            notes=interaction_store.notes_for_person(conn, person_id), organization_notes=org_notes,
            shared=network.acquaintances(person_id, ties), also_met=network.met_at_events(person_id, ties),
            conversations=interaction_store.for_person(conn, person_id, limit=10),
            questions=[(topic, [q.format(**fill) for q in qs]) for topic, qs in QUESTION_BANK],
        )  # fmt: skip

    def reengage_draft(self, opportunity_id: int) -> Draft:
        """Getting back in touch after a rejection or a withdrawal: the very draft today's re-engage item gives."""
        from knowwho.services.drafts import reengage

        return reengage(self.ctx, opportunity_id)

    def _contact_in_common(self, person_id: int) -> str:
        """The first contact on the best warm path to them, when the user does not know them directly."""
        from knowwho.services.paths.service import PathService

        for route in PathService(self.ctx).to_person(person_id, limit=1).routes:
            first = route.steps[0] if route.steps else None
            if first is not None and first.person_id not in (None, person_id):
                return first.name
        return ""

    def _person(self, person_id: int) -> PersonRecord:
        from knowwho.services.people import PeopleService

        return PeopleService(self.ctx).get(person_id)


def _first(person: PersonRecord) -> str:
    return greeting_name(person.given_name, person.display_name)


def _org(person: PersonRecord) -> str:
    current = [r for r in person.roles if r.is_current]
    return current[0].organization if current else ""


def _job(person: PersonRecord) -> str:
    current = [r for r in person.roles if r.is_current]
    if not current:
        return ""
    role = current[0]
    return f"{role.title} at {role.organization}" if role.title else f"someone at {role.organization}"
