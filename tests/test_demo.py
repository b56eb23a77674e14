"""The demo network: deterministic, lively today, consistent data, all or nothing."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services import tie_strength
from knowwho.services.demo import generate_demo
from knowwho.services.interactions import refresh_everyone
from knowwho.services.leads import LeadService
from tests.conftest import NOW
from tests.test_cli import kw_cli


class Rollback(Exception):
    pass


DERIVED = "first_interaction_at, last_interaction_at, last_inbound_at, last_outbound_at, interaction_count"


def _shared_demo(factory: pytest.TempPathFactory, *, people: int, seed: int) -> Iterator[Knowwho]:
    app = Knowwho.open(factory.mktemp("demo") / "demo.db", clock=fixed_clock(NOW))
    generate_demo(app, people=people, seed=seed)
    yield app
    app.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowwho]:
    """One small demo network, shared by the tests that only read it."""
    yield from _shared_demo(tmp_path_factory, people=400, seed=7)


@pytest.fixture(scope="module")
def full_size(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowwho]:
    """The network `make run` fills: 2,000 people, seed 1."""
    yield from _shared_demo(tmp_path_factory, people=2000, seed=1)


def fingerprint(conn: sqlite3.Connection) -> dict[str, str]:
    """A digest of every row of the main tables, to compare two networks."""
    digests = {}
    for table in ("people", "person_emails", "roles", "knows", "interactions", "interaction_participants",
                  "organizations", "events", "opportunities", "followups", "notes"):  # fmt: skip
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        digests[table] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return digests


def test_same_seed_same_network(tmp_path: Path) -> None:
    first = Knowwho.open(tmp_path / "a.db", clock=fixed_clock(NOW))
    second = Knowwho.open(tmp_path / "b.db", clock=fixed_clock(NOW))
    other = Knowwho.open(tmp_path / "c.db", clock=fixed_clock(NOW))
    summary = generate_demo(first, people=300, seed=42)
    assert generate_demo(second, people=300, seed=42).interactions == summary.interactions
    generate_demo(other, people=300, seed=43)
    names = "SELECT given_name FROM people ORDER BY id LIMIT 25"
    assert [r[0] for r in first.db.conn.execute(names)] == [r[0] for r in second.db.conn.execute(names)]
    assert fingerprint(first.db.conn) == fingerprint(second.db.conn)
    assert [r[0] for r in first.db.conn.execute(names)] != [r[0] for r in other.db.conn.execute(names)]
    assert summary.people > 300 and summary.interactions > 300 * 2


def test_the_demo_looks_like_one_busy_persons_network(full_size: Knowwho, tmp_path: Path) -> None:
    """Tens of conversations a week, a few dozen strong ties, most of the network weak or dormant."""
    from knowwho.services.tie_strength import tier_of

    kw = full_size
    interactions = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    since = (NOW - timedelta(days=56)).strftime("%Y-%m-%d")
    recent = kw.db.conn.execute("SELECT COUNT(*) FROM interactions WHERE occurred_at >= ?", (since,)).fetchone()[0]
    assert 20 <= recent / 8 <= 150  # a week's conversations, averaged over eight weeks
    scores = kw.db.conn.execute("SELECT tie_strength FROM people WHERE is_contact = 1 AND deleted_at IS NULL")
    tiers = Counter(tier_of(score) for (score,) in scores)
    assert 5 <= tiers["strong"] <= 60 and tiers["strong"] < tiers["moderate"] < tiers["weak"] + tiers["dormant"]
    assert tiers["weak"] + tiers["dormant"] > 0.7 * sum(tiers.values())
    busy = generate_demo(Knowwho.open(tmp_path / "busy.db", clock=fixed_clock(NOW)), people=2000, seed=1, busyness=8)
    assert busy.interactions > 4 * interactions  # the benchmarks' load: about 20 a person


def test_nobody_in_the_demo_shares_a_name_and_first_names_are_many(full_size: Knowwho) -> None:
    conn = full_size.db.conn
    namesakes = conn.execute("SELECT display_name FROM people GROUP BY display_name HAVING COUNT(*) > 1").fetchall()
    assert namesakes == []
    first_names = {re.sub(r" [A-Z]\.$", "", given) for (given,) in conn.execute("SELECT given_name FROM people")}
    assert len(first_names) >= 450  # a real network of 2,000 people has hundreds of first names
    family_names = {family for (family,) in conn.execute("SELECT family_name FROM people")}
    assert len(family_names) >= 350


def test_organizations_are_sized_like_one_persons_network(full_size: Knowwho) -> None:
    """A dozen or so contacts at the largest organization, one or two at most of them."""
    sizes = sorted(
        count for (count,) in full_size.db.conn.execute(
            "SELECT COUNT(*) FROM roles r JOIN people p ON p.id = r.person_id "
            "WHERE r.is_current = 1 AND p.is_contact = 1 GROUP BY r.organization_id"
        )
    )  # fmt: skip
    assert 8 <= sizes[-1] <= 15
    assert sizes[len(sizes) // 2] <= 3 and len(sizes) >= 300


def test_a_few_new_people_at_each_meetup_more_at_a_conference(full_size: Knowwho) -> None:
    conn = full_size.db.conn
    rows = conn.execute(
        """SELECT e.recurrence, (SELECT COUNT(*) FROM people p WHERE p.how_met = 'at ' || e.name),
                  (SELECT COUNT(*) FROM event_people ep WHERE ep.event_id = e.id)
           FROM events e WHERE e.starts_on <= ?""",
        (NOW.date().isoformat(),),
    ).fetchall()
    meetups = [(new, met) for recurrence, new, met in rows if recurrence == "monthly"]
    conferences = [(new, met) for recurrence, new, met in rows if recurrence == "yearly"]
    assert len(meetups) == 36 and len(conferences) == 6
    assert all(2 <= new <= 8 and met <= 12 for new, met in meetups), meetups  # new faces, and a few regulars
    assert all(6 <= new <= 15 and met <= 21 for new, met in conferences), conferences


def test_worker_processes_make_the_same_network_with_no_namesakes_across_blocks(tmp_path: Path) -> None:
    here = Knowwho.open(tmp_path / "here.db", clock=fixed_clock(NOW))
    pooled = Knowwho.open(tmp_path / "pooled.db", clock=fixed_clock(NOW))
    generate_demo(here, people=4_100, seed=3, workers=0)  # three blocks
    generate_demo(pooled, people=4_100, seed=3, workers=2)
    assert fingerprint(here.db.conn) == fingerprint(pooled.db.conn)
    names = [name for (name,) in pooled.db.conn.execute("SELECT display_name FROM people ORDER BY id")]
    assert names == [name for (name,) in here.db.conn.execute("SELECT display_name FROM people ORDER BY id")]
    assert len(names) >= 4_100 and len(set(names)) == len(names)


def test_today_is_lively(demo: Knowwho) -> None:
    items = demo.agenda.today(limit=1_000, remember=False).items
    actions = Counter(item.action for item in items)
    assert actions["reply"] == 3
    assert actions["thank-you"] == 1
    assert actions["follow-up"] == 2  # one due today, and reaching out to a lead
    assert actions["nice-to-meet"] == 2
    assert actions["event"] == 1
    assert actions["keep-in-touch"] >= 5
    assert actions["re-engage"] == 1
    assert all(item.reason and item.person for item in items)


def test_the_days_list_shows_each_workflow_once(demo: Knowwho) -> None:
    """About ten actions, none of them keep-in-touch yet: every kind of career action is on the first screen."""
    today = demo.agenda.today(remember=False)
    actions = [item.action for item in today.items]
    assert len(actions) == 10
    assert {"reply", "thank-you", "follow-up", "nice-to-meet", "event", "re-engage"} <= set(actions)
    event = next(item for item in today.items if item.action == "event")
    assert event.person == "Open Data Summit" and "in 10 days" in event.reason and "you met" in event.reason
    assert today.rest.get("keep-in-touch", 0) >= 5


def test_an_informational_interview_named_a_lead_to_reach_out_to(demo: Knowwho) -> None:
    conn = demo.db.conn
    lead_row = conn.execute("SELECT id, how_met FROM people WHERE how_met LIKE 'referred by %'").fetchall()
    assert len(lead_row) == 1
    lead_id, how_met = lead_row[0]
    adviser = how_met.removeprefix("referred by ")
    referrals = LeadService(demo.ctx).referrals(lead_id)
    assert [r.referrer for r in referrals] == [adviser]
    talk = conn.execute(
        "SELECT i.notes FROM interactions i JOIN interaction_participants ip ON ip.interaction_id = i.id "
        "WHERE ip.person_id = ? AND i.kind = 'informational-interview'",
        (referrals[0].referrer_id,),
    ).fetchone()
    lead_name = demo.people.get(lead_id).display_name
    assert f"Talk to next: {lead_name}" in talk[0] and "Their advice: " in talk[0]
    items = demo.agenda.today(remember=False).items
    reach_out = [i for i in items if i.person_id == lead_id]
    assert [(i.action, i.reason.split(" (")[0]) for i in reach_out] == [
        ("follow-up", f"reach out, mentioning {adviser}")
    ]


def test_the_demo_shows_a_job_search_updates_and_goals(demo: Knowwho) -> None:
    conn = demo.db.conn
    stages = Counter(r[0] for r in conn.execute("SELECT stage FROM opportunities"))
    assert stages["interviewing"] + stages["applied"] + stages["exploring"] + stages["offer"] >= 1
    recent = conn.execute(
        "SELECT COUNT(*) FROM opportunities WHERE stage = 'rejected' AND closed_on >= date(?, '-90 days')"
        " AND reengage_on > ?",
        (NOW.date().isoformat(), NOW.date().isoformat()),
    ).fetchone()[0]
    assert recent >= 1  # a recent rejection, re-engaging later
    assert conn.execute("SELECT COUNT(*) FROM my_updates").fetchone()[0] >= 3
    goals = demo.goals.get()
    assert goals.conversations and goals.new_people == 2 and goals.max_old_replies == 1
    weeks = [w.conversations for w in demo.goals.weeks(12)]
    assert min(weeks) < goals.conversations  # a goal some weeks miss
    progress = demo.goals.progress()
    assert progress is not None and progress.line().startswith("This week: ")


def test_the_demo_keeps_a_users_own_goals(kw: Knowwho) -> None:
    kw.goals.set(conversations=7)
    generate_demo(kw, people=100)
    assert kw.goals.get().conversations == 7 and kw.goals.get().new_people is None


def test_today_in_the_cli_shows_reply_keep_in_touch_and_reengage(db_path: Path) -> None:
    code, out, _ = kw_cli(db_path, "demo", "--people", "200", "--seed", "5", "--json")
    assert code == 0 and json.loads(out)["people"] >= 200
    code, out, _ = kw_cli(db_path, "today", "--json", "--limit", "500")
    actions = {item["action"] for item in json.loads(out)}
    assert code == 0 and {"reply", "keep-in-touch", "re-engage", "thank-you", "nice-to-meet"} <= actions


def test_the_data_passes_integrity_checks(demo: Knowwho) -> None:
    conn = demo.db.conn
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert [tuple(r) for r in conn.execute("PRAGMA integrity_check")] == [("ok",)]
    indexed = {"people": "1", "organizations": "1", "notes": "1", "interactions": "subject != '' OR notes != ''"}
    for table, condition in indexed.items():
        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")  # raises if broken
        # One full-text document per row the triggers would have indexed.
        documents = conn.execute(f"SELECT COUNT(*) FROM {table}_fts_docsize").fetchone()[0]
        assert documents == conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}").fetchone()[0]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_bulk_load_restores_triggers_and_indexes(demo: Knowwho, tmp_path: Path) -> None:
    fresh = Knowwho.open(tmp_path / "fresh.db")
    schema = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    assert demo.db.conn.execute(schema).fetchall() == fresh.db.conn.execute(schema).fetchall()


def test_today_reads_its_candidates_through_indexes(demo: Knowwho) -> None:
    conn = demo.db.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        demo.agenda.today(remember=False)
    finally:
        conn.set_trace_callback(None)
    plans = [
        " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]
    joined = "\n".join(plans)
    for index in ("people_reply_owed", "people_keep_in_touch_due", "interactions_interviews"):
        assert index in joined
    assert not [plan for plan in plans if "SCAN p " in f"{plan} " or "SCAN people" in plan], joined


def test_derived_columns_are_what_a_full_refresh_computes(demo: Knowwho) -> None:
    conn = demo.db.conn
    query = f"SELECT id, {DERIVED}, tie_strength FROM people ORDER BY id"
    before = conn.execute(query).fetchall()
    with pytest.raises(Rollback), demo.db.transaction() as tx:  # leave the shared network as it was
        refresh_everyone(tx, now_julian=tie_strength.julian(demo.ctx.now_stamp()))
        after = tx.execute(query).fetchall()
        raise Rollback
    assert [tuple(r)[:-1] for r in before] == [tuple(r)[:-1] for r in after]
    assert all(abs(b[-1] - a[-1]) < 1e-9 for b, a in zip(before, after, strict=True))


def test_searchable_notes_and_conversations(demo: Knowwho) -> None:
    assert demo.search.people("Airflow")
    assert demo.search.people("brain")  # a subject only the bulk-loaded emails have
    assert demo.search.people("informational interview")
    assert demo.search.people("email-migration") or demo.search.people("Microsoft 365")


def test_shape_of_the_network(demo: Knowwho) -> None:
    conn = demo.db.conn
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    people = one("SELECT COUNT(*) FROM people")
    assert 2 <= one("SELECT COUNT(*) FROM interactions") / people <= 8  # most of a network is quiet
    assert one("SELECT COUNT(*) FROM people WHERE is_contact = 0") > 0  # second degree, known through others
    assert one("SELECT COUNT(*) FROM roles WHERE is_current = 0") > 0  # past jobs
    assert one("SELECT COUNT(*) FROM knows") > people / 5
    assert one("SELECT COUNT(*) FROM event_people") > 0
    assert one("SELECT COUNT(*) FROM person_tags WHERE kind IN ('situation', 'need', 'offer')") > 0
    assert one("SELECT COUNT(*) FROM opportunity_people WHERE part = 'recruiter'") > 0
    assert one("SELECT COUNT(*) FROM events WHERE starts_on > date('2026-11-18')") >= 2  # next editions
    assert one("SELECT COUNT(*) FROM my_emails") == 2 and one("SELECT name FROM my_profile")
    weekend = one("SELECT COUNT(*) FROM interactions WHERE strftime('%w', occurred_at) IN ('0', '6')")
    assert weekend / one("SELECT COUNT(*) FROM interactions") < 0.12  # human rhythm: mostly weekdays
    assert one("SELECT COUNT(*) FROM (SELECT email FROM person_emails GROUP BY email HAVING COUNT(*) > 1)") == 0


def test_refuses_a_database_with_people_unless_forced(kw: Knowwho) -> None:
    kw.people.add("Ana Lima", emails=["ana@lima.org"])
    with pytest.raises(InvalidInput, match="already has 1 people"):
        generate_demo(kw, people=100)
    summary = generate_demo(kw, people=100, force=True)
    assert kw.people.count() == 1 + summary.people
    assert kw.people.resolve("ana@lima.org").display_name == "Ana Lima"


def test_the_cli_refuses_too(db_path: Path) -> None:
    kw_cli(db_path, "add", "Ana Lima")
    code, _, err = kw_cli(db_path, "demo", "--people", "100")
    assert code == 2 and "--force" in err


def test_bad_sizes_are_refused(kw: Knowwho) -> None:
    with pytest.raises(InvalidInput):
        generate_demo(kw, people=10)


def test_a_failure_leaves_nothing_behind(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.services.demo import scenes

    def broken(self: object) -> set[int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(scenes.Scenes, "play", broken)
    schema = "SELECT name FROM sqlite_master ORDER BY name"
    before = kw.db.conn.execute(schema).fetchall()
    with pytest.raises(RuntimeError):
        generate_demo(kw, people=100)
    conn = kw.db.conn
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 0
    assert conn.execute(schema).fetchall() == before
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_demos_introductions_are_varied(full_size: Knowwho) -> None:
    """Ten suggestions, ten different pairs of people, no reason quoted more than twice, and needs met by offers."""
    found = full_size.intros.suggestions(limit=10)
    people = Counter(i for s in found for i in (s.person_a_id, s.person_b_id))
    reasons = Counter(s.reason.replace(s.person_a, "A").replace(s.person_b, "B") for s in found)
    assert len(found) == 10 and max(people.values()) == 1
    assert max(reasons.values()) <= 2 and {s.kind for s in found} >= {"situation", "need-offer"}
