"""The naive baseline of bench_today.py: today's replies owed and keep-in-touch list,
computed by loading every interaction into Python.

It applies the same rules as `knowwho today` (DESIGN 4.1 items 1 and 4) but
without the derived per-person columns and indexed queries: it reads all
interactions and their participants, finds each person's last inbound,
last outbound and last interaction in Python, then ranks. Tie strength is
read from the people table (recomputing it from the interactions would only
make the baseline slower). Standard library only, as a naive script would be.

Run: python bench/naive_today.py DB [--json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from datetime import UTC, datetime, timedelta

DEFAULT_CADENCE = {5: 30, 4: 60, 3: 90, 2: 180}
STAMP = "%Y-%m-%d %H:%M:%S"


def lists(db: str, now: datetime) -> tuple[list[int], list[int], dict[int, str]]:
    conn = sqlite3.connect(db)
    interactions = {
        iid: (occurred_at, direction)
        for iid, occurred_at, direction in conn.execute(
            "SELECT id, occurred_at, direction FROM interactions WHERE deleted_at IS NULL"
        )
    }
    last_in: dict[int, str] = {}
    last_out: dict[int, str] = {}
    last_any: dict[int, str] = {}
    for iid, pid in conn.execute("SELECT interaction_id, person_id FROM interaction_participants"):
        found = interactions.get(iid)
        if found is None:
            continue
        at, direction = found
        if at > last_any.get(pid, ""):
            last_any[pid] = at
        latest = last_in if direction == "in" else last_out
        if at > latest.get(pid, ""):
            latest[pid] = at
    people = conn.execute(
        "SELECT id, display_name, cadence_days, closeness, created_at, tie_strength, is_contact FROM people "
        "WHERE deleted_at IS NULL"
    ).fetchall()
    names = {row[0]: row[1] for row in people}
    newest, oldest = (now - timedelta(days=1)).strftime(STAMP), (now - timedelta(days=30)).strftime(STAMP)
    replies = sorted(
        (at, pid)
        for pid, at in last_in.items()
        if pid in names and oldest <= at <= newest and last_out.get(pid, "") < at
    )
    keep: list[tuple[float, int]] = []
    for pid, _name, cadence_days, closeness, created_at, tie, is_contact in people:
        cadence = cadence_days if cadence_days is not None else DEFAULT_CADENCE.get(closeness, 0)
        if not is_contact or cadence <= 0:
            continue
        last = datetime.strptime(last_any.get(pid, created_at)[:19], STAMP).replace(tzinfo=UTC)
        ratio = (now - last).total_seconds() / 86400 / cadence
        if ratio >= 1:
            keep.append((-ratio * (0.25 + tie), pid))
    keep.sort()
    return [pid for _, pid in replies], [pid for _, pid in keep], names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--json", action="store_true", help="Print the person ids of both lists.")
    args = parser.parse_args()
    replies, keep, names = lists(args.db, datetime.now(UTC))
    if args.json:
        print(json.dumps({"reply": replies, "keep-in-touch": keep}))
        return
    listing = [("reply", pid) for pid in replies] + [("keep-in-touch", pid) for pid in keep]
    for number, (action, pid) in enumerate(listing[:20], start=1):
        print(f"{number:>3}  {action:<14} {names[pid]}")
    print(f"({max(0, len(listing) - 20)} more)")


if __name__ == "__main__":
    main()
