"""Benchmark: a first CardDAV sync of 5,000 cards and a first CalDAV sync of 2,000 events, beside a bare fetch.

Starts a Radicale server on a loopback port (filesystem store in a temporary
folder, plain htpasswd), writes the cards and events straight into its store
and lets it read them once (Radicale's own first look at new items is slow and
is not what is measured). Then, per collection, in the same run:

1. a bare HTTP fetch of the whole collection: the sync-collection REPORT and
   multiget REPORTs of every item (the same requests a sync makes), no parsing
   (run once before, so that the server's caches are as warm for both);
2. `knowwho sync NAME` as a whole process into a fresh database (a first sync).

Run: .venv/bin/python bench/bench_dav.py [--cards 5000] [--events 2000]
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

from tests.dav_server import PASSWORD, USER, calendar_text, radicale  # noqa: E402

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


def knowwho(db: Path, *args: str) -> float:
    env = {**os.environ, "KNOWWHO_DB": str(db), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "knowwho", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--events", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, radicale(Path(folder)) as server:
        password = Path(folder) / "password"
        password.write_text(PASSWORD + "\n")
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
            db = Path(folder) / f"{kind}.db"
            knowwho(
                db, "sync", "add", kind, "bench", "--url", url, "--user", USER, "--password-file", str(password), *extra
            )
            bare_fetch(url, kind)  # once to warm the server's caches: the sync below finds them warm too
            bare = bare_fetch(url, kind)
            synced = knowwho(db, "sync", "bench")
            again = knowwho(db, "sync", "bench")
            rows.append((kind, count, bare, synced, again))
    print(f"{'source':8} {'items':>6} {'bare fetch':>11} {'first sync':>11} {'ratio':>6} {'nothing new':>12}")
    for kind, count, bare, synced, again in rows:
        print(f"{kind:8} {count:6,} {bare:10.2f}s {synced:10.2f}s {synced / bare:5.1f}x {again:11.2f}s")


if __name__ == "__main__":
    main()
