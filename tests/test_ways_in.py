"""Ways into target organizations: today suggests, one a day, someone you know inside to ask about their work."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services import ways_in
from knowwho.storage.ways_in import contacts_at_targets
from knowwho.web.app import create_app
from knowwho.wording import met_where
from tests.conftest import NOW
from tests.importers.helpers import cli
from tests.web.conftest import factory

TODAY = NOW.date()


def _targets(kw: Knowwho) -> dict[str, int]:
    """Tidal Press (interest 5): Bo (close), Ana and Cy (never talked; Cy met later), Dan (known through Bo),
    Eve (left). Globex (no interest given): Fay."""
    ids = {
        "bo": kw.people.add("Bo Chen", organization="Tidal Press", title="Producer", closeness=5).id,
        "ana": kw.people.add("Ana Lima", organization="Tidal Press", how_met="LinkedIn", first_met_on="2019-03-01").id,
        "cy": kw.people.add("Cy Park", organization="Tidal Press", how_met="LinkedIn", first_met_on="2024-06-01").id,
        "eve": kw.people.add("Eve Adams").id,
        "fay": kw.people.add("Fay Wong", organization="Globex", title="Analyst").id,
    }
    ids["dan"] = kw.network.add_through("Dan Wu", via=ids["bo"], organization="Tidal Press").id
    kw.network.add_role(ids["eve"], "Tidal Press", start="2018", end="2022")
    for name, interest in (("Tidal Press", 5), ("Globex", None)):
        kw.organizations.set_target(kw.organizations.resolve_id(name), True, interest)
    return ids


def _ways(kw: Knowwho) -> list[str]:
    return [i.person for i in kw.agenda.today(limit=50).items if i.action == "way-in"]


def test_the_closest_inside_first_then_the_one_met_last_never_someone_who_left_or_a_friend_of_a_friend(
    kw: Knowwho,
) -> None:
    _targets(kw)
    rows = contacts_at_targets(kw.ctx.db.conn)
    days = [TODAY + timedelta(days=n) for n in range(6)]
    tidal_first = next(day for day in days if ways_in.ranked(rows, day)[0].organization == "Tidal Press")
    assert [p.name for p in ways_in.ranked(rows, tidal_first)] == ["Bo Chen", "Cy Park", "Ana Lima", "Fay Wong"]


def test_the_most_wanted_target_leads_most_days(kw: Knowwho) -> None:
    _targets(kw)
    rows = contacts_at_targets(kw.ctx.db.conn)
    leads = [ways_in.ranked(rows, TODAY + timedelta(days=n))[0].organization for n in range(6)]
    assert sorted(leads) == ["Globex"] + ["Tidal Press"] * 5  # interest 5 against none given (1)


def test_one_a_day_on_the_list_with_its_reason_and_the_rest_behind_show_more(kw: Knowwho) -> None:
    _targets(kw)
    agenda = kw.agenda.today()
    ways = [i for i in agenda.items if i.action == "way-in"]
    assert len(ways) == 1 and agenda.rest == {"way-in": 3}
    assert ways[0].reason.endswith(
        "one of your targets (you have not really talked yet): ask for twenty "
        "minutes about their work there, to learn, not for a job"
    )
    assert len(_ways(kw)) == 4  # every way in, when the user asks for more
    kw.people.add("Old Friend", closeness=4)
    kw.interactions.log([kw.people.resolve_id("Old Friend")], kind="coffee", when=NOW - timedelta(days=400))
    day = [i.key for i in kw.agenda.today().items]
    longer = [i.key for i in kw.agenda.today(limit=50).items]
    assert len(day) == 2 and longer[: len(day)] == day  # "show more" only adds: the other ways in come after
    assert [k.split(":")[0] for k in longer] == ["way-in", "keep-in-touch", "way-in", "way-in", "way-in"]


def test_a_target_someone_inside_heard_from_lately_is_left_alone(kw: Knowwho) -> None:
    ids = _targets(kw)
    kw.interactions.log([ids["ana"]], kind="email", direction="out", when=NOW - timedelta(days=10))
    assert _ways(kw) == ["Fay Wong"]
    kw.interactions.log([ids["fay"]], kind="email", direction="out", when=NOW - timedelta(days=40))
    assert _ways(kw) == ["Fay Wong"]  # a month and more ago: Globex is worth asking again


def test_done_logs_the_email_and_the_draft_asks_to_learn_not_for_a_job(kw: Knowwho, db_path: Path) -> None:
    ids = _targets(kw)
    kw.organizations.set_target(kw.organizations.resolve_id("Globex"), False)
    kw.people.remove(ids["bo"])  # left: Ana and Cy, alike but for when they were met; Cy, met last, first
    assert _ways(kw)[0] == "Cy Park"
    code, out, _ = cli(db_path, "today")
    assert code == 0 and "way-in" in out and "Cy Park" in out
    code, out, _ = cli(db_path, "draft", "1")
    text = " ".join(out.split())
    assert code == 0 and "Could I learn from your experience at Tidal Press?" in text
    assert "We met on LinkedIn." in text and "I'm not asking about a job" in text
    code, out, _ = cli(db_path, "dismiss", "1")
    assert code == 0 and _ways(kw)[0] != "Cy Park"  # the next person inside
    code, out, _ = cli(db_path, "today")
    first = _ways(kw)[0]
    code, out, _ = cli(db_path, "done", "1")
    assert code == 0 and f"asking about a target: {first} (logged an email)" in " ".join(out.split())
    assert _ways(kw) == []  # written to someone inside: that way in is being tried
    assert cli(db_path, "undo")[0] == 0 and _ways(kw)[0] == first


def test_the_target_command_marks_lists_keeps_interest_and_removes(db_path: Path) -> None:
    cli(db_path, "add", "Bo Chen", "--org", "Tidal Press")
    cli(db_path, "add", "Ana Lima", "--org", "Tidal Media")
    code, out, _ = cli(db_path, "target")
    assert code == 0 and "No targets yet" in out
    code, out, err = cli(db_path, "target", "Tidal")
    assert code == 2 and "#1 Tidal Press" in out + err and "#2 Tidal Media" in out + err
    code, out, _ = cli(db_path, "target", "Tidal Press", "--interest", "4")
    assert code == 0 and "Tidal Press is a target (interest 4/5): there now, 1 person on record" in " ".join(
        out.split()
    )
    code, out, _ = cli(db_path, "target", "#2")
    assert code == 0 and "Tidal Media is a target: there now, 1 person on record" in " ".join(out.split())
    cli(db_path, "target", "#2", "--remove")
    cli(db_path, "target", "tidal press")  # again, without --interest: it stays 4
    code, out, _ = cli(db_path, "--json", "target")
    assert code == 0 and '"interest": 4' in out and '"name": "Tidal Press"' in out
    code, out, _ = cli(db_path, "target", "Tidal Press", "--remove")
    assert code == 0 and "no longer a target" in out
    assert "No targets yet" in cli(db_path, "target")[1]
    assert cli(db_path, "undo")[0] == 0 and "Tidal Press" in cli(db_path, "target")[1]
    assert cli(db_path, "target", "--interest", "3")[0] == 2  # which one?


def test_the_today_page_names_the_kind(kw: Knowwho, db_path: Path) -> None:
    _targets(kw)
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as client:
        page = client.get("/")
    assert page.status_code == 200 and "Ways into your targets" in page.text and "Bo Chen" in page.text


def test_how_we_met_reads_after_we_met() -> None:
    assert met_where("LinkedIn") == " on LinkedIn"
    assert met_where("PyCon 2026") == " at PyCon 2026"
    assert met_where("through Ana") == " through Ana"
    assert met_where("  ") == ""
