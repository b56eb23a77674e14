"""A mail import scores people with the user's calibrated weights, as every other refresh does."""

from __future__ import annotations

from pathlib import Path

from knowwho.core import Knowwho
from knowwho.services import tie_strength
from knowwho.services.imports import run_import
from knowwho.services.interactions import score_person
from knowwho.storage import tie_weights

MBOX = Path(__file__).parent.parent / "data" / "email" / "mbox" / "knowwho_conversations.mbox"


def test_mail_import_uses_the_calibrated_weights(kw: Knowwho) -> None:
    with kw.db.transaction() as conn:
        tie_weights.put(conn, {"recency": 0.9, "duration": 0.1})
    run_import(kw, "mail", MBOX, me=["me@example.org"])
    conn, now = kw.db.conn, tie_strength.julian(kw.ctx.now_stamp())
    rows = conn.execute("SELECT id, closeness, tie_strength FROM people WHERE interaction_count > 0").fetchall()
    assert rows
    for person_id, closeness, stored in rows:
        assert stored == score_person(conn, person_id, now_julian=now, closeness=closeness).score
