"""Benchmark: `knowwho import mail` of a generated 100,000-message mbox, beside the standard library.

Generates bench/data/mail-<N>.mbox (2 KB bodies, realistic headers, a few
hundred correspondents, me as the sender of ~40%) unless it is already there,
then measures in the same run, on the same (page-cached) file:

1. the whole `knowwho import mail` command (parse and store into a fresh database), as a subprocess;
2. the standard library's `mailbox.mbox` + `email` header parse alone (BytesHeaderParser, compat32,
   reading the seven headers knowwho uses; `--everyday` also times plain `for m in mailbox.mbox(...)`,
   `--same-work` the stdlib also decoding addresses, dates and subjects as knowwho does);
3. knowwho's parse stage alone (split, header parse, decode, classify; no database);
4. a raw byte scan of the file (counting b"\\nFrom " with 1 MB reads): the limit.

Run: .venv/bin/python bench/bench_mail.py [--messages 100000] [--regenerate] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import email.policy
import json
import mailbox
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE / "data"
ME = "me@example.org"
HEADERS = ("From", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "Subject")

_FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Inès", "Jonas", "Kofi", "Lena", "Marta", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wen", "Ximena", "Yusuf", "Zoë"]  # fmt: skip
_LAST = ["Almeida", "Brandt", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Müller", "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz", "Zhang"]  # fmt: skip
_DOMAINS = ("example.com", "acme.test", "globex.test", "initech.test", "uni.example.edu", "mail.test")
_WORDS = ["the", "meeting", "project", "draft", "budget", "review", "thanks", "call", "next", "week", "would", "could", "agenda", "notes", "team", "plan", "update", "friday", "monday", "coffee", "introduction", "lunch", "contract", "slides", "question", "answer", "please", "share"]  # fmt: skip
_ZONES = ("+0000", "-0400", "-0700", "+0100", "+0200", "+0530", "+0900")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def generate(path: Path, count: int, seed: int = 7) -> None:
    """Write a deterministic mbox of `count` messages with ~2 KB bodies."""
    rng = random.Random(seed)
    people = []
    for i in range(300):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        address = f"{first.lower()}.{last.lower()}{i}@{rng.choice(_DOMAINS)}".encode("ascii", "ignore").decode()
        people.append((f"{first} {last}", address))
    bodies = []
    for _ in range(400):
        lines, size = [], 0
        while size < 2048:
            line = " ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + "."
            lines.append(line)
            size += len(line) + 1
        bodies.append("\n".join(lines).encode())
    start = datetime(2018, 1, 1, tzinfo=UTC)
    tmp = path.with_suffix(".part")
    with tmp.open("wb", buffering=1 << 20) as out:
        for n in range(count):
            when = start + timedelta(minutes=n * 37 + rng.randint(0, 30))
            zone = rng.choice(_ZONES)
            local = when + timedelta(hours=int(zone[:3]), minutes=int(zone[0] + zone[3:]))
            date = (f"{_DAYS[local.weekday()]}, {local.day} {_MONTHS[local.month - 1]} {local.year} "
                    f"{local:%H:%M:%S} {zone}")  # fmt: skip
            roll = rng.random()
            other = rng.choice(people)
            extra = rng.sample(people, rng.choice((0, 0, 0, 1, 2)))
            headers: list[str] = []
            if roll < 0.40:  # from me
                sender = ("Me Myself", ME)
                to = [other, *extra[:1]]
                cc = extra[1:]
            elif roll < 0.90:  # to me
                sender = other
                to = [("Me Myself", ME)]
                cc = extra
            elif roll < 0.95:  # a list
                sender = other
                to = [("Team list", "team@lists.example.com")]
                cc = []
                headers += ["List-Id: Team <team.lists.example.com>",
                            "List-Unsubscribe: <mailto:team-leave@lists.example.com>", "Precedence: list"]  # fmt: skip
            elif roll < 0.98:  # no-reply
                sender = ("Service", "no-reply@service.example.com")
                to = [("Me Myself", ME)]
                cc = []
            else:  # not mine
                sender = other
                to = [rng.choice(people)]
                cc = []
            subject = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 7)))
            if rng.random() < 0.1:
                subject = "=?UTF-8?Q?R=C3=A9union_" + subject.replace(" ", "_") + "?="
            elif rng.random() < 0.3:
                subject = "Re: " + subject
            fmt = ", ".join(f'"{name}" <{addr}>' if rng.random() < 0.2 else f"{name} <{addr}>" for name, addr in to)
            lines = [
                f"From {sender[1]} {local:%a %b %d %H:%M:%S %Y}",
                f"Return-Path: <{sender[1]}>",
                f"Received: from mx{n % 7}.example.net (mx{n % 7}.example.net [192.0.2.{n % 250}])\n"
                f"\tby mail.example.org (Postfix) with ESMTPS id {n:08X}\n\tfor <{ME}>; {date}",
                f"Received: from client.example.net by mx{n % 7}.example.net with ESMTP; {date}",
                f"Message-ID: <{n}.{seed}.{rng.getrandbits(32):08x}@{sender[1].split('@')[1]}>",
                f"Date: {date}",
                f"From: {sender[0]} <{sender[1]}>",
                f"To: {fmt}",
            ]
            if cc:
                lines.append("Cc: " + ",\n ".join(f"{name} <{addr}>" for name, addr in cc))
            lines.append(f"Subject: {subject}")
            if rng.random() < 0.3 and n:
                lines.append(f"In-Reply-To: <{n - 1}.{seed}.00000000@example.com>")
            lines += headers
            lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                      "Content-Transfer-Encoding: 8bit", "X-Mailer: BenchMailer 1.0"]  # fmt: skip
            out.write("\n".join(lines).encode() + b"\n\n" + rng.choice(bodies) + b"\n\n")
    tmp.replace(path)


# -- the four measurements ------------------------------------------------------------------


@dataclass
class Timing:
    wall: float  # seconds
    cpu: float  # seconds of processor time (user + system), steadier than wall time on a busy machine
    count: int


def measure_import(path: Path, db: Path) -> tuple[Timing, dict[str, Any], int]:
    """The whole command as a user runs it; returns its timing, its JSON report and its peak RSS in KB."""
    command = [sys.executable, "-m", "knowwho", "import", "mail", str(path), "--me", ME, "--db", str(db), "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads(done.stdout)
    return Timing(wall, cpu, 0), report, after.ru_maxrss


def _timed(function: Callable[[Path], int], path: Path) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    count = function(path)
    return Timing(time.perf_counter() - wall, time.process_time() - cpu, count)


def stdlib_parse(path: Path) -> int:
    """mailbox.mbox + email's header-only parser, reading the seven headers knowwho uses."""
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    box = mailbox.mbox(str(path), create=False)
    count = 0
    for key in box.iterkeys():
        message = parser.parsebytes(box.get_bytes(key))
        for name in HEADERS:
            message.get(name)
        count += 1
    box.close()
    return count


