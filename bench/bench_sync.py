"""Benchmark: a first IMAP sync beside `knowwho import mail` of the same messages, and a sync with nothing new.

Generates N messages (bench_mail's generator), puts them in the maildir of a
local Dovecot server (tests/sync/dovecot.py), then measures, each as a whole
`knowwho` process on a fresh database:

1. `knowwho import mail MAILDIR` (the baseline);
2. `knowwho sync` of the same messages over IMAP (target: at most 1.5x the import);
3. `knowwho sync` again, with nothing new (target: under 0.5 s);

and, beside them, a bare `imaplib` fetch of the same header fields from both
folders (what any IMAP client must pay before it stores anything).

Run: .venv/bin/python bench/bench_sync.py [--messages 20000]   (needs dovecot-imapd)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_mail import ME, generate  # noqa: E402
from tools.local_servers.dovecot import PASSWORD, Dovecot, available  # noqa: E402

_SEPARATOR = re.compile(rb"^From \S+ .*\n", re.MULTILINE)


def knowwho(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "knowwho", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bare_fetch(port: int) -> float:
    """Seconds for imaplib alone to log in and fetch the header fields knowwho reads, from INBOX and Sent."""
    import imaplib

    from knowwho.services.sync.imap import FIELDS

    started = time.perf_counter()
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login(ME, PASSWORD)
    for folder in ("INBOX", "Sent"):
        client.select(folder, readonly=True)
        client.uid("FETCH", "1:*", f"(UID BODY.PEEK[HEADER.FIELDS ({FIELDS})])")
    client.logout()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    count = parser.parse_args().messages
    if not available():
        sys.exit("dovecot is not installed (apt-get install dovecot-imapd)")
    work = Path(tempfile.mkdtemp(prefix="knowwho-bench-sync-"))
    mbox = work / "mail.mbox"
    generate(mbox, count)
    messages = [m for m in _SEPARATOR.split(mbox.read_bytes()) if m.strip()]
    server = Dovecot().start()
    try:
        for number, message in enumerate(messages):
            sent = b"\nFrom: " in b"\n" + message[:2000] and f"<{ME}>".encode() in message.split(b"\n\n", 1)[0]
            server.deliver("Sent" if sent else "INBOX", message, key=f"b{number:07d}")
        env = {**os.environ, "KNOWWHO_DB": str(work / "imported.db")}
        imported = knowwho("import", "mail", str(server.maildir), "--me", ME, env=env)
        env["KNOWWHO_DB"] = str(work / "synced.db")
        (work / "pw").write_text(PASSWORD)
        knowwho("sync", "add", "imap", "bench", "--host", "127.0.0.1", "--port", str(server.port), "--user", ME,
                "--password-file", str(work / "pw"), "--no-tls", env=env)  # fmt: skip
        first = knowwho("sync", env=env)
        again = min(knowwho("sync", env=env) for _ in range(3))
        bare = min(bare_fetch(server.port) for _ in range(3))
    finally:
        server.stop()
    print(f"{len(messages):,} messages")
    print(f"import mail (maildir)   {imported:7.2f} s")
    print(f"first sync (IMAP)       {first:7.2f} s   {first / imported:.2f}x the import (target <= 1.5x)")
    print(f"sync with nothing new   {again:7.2f} s   (target < 0.5 s)")
    print(
        f"bare imaplib fetch      {bare:7.2f} s   of the same header fields; the first sync is {first / bare:.1f}x it"
    )


if __name__ == "__main__":
    main()
