"""`knowwho today` loads the modules of what its list shows, not the people, templates or journal machinery.

Each kind of item is read through a light module (its candidate query); the
modules that add, draft, match or render loaded only by the commands that need them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from knowwho.core import Knowwho
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli

NOT_NEEDED = (
    "knowwho.services.people",
    "knowwho.services.duplicates",
    "knowwho.services.templates",
    "knowwho.services.interactions",
    "knowwho.storage.journal",
)
# What today's list showed through heavier modules than it needs: Rich, the services that add, draft and match
# (their candidates have light modules of their own), and the network's and the people's SQL.
HEAVY = (
    "rich",
    "knowwho.cli.render",
    "knowwho.services.drafts",
    "knowwho.services.events",
    "knowwho.services.intros.service",
    "knowwho.services.intros.suggestions",
    "knowwho.services.intros.matching",
    "knowwho.services.meaning",
    "knowwho.services.ledger",
    "knowwho.services.normalize",
    "knowwho.storage.network",
    "knowwho.storage.people",
    "knowwho.storage.records",
    "knowwho.storage.followups",
    "knowwho.storage.interactions",
)


def _today(db_path: Path, *args: str, watch: tuple[str, ...]) -> tuple[str, list[str]]:
    """`knowwho today` in a fresh interpreter: its output, and which of `watch` it loaded."""
    script = (
        "import json, sys\nfrom knowwho.cli.app import app, run\n"
        f"code = run(app, ['today', '--db', {str(db_path)!r}, *{list(args)!r}])\n"
        f"print(code, json.dumps([m for m in {watch!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    *shown, loaded = result.stdout.splitlines()
    assert loaded.startswith("0 "), result.stdout + result.stderr
    return "\n".join(shown), json.loads(loaded[2:])


def test_today_loads_neither_the_people_service_nor_the_drafting_or_undo_machinery(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima", "--email", "ana@lima.org")[0] == 0
    assert cli(db_path, "log", "ana", "--kind", "email", "--direction", "in", "--date", "3 days ago")[0] == 0
    shown, loaded = _today(db_path, watch=NOT_NEEDED + HEAVY)
    assert "Ana Lima" in shown  # the reply owed is listed
    assert loaded == []


def _every_light_kind(kw: Knowwho) -> None:
    """Kept introduction suggestions, someone to give back to, and next year's edition of a conference."""
    for name, fields in (
        ("Hal Green", {"needs": "a React mentor"}),
        ("Ida Ross", {"offers": "React mentoring"}),
    ):
        person = kw.people.add(name).id
        kw.people.edit(person, PersonChanges(closeness=4, **fields))  # type: ignore[arg-type]
    assert kw.intros.suggestions()  # kept for today's list
    giver = kw.people.add("Gil Giver").id
    kw.ledger.record(giver, "received", "a reference for Acme", kind="reference")
    kw.ledger.record(giver, "received", "feedback on my CV")
    last = kw.events.add("RecSys Summit 2025", starts_on=date(2025, 11, 28), yearly=True)
    with kw.db.transaction() as tx:  # met there last year
        tx.execute("INSERT INTO people (display_name, created_at, updated_at) VALUES ('Vera Ng', '2025-11-28', '')")
        tx.execute("INSERT INTO event_people (event_id, person_id) VALUES (?, last_insert_rowid())", (last.id,))


def test_today_shows_suggestions_give_backs_and_events_without_their_services(kw: Knowwho, db_path: Path) -> None:
    _every_light_kind(kw)
    shown, loaded = _today(db_path, "--all", watch=NOT_NEEDED + HEAVY)
    for what in ("introduce", "Hal Green ↔ Ida Ross", "give-back", "Gil Giver", "event", "RecSys Summit"):
        assert what in shown
    assert loaded == []
