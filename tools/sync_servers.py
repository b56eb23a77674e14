"""Local mail, address book and calendar servers to try `knowwho sync` on, with no account anywhere.

Starts, on this computer only (127.0.0.1), the servers the sync tests use:
Dovecot for IMAP (Debian's `dovecot-imapd`) holding the sample mail of
`samples/sync/mail/` (INBOX and Sent), and Radicale for CardDAV and CalDAV
(installed by `make test`) holding the address book `samples/sync/contacts.vcf`
and the calendar `samples/sync/calendar.ics`. The samples are dated around
2026-11-18; they are moved to today (or to `KNOWWHO_NOW`'s day) so that a reply
is owed and a meeting is tomorrow. It prints the `export` lines the README's
sync tour uses, then serves until Ctrl+C, which stops both and removes their
folder.

Run from the repository's folder: .venv/bin/python tools/sync_servers.py
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.local_servers.dovecot import DOVECOT, Dovecot, available  # noqa: E402
from tools.local_servers.dovecot import PASSWORD as IMAP_PASSWORD  # noqa: E402
from tools.local_servers.radicale import PASSWORD as DAV_PASSWORD  # noqa: E402
from tools.local_servers.radicale import DavServer, radicale  # noqa: E402

SAMPLES = ROOT / "samples" / "sync"
SAMPLE_DAY = date(2026, 11, 18)  # "today" for the samples: a reply is owed and a meeting is tomorrow
READY = "Serving; Ctrl+C stops both servers."
_DATE_HEADER = re.compile(r"^Date: (.*)$", re.MULTILINE)
_ICS_TIME = re.compile(r"^((?:DTSTART|DTEND|DTSTAMP)(?:;[^:\r\n]*)?:)(\d{8}T\d{6}Z?)", re.MULTILINE)


def missing() -> str:
    """What is not installed, as the line that says how to install it ("" when both servers are there)."""
    if not available():
        return f"Dovecot is not installed ({DOVECOT}): apt-get install dovecot-imapd"
    if importlib.util.find_spec("radicale") is None:
        return "Radicale is not installed: make test installs it (pip install -e '.[test]')"
    return ""


def today() -> date:
    stamp = os.environ.get("KNOWWHO_NOW")
    return datetime.fromisoformat(stamp).date() if stamp else datetime.now(UTC).date()


def moved_mail(message: str, days: int) -> str:
    def move(found: re.Match[str]) -> str:
        return f"Date: {format_datetime(parsedate_to_datetime(found.group(1)) + timedelta(days=days))}"

    return _DATE_HEADER.sub(move, message, count=1)


def moved_calendar(text: str, days: int) -> str:
    def move(found: re.Match[str]) -> str:
        value = found.group(2)
        moved = datetime.strptime(value[:15], "%Y%m%dT%H%M%S") + timedelta(days=days)
        return found.group(1) + moved.strftime("%Y%m%dT%H%M%S") + value[15:]

    return _ICS_TIME.sub(move, text)


def seed_mail(server: Dovecot, days: int) -> None:
    for folder in ("INBOX", "Sent"):
        for file in sorted((SAMPLES / "mail" / folder).glob("*.eml")):
            server.deliver(folder, moved_mail(file.read_text(encoding="utf-8"), days).encode(), key=file.stem)


def seed_dav(server: DavServer, days: int) -> tuple[str, str]:
    """The address book and the calendar, one item per card and per event, as a phone stores them; their URLs."""
    book, calendar = server.collection("addressbook"), server.collection("calendar")
    cards = SAMPLES.joinpath("contacts.vcf").read_text(encoding="utf-8")
    for card in re.findall(r"BEGIN:VCARD.*?END:VCARD\r?\n", cards, re.DOTALL):
        server.put(f"{book}{uuid.uuid4().hex}.vcf", card)
    events = moved_calendar(SAMPLES.joinpath("calendar.ics").read_text(encoding="utf-8"), days)
    head, _, rest = events.partition("BEGIN:VEVENT")
    for event in re.findall(r"BEGIN:VEVENT.*?END:VEVENT\r?\n", "BEGIN:VEVENT" + rest, re.DOTALL):
        server.put(f"{calendar}{uuid.uuid4().hex}.ics", f"{head}{event}END:VCALENDAR\r\n", "text/calendar")
    return book, calendar


@contextmanager
def servers(folder: Path) -> Iterator[dict[str, str]]:
    """Both servers, seeded; the environment variables the README's sync tour reads."""
    days = (today() - SAMPLE_DAY).days
    imap = Dovecot().start()
    try:
        seed_mail(imap, days)
        with radicale(folder) as dav:
            book, calendar = seed_dav(dav, days)
            imap_password, dav_password = folder / "imap-password", folder / "dav-password"
            imap_password.write_text(IMAP_PASSWORD + "\n")
            dav_password.write_text(DAV_PASSWORD + "\n")
            yield {
                "KNOWWHO_TOUR_IMAP_PORT": str(imap.port), "KNOWWHO_TOUR_IMAP_PASSWORD_FILE": str(imap_password),
                "KNOWWHO_TOUR_CARDDAV_URL": book, "KNOWWHO_TOUR_CALDAV_URL": calendar,
                "KNOWWHO_TOUR_DAV_PASSWORD_FILE": str(dav_password),
            }  # fmt: skip
    finally:
        imap.stop()


def main() -> None:
    problem = missing()
    if problem:
        sys.exit(problem)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop as Ctrl+C does: both servers, their folder
    with tempfile.TemporaryDirectory(prefix="knowwho-sync-servers-") as folder, servers(Path(folder)) as env:
        print("IMAP: 127.0.0.1, user me@example.org; CardDAV and CalDAV: user ada. In the shell of the tour:")
        for name, value in env.items():
            print(f"export {name}={value}")
        print(READY, flush=True)
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
