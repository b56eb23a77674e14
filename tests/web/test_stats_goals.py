"""Stats: weekly goals, this week's progress and a 12-week chart per goal, set with a form without scripts."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.conftest import csrf_of


def goals_section(html: str) -> str:
    found = re.search(r'<section class="card" id="goals">(.*?)</section>\s*(?:<div class="empty">|<div class="charts">)',
                      html, re.S)  # fmt: skip
    assert found, "no goals section"
    return found.group(1)


def test_without_goals_the_section_offers_the_form(client: TestClient) -> None:
    section = goals_section(client.get("/stats").text)
    assert 'action="/stats/goals"' in section and 'name="csrf_token"' in section
    assert "<svg" not in section


def test_progress_and_the_goal_on_the_twelve_week_charts(client: TestClient, kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    for days in (0, 1, 7, 8, 9, 80):  # NOW is a Wednesday: two this week, three the week before
        kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=days))
    kw.goals.set(conversations=3, new_people=2, max_old_replies=0)
    html = client.get("/stats").text
    section = goals_section(html)
    assert "2 of 3 conversations this week" in section
    assert "1 of 2 new people this week" in section
    assert "0 replies waiting over 2 days (goal: at most 0)" in section
    # The goals are drawn on the week charts below (each chart once: a goal used to draw a second one).
    assert "<svg" not in section
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 4  # conversations, new people, follow-ups, ties (no jobs: no organizations chart)
    conversations, new_people = charts[0], charts[1]
    assert 'class="goal"' in new_people and "goal: 2 a week" in new_people
    assert len(re.findall(r'<rect class="bar"', conversations)) == 12
    bars = re.findall(r"<title>([A-Z][a-z]{2} \d+): (\d+)</title>", conversations)
    assert bars[-1] == ("Nov 16", "2") and bars[-2] == ("Nov 9", "3") and bars[0][0] == "Aug 31"
    assert 'class="goal"' in conversations and "goal: 3 a week" in conversations


def test_the_form_sets_and_clears_goals_in_one_undoable_change(client: TestClient, kw: Knowwho) -> None:
    kw.goals.set(new_people=2)
    token = csrf_of(client, "/stats")
    answer = client.post("/stats/goals", data={"csrf_token": token, "conversations": "4", "new_people": "",
                                               "max_old_replies": "1"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/stats#goals"
    goals = kw.goals.get()
    assert (goals.conversations, goals.new_people, goals.max_old_replies) == (4, None, 1)
    page = client.get("/stats").text
    assert 'name="conversations" type="number" min="0" max="1000" inputmode="numeric" value="4"' in page
    kw.history.undo()
    goals = kw.goals.get()
    assert (goals.conversations, goals.new_people, goals.max_old_replies) == (None, 2, None)


def test_a_bad_number_is_refused_with_one_line(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/stats")
    answer = client.post("/stats/goals", data={"csrf_token": token, "conversations": "lots"})
    assert answer.status_code == 422
    problem = re.search(r'<p class="notice error" role="alert">([^<]*)</p>', answer.text)
    assert problem and problem.group(1).startswith("conversations: a weekly number")
    assert 'value="lots"' in answer.text
    assert not kw.goals.get().any


def test_the_goal_post_needs_the_csrf_token(client: TestClient, kw: Knowwho) -> None:
    assert client.post("/stats/goals", data={"conversations": "3"}).status_code == 403
    assert not kw.goals.get().any
