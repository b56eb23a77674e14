"""The terminal rendering of a person page."""

from __future__ import annotations

from datetime import date

from rich.markup import escape
from rich.table import Table

from knowwho.cli.render import console
from knowwho.services.birthdays import describe as describe_birthday
from knowwho.services.people import PersonDetail

_ARROWS = {"in": "←", "out": "→", "mutual": "↔"}


def render_detail(detail: PersonDetail, *, today: date) -> None:
    p = detail.person
    console.print(f"[bold]{escape(p.display_name)}[/bold]  #{p.id}  ·  {detail.tie.tier} tie ({detail.tie.score:.2f})")
    for role in p.roles:
        span = " – ".join(x for x in (role.start_on, role.end_on) if x)
        state = "" if role.is_current else " (before)"
        line = f"  {role.title + ' at ' if role.title else ''}{role.organization}{state} {span}".rstrip()
        console.print(line, markup=False)
    facts = [
        ("email", ", ".join(p.emails)), ("phone", ", ".join(p.phones)), ("links", ", ".join(p.links)),
        ("tags", ", ".join(p.tags)), ("birthday", describe_birthday(p.birthday, today=today)),
        ("location", p.location), ("situation", p.situation),
        ("needs", p.needs), ("offers", p.offers),
        ("met", " ".join(x for x in (p.first_met_on or "", p.how_met) if x)),
        ("cadence", f"every {p.cadence_days} days" if p.cadence_days else ("none" if p.cadence_days == 0 else "")),
        ("advocate", "yes, would vouch for you" if p.is_advocate else ""),
        ("deleted", f"from your address book ({', '.join(detail.deleted_from)}); kept here" if detail.deleted_from else ""),
    ]  # fmt: skip
    for label, value in facts:
        if value:
            console.print(f"  [dim]{label:9}[/dim] {escape(value)}", markup=True, soft_wrap=True)
    if detail.followups:
        console.print("\n[bold]Follow-ups[/bold]")
        for f in detail.followups:
            console.print(f"  {f.due_on}  {f.note or 'follow up'}", markup=False)
    if detail.notes:
        console.print("\n[bold]Notes[/bold]")
        for n in detail.notes:
            console.print(f"  #{n.id:<5} {n.created_at[:10]}  {n.body}", markup=False)
    if detail.interactions:
        console.print("\n[bold]Timeline[/bold]")
        table = Table(box=None, show_header=False, pad_edge=False)
        for i in detail.interactions:
            others = [detail.names[x] for x in i.participant_ids if x in detail.names]
            text = " — ".join(x for x in (i.subject, i.notes) if x)
            if others:
                text += f" (with {', '.join(others)})"
            table.add_row(f"#{i.id}", i.occurred_at[:10], f"{_ARROWS[i.direction]} {i.kind}", escape(text))
        console.print(table)
        console.print("[dim]To fix one: log --edit ID · unlog ID · note --edit ID / --delete ID[/dim]")