def stdlib_same_work(path: Path) -> int:
    """The standard library doing what knowwho's parse stage does: addresses, UTC dates, decoded subjects."""
    from email.header import decode_header, make_header
    from email.utils import getaddresses, parsedate_to_datetime

    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    box = mailbox.mbox(str(path), create=False)
    count = 0
    for key in box.iterkeys():
        message = parser.parsebytes(box.get_bytes(key))
        for name in ("From", "To", "Cc", "Bcc"):
            getaddresses(message.get_all(name, []))
        with contextlib.suppress(TypeError, ValueError):
            parsedate_to_datetime(message.get("Date", "")).astimezone(UTC)
        str(make_header(decode_header(message.get("Subject", ""))))
        message.get("Message-ID"), message.get("List-Id"), message.get("Precedence"), message.get("Auto-Submitted")
        count += 1
    box.close()
    return count


def stdlib_messages(path: Path) -> int:
    """The everyday way: iterate mailbox.mbox (a full email.message object per message)."""
    count = 0
    for message in mailbox.mbox(str(path), create=False):
        for name in HEADERS:
            message.get(name)
        count += 1
    return count


def knowwho_parse(path: Path) -> int:
    """knowwho's parse stage, in this process: split, header parse, decode and classify; no database."""
    from knowwho.dates import recorded_days
    from knowwho.importers.mail_reader import MailSource, read_batches

    source = MailSource(path, "mbox", path.stat().st_size)
    days = recorded_days(datetime.now().date())
    count = 0
    for batch in read_batches([source], frozenset({ME}), days=days, batch_size=2000):
        count += len(batch.items) + sum(batch.skipped.values()) + len(batch.problems)
    return count


