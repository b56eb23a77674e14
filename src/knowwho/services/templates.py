"""Outreach templates: the shipped texts or the user's own, rendered with Jinja2 in a sandbox.

A template only ever sees plain values (names, dates, my updates as text), and the
sandboxed environment refuses attribute tricks, so a template pasted from elsewhere
can do no harm. Rendering never logs anything: the user says when it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from knowwho.errors import InvalidInput, NotFound
from knowwho.services.agenda_reasons import span
from knowwho.services.context import ServiceContext
from knowwho.services.normalize import greeting_name
from knowwho.services.template_texts import DEFAULTS
from knowwho.storage import me as me_store
from knowwho.storage import people as people_store
from knowwho.storage import templates as template_store
from knowwho.wording import met_where

MAX_LENGTH = 20_000
RENDERED_LENGTH = 100_000  # a drafted message longer than this is a template gone wrong
# The template an action of today's list drafts with.
FOR_ACTION = {"event": "keep-in-touch", "way-in": "informational-interview"}
# A context to check an edited template against: every name a template can use.
SAMPLE: dict[str, Any] = {
    "first": "Ana", "name": "Ana Lima", "organization": "Acme", "title": "Engineer", "how_met": "at PyCon",
    "how_met_on": "2026-05-02", "where": " at PyCon", "event": "PyCon", "since": "3 months", "last_spoke": "2026-08-01",
    "updates": ["gave a talk on search"], "my_name": "Me", "other": "Raj", "field": "data science", "subject": "hello",
    "why": "you both run a data team", "role": "Data scientist", "spoke_in": "May 2026", "advice": "write more",
    "learned": "the team works in Rust",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    name: str
    subject: str
    body: str
    edited: bool  # the user's own version, not the shipped one

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "name": self.name, "subject": self.subject, "body": self.body, "edited": self.edited}


@dataclass(frozen=True, slots=True)
class Rendered:
    to: list[str]
    subject: str
    body: str


class TemplateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def all(self) -> list[Template]:
        own = template_store.saved(self.ctx.db.conn)
        return [_template(key, own.get(key)) for key in DEFAULTS]

    def get(self, key: str) -> Template:
        key = _key(key)
        return _template(key, template_store.saved(self.ctx.db.conn).get(key))

    def edit(self, key: str, *, subject: str | None = None, body: str | None = None) -> Template:
        """Save the user's version (one undoable change); a template that does not render is refused."""
        current = self.get(key)
        subject = current.subject if subject is None else " ".join(subject.split())
        body = current.body if body is None else body.replace("\r\n", "\n")
        if not body.strip():
            raise InvalidInput("a template needs a body")
        if len(body) > MAX_LENGTH or len(subject) > 300:
            raise InvalidInput(f"a template's body is at most {MAX_LENGTH:,} characters, its subject 300")
        _render(subject, SAMPLE, "subject")
        _render(body, SAMPLE, "body")
        with self.ctx.change(f"edited the template {current.name}") as conn:
            template_store.save(
                conn, key=current.key, name=current.name, subject=subject, body=body, now=self.ctx.now_stamp()
            )
        return self.get(current.key)

    def reset(self, key: str) -> Template:
        current = self.get(key)
        with self.ctx.change(f"restored the template {current.name}") as conn:
            template_store.delete(conn, current.key)
        return self.get(current.key)

    def render(self, key: str, person_id: int | None, **extra: Any) -> Rendered:
        """The template filled in for the person (a neutral greeting when nobody is named)."""
        template = self.get(key)
        context, to = self.context(person_id)
        context.update(extra)
        return Rendered(
            to, _render(template.subject, context, "subject").strip(), _render(template.body, context, "body")
        )

    def for_action(self, action: str, person_id: int | None, **extra: Any) -> Rendered:
        key = FOR_ACTION.get(action, action)
        return self.render(key if key in DEFAULTS else "follow-up", person_id, **extra)

    def context(self, person_id: int | None) -> tuple[dict[str, Any], list[str]]:
        """What a template can say about the person and about me, and whom the message goes to."""
        conn = self.ctx.db.conn
        me = me_store.profile(conn)
        context: dict[str, Any] = {k: "" for k in SAMPLE} | {"first": "there", "updates": [], "my_name": me["name"]}
        if person_id is None:
            context["updates"] = [u.title for u in me_store.updates(conn, limit=3)]
            return context, []
        person = people_store.get(conn, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"no person with id {person_id}")
        last = person.last_interaction_at[:10] if person.last_interaction_at else None
        current = next((r for r in person.roles if r.is_current), None)
        context.update(
            first=greeting_name(person.given_name, person.display_name), name=person.display_name,
            organization=current.organization if current else "", title=current.title if current else "",
            how_met=person.how_met, how_met_on=person.first_met_on or "",
            where=met_where(person.how_met),
            event=person.how_met[3:] if person.how_met.startswith("at ") else "",
            last_spoke=last or "", since=span((self.ctx.today() - date.fromisoformat(last)).days) if last else "",
            updates=[u.title for u in me_store.updates(conn, since=last, limit=3)],
        )  # fmt: skip
        return context, person.emails[:1]


def _key(key: str) -> str:
    found = key.strip().lower().replace(" ", "-")
    found = {"nice-to-meet-you": "nice-to-meet", "info": "informational-interview", "introduction": "intro",
             "double-opt-in": "intro", "thanks": "thank-you"}.get(found, found)  # fmt: skip
    if found not in DEFAULTS:
        raise NotFound(f"no template {key!r}: use one of {', '.join(DEFAULTS)}")
    return found


def _template(key: str, own: tuple[str, str] | None) -> Template:
    name, subject, body = DEFAULTS[key]
    if own is not None:
        return Template(key, name, own[0], own[1], edited=True)
    return Template(key, name, subject, body, edited=False)


def _render(text: str, context: dict[str, Any], part: str) -> str:
    from jinja2 import TemplateError

    try:
        rendered = _sandbox().from_string(text).render(context)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{part} line {line}" if line else part
        raise InvalidInput(f"the template's {where} does not render: {error.message or 'a syntax error'}") from None
    except _Refused as refused:
        raise InvalidInput(f"the template's {part} does not render: {refused}") from None
    except Exception:  # an expression that fails on these values: {{ 1/0 }}, {% include %}, a bad filter argument
        raise InvalidInput(
            f"the template's {part} does not render: a calculation, filter or loop in it fails as it is filled in"
        ) from None
    if len(rendered) > RENDERED_LENGTH:
        raise InvalidInput(f"the template's {part} renders to more than {RENDERED_LENGTH:,} characters")
    return rendered


class _Refused(ValueError):
    """What the sandbox refuses to compute, in words a user can act on."""


@lru_cache(maxsize=1)
def _sandbox() -> Any:
    """Jinja2's sandbox, without what would let a template fill the memory: `'x' * 10**9`, `lipsum(10**8)`."""
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
                raise _Refused("a power above 100 is refused")
            if operator == "*":
                for times, sequence in ((left, right), (right, left)):
                    repeat = isinstance(times, int) and isinstance(sequence, str | list | tuple)
                    if repeat and times * len(sequence) > RENDERED_LENGTH:
                        raise _Refused(f"a repeat longer than {RENDERED_LENGTH:,} is refused")
            return super().call_binop(context, operator, left, right)

    env = Sandbox(autoescape=False, keep_trailing_newline=True)
    env.globals.pop("lipsum", None)
    return env
