"""Benchmark: a first CardDAV sync of 5,000 cards and a first CalDAV sync of 2,000 events, beside a bare fetch.

Starts a Radicale server on a loopback port (filesystem store in a temporary
folder, plain htpasswd), writes the cards and events straight into its store
and lets it read them once (Radicale's own first look at new items is slow and
is not what is measured). Then, per collection, in the same run:

1. a bare HTTP fetch of the whole collection: the sync-collection REPORT and
   multiget REPORTs of every item (the same requests a sync makes), no parsing
   (run once before, so that the server's caches are as warm for both);
2. `knowwho sync NAME` as a whole process into a fresh database (a first sync),
   then again (nothing new), each with its CPU time (user+sys);
3. `knowwho import vcard` / `import ics` of the same cards and events from a
   file into a fresh database (the same rules and store, without the network),
   and the server's own answer to a sync with nothing new (the sync-collection
   REPORT with the current token: what a no-op sync cannot go below);
4. with `--baseline SRC`, the same two syncs by another version of knowwho (its
   `src` folder, e.g. `git worktree add /tmp/base main` then `/tmp/base/src`), in
   the same run against the same server, for a before/after.

Run: .venv/bin/python bench/bench_dav.py [--cards 5000] [--events 2000] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from tools.local_servers.radicale import PASSWORD, USER, calendar_text, radicale  # noqa: E402

ME = "me@example.org"


def card(number: int) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-{number}\r\nFN:Person {number}\r\nN:{number};Person;;;\r\n"
        f"EMAIL;TYPE=work:person{number}@example.com\r\nTEL;TYPE=cell:+1-418-555-{number % 10000:04d}\r\n"
        f"ORG:Company {number % 300}\r\nTITLE:Engineer\r\nEND:VCARD\r\n"
    )


def event(number: int) -> str:
    """A past meeting of 2025 with two people; every tenth a weekly series of ten."""
    start = f"2025{1 + number % 12:02d}{1 + number % 28:02d}T{8 + number % 9:02d}0000Z"
    rule = "RRULE:FREQ=WEEKLY;COUNT=10\r\n" if number % 10 == 0 else ""
    return calendar_text([
        f"BEGIN:VEVENT\r\nUID:event-{number}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:{start}\r\nDURATION:PT30M\r\n"
        f"{rule}SUMMARY:Meeting {number}\r\nORGANIZER:mailto:{ME}\r\n"
        f"ATTENDEE;CN=Person {number % 700};PARTSTAT=ACCEPTED:mailto:person{number % 700}@example.com\r\n"
        f"ATTENDEE;CN=Person {number % 500 + 1};PARTSTAT=ACCEPTED:mailto:person{number % 500 + 1}@example.com\r\n"
        "END:VEVENT"
    ])  # fmt: skip


def bare_fetch(url: str, kind: str) -> float:
    from knowwho.services.sync import dav

    collection = dav.address_book(url) if kind == "carddav" else dav.calendar(url)
    started = time.perf_counter()
    with dav.DavClient(collection, USER, PASSWORD) as client:
        hrefs = list(client.changes("").present)
        for start in range(0, len(hrefs), dav.MULTIGET_SIZE):
            client.fetch(hrefs[start : start + dav.MULTIGET_SIZE])
    return time.perf_counter() - started


def knowwho(db: Path, *args: str, src: str | None = None) -> tuple[float, float]:
    """Wall and CPU (user+sys) seconds of one whole `knowwho` process (`src`: another version's source folder)."""
    env = {**os.environ, "KNOWWHO_DB": str(db), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, as an installed knowwho runs
    if src:
        env["PYTHONPATH"] = src
    before, started = os.times(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "knowwho", *args], env=env, check=True, capture_output=True)
    wall, after = time.perf_counter() - started, os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def no_op_question(url: str, kind: str) -> float:
    """The server's answer to "what changed since this token?" when nothing did."""
    from knowwho.services.sync import dav

    collection = dav.address_book(url) if kind == "carddav" else dav.calendar(url)
    with dav.DavClient(collection, USER, PASSWORD) as client:
        token = client.changes("").token
        started = time.perf_counter()
        client.changes(token)
        return time.perf_counter() - started


def imported(folder: Path, kind: str, count: int) -> tuple[float, float]:
    """`knowwho import` of the same items from one file: wall and CPU."""
    if kind == "carddav":
        path = folder / "cards.vcf"
        path.write_text("".join(card(n) for n in range(count)), encoding="utf-8")
        return knowwho(folder / "import-vcard.db", "import", "vcard", str(path))
    path = folder / "events.ics"
    components = [text.split("PRODID:-//knowwho tests//dav//EN\r\n", 1)[1].rsplit("END:VCALENDAR", 1)[0]
                  for text in (event(n) for n in range(count))]  # fmt: skip
    path.write_text(calendar_text(components), encoding="utf-8")
    return knowwho(folder / "import-ics.db", "import", "ics", str(path), "--me", ME)


def synced_twice(folder: Path, label: str, kind: str, url: str, extra: list[str], src: str | None) -> list[float]:
    """A first sync into a fresh database and a second with nothing new: wall and CPU of each."""
    db, password = folder / f"{kind}-{label}.db", folder / "password"
    add = ["sync", "add", kind, "bench", "--url", url, "--user", USER, "--password-file", str(password), *extra]
    knowwho(db, *add, src=src)
    first, again = knowwho(db, "sync", "bench", src=src), knowwho(db, "sync", "bench", src=src)
    return [*first, *again]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--baseline", help="another version's src folder, timed beside in the same run")
    options = parser.parse_args()
    versions = [("this", None)] + ([("baseline", options.baseline)] if options.baseline else [])
    with tempfile.TemporaryDirectory() as folder, radicale(Path(folder)) as server:
        Path(folder, "password").write_text(PASSWORD + "\n")
        book, calendar = server.collection("addressbook"), server.collection("calendar")
        server.write_items(book, {f"card-{n}.vcf": card(n) for n in range(options.cards)})
        server.write_items(calendar, {f"event-{n}.ics": event(n) for n in range(options.events)})
        for url in (book, calendar):
            started = time.perf_counter()
            server.items(url)
            print(f"(radicale's own first read of {url}: {time.perf_counter() - started:.1f} s)")
        rows = []
        for kind, url, count, extra in (
            ("carddav", book, options.cards, []),
            ("caldav", calendar, options.events, ["--me", ME]),
        ):
            bare_fetch(url, kind)  # once to warm the server's caches: the syncs below find them warm too
            bare, question = bare_fetch(url, kind), no_op_question(url, kind)
            wall, cpu = imported(Path(folder), kind, count)
            print(f"{kind}: import of the same {count:,} items from a file {wall:.2f} s (CPU {cpu:.2f} s); "
                  f"the server's own answer to a sync with nothing new {question:.2f} s")  # fmt: skip
            for label, src in versions:
                rows.append((kind, label, count, bare, *synced_twice(Path(folder), label, kind, url, extra, src)))
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'source':8} {'version':8} {'items':>6} {'bare fetch':>11} {'first sync (cpu)':>18} {'ratio':>6} "
          f"{'nothing new (cpu)':>18}")  # fmt: skip
    for kind, label, count, bare, first, first_cpu, again, again_cpu in rows:
        print(f"{kind:8} {label:8} {count:6,} {bare:10.2f}s {first:8.2f}s ({first_cpu:5.2f}s) {first / bare:5.1f}x "
              f"{again:8.2f}s ({again_cpu:5.2f}s)")  # fmt: skip


if __name__ == "__main__":
    main()