def raw_scan(path: Path) -> int:
    """The limit: read the file in 1 MB blocks and count message separators."""
    count = 0
    tail = b""
    with path.open("rb", buffering=0) as stream:
        while block := stream.read(1 << 20):
            data = tail + block
            count += data.count(b"\nFrom ")
            tail = data[-5:]
    return count + 1


def profile_import(path: Path) -> None:
    import cProfile
    import pstats

    from knowwho.core import Knowwho
    from knowwho.services.imports import run_import

    with tempfile.TemporaryDirectory() as tmp:
        kw = Knowwho.open(Path(tmp) / "profile.db")
        profiler = cProfile.Profile()
        profiler.enable()
        run_import(kw, "mail", path, me=[ME])
        profiler.disable()
        kw.close()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--profile", action="store_true", help="also profile the import in-process")
    parser.add_argument("--everyday", action="store_true", help="also time plain mailbox.mbox iteration")
    parser.add_argument("--same-work", action="store_true", help="also time the stdlib decoding what knowwho decodes")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"mail-{args.messages}.mbox"
    if args.regenerate or not path.exists():
        started = time.perf_counter()
        generate(path, args.messages)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    size_mb = path.stat().st_size / 1e6
    print(f"mailbox: {path} ({args.messages:,} messages, {size_mb:.0f} MB); Python {sys.version.split()[0]}")

    scan = _timed(raw_scan, path)  # also warms the page cache for everyone after
    with tempfile.TemporaryDirectory() as tmp:
        whole, report, peak_kb = measure_import(path, Path(tmp) / "bench.db")
    whole.count = args.messages
    stdlib = _timed(stdlib_parse, path)
    parse = _timed(knowwho_parse, path)
    everyday = _timed(stdlib_messages, path) if args.everyday else None
    same_work = _timed(stdlib_same_work, path) if args.same_work else None

    n = args.messages

    def line(label: str, t: Timing) -> str:
        return f"{label:<44}{n / t.wall:>9,.0f} msg/s  wall {t.wall:6.2f} s   cpu {t.cpu:6.2f} s"

    print(line("(1) knowwho import mail, whole command", whole) + f"   peak RSS {peak_kb / 1024:.0f} MB")
    print(line("(2) stdlib mailbox + email header parse", stdlib))
    print(line("(3) knowwho parse stage alone", parse))
    print(line("(4) raw byte scan (the limit)", scan))
    if everyday is not None:
        print(line("    stdlib mailbox iteration (full messages)", everyday))
    if same_work is not None:
        print(line("    stdlib parse + the same decoding", same_work))
    print(f"messages seen: stdlib {stdlib.count:,}, parse {parse.count:,}, scan {scan.count:,}")
    added, existing = report["interactions_added"], report["interactions_existing"]
    print(f"import report: {report['added']} people added, {added} conversations added, "
          f"{existing} already here, {report['knows_added']} acquaintances, skipped {report['skipped']}, "
          f"{len(report['problems'])} problems")  # fmt: skip
    for label, a, b in (
        ("whole import vs stdlib parse alone", stdlib, whole),
        ("parse stage vs stdlib parse", stdlib, parse),
    ):
        print(f"ratio {label:<36} wall {a.wall / b.wall:5.1f}x   cpu {a.cpu / b.cpu:5.1f}x")
    if same_work is not None:
        print(f"ratio {'whole import vs stdlib same work':<36} wall {same_work.wall / whole.wall:5.1f}x   "
              f"cpu {same_work.cpu / whole.cpu:5.1f}x")  # fmt: skip
    print(f"ratio {'raw scan vs parse stage (the limit)':<36} wall {parse.wall / scan.wall:5.1f}x   "
          f"cpu {parse.cpu / max(scan.cpu, 1e-9):5.1f}x")  # fmt: skip
    target = stdlib.wall / whole.wall
    print(f"target: whole import >= 3x faster than stdlib parse alone (wall): {'met' if target >= 3 else 'NOT met'}")
    if args.profile:
        profile_import(path)


if __name__ == "__main__":
    main()
