"""IMAP sync against a real Dovecot server: headers only, incremental, idempotent, undoable, one line per failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import SyncFailed
from knowwho.services.imports import run_import
from knowwho.services.sync.kinds import SyncSummary
from knowwho.services.sync.runner import run_source, run_sources
from knowwho.services.sync.sources import imap_settings
from knowwho.storage.sync import SyncSource
from tests.sync.conftest import MBOX, seed
from tests.test_cli import kw_cli
from tools.local_servers.dovecot import PASSWORD, USER, Dovecot

ME = "me@example.org"


def conversations(kw: Knowwho) -> list[tuple[str, str, str, list[str]]]:
    rows = kw.db.conn.execute(
        """SELECT i.occurred_at, i.direction, i.subject,
                  (SELECT group_concat(e.email, ' ') FROM interaction_participants ip
                   JOIN person_emails e ON e.person_id = ip.person_id WHERE ip.interaction_id = i.id)
           FROM interactions i WHERE i.deleted_at IS NULL ORDER BY i.occurred_at, i.id"""
    ).fetchall()
    return [(r[0], r[1], r[2], sorted((r[3] or "").split())) for r in rows]


def sync(kw: Knowwho, name: str = "work") -> SyncSummary:
    return run_source(kw, kw.sync.get(name))


def test_a_first_sync_brings_what_import_mail_brings_and_never_fetches_a_body(
    kw: Knowwho, source: SyncSource, dovecot: Dovecot, tmp_path: Path
) -> None:
    summary = run_source(kw, source)
    assert (summary.new_conversations, summary.people_added) == (4, 4)
    assert "skipped: " in summary.lines[0] and "1 mailing lists and newsletters" in summary.lines[0]
    assert summary.problems == ["work INBOX, UID 6: unreadable Date 'sometime last week'; message skipped"]
    imported = Knowwho.open(tmp_path / "imported.db", clock=kw.ctx.clock)
    run_import(imported, "mail", MBOX, me=[ME])
    assert conversations(kw) == conversations(imported)
    imported.close()
    [session] = dovecot.sessions(wait_for=1)
    assert session.hdr_count == 11 and session.body_count == 0 and session.body_bytes == 0
    listed = kw.sync.get("work")
    assert listed.last_run_at == kw.ctx.now_stamp() and listed.last_error is None
    assert listed.last_summary is not None and listed.last_summary["new_conversations"] == 4


def test_a_second_run_fetches_nothing_and_adds_nothing(kw: Knowwho, source: SyncSource, dovecot: Dovecot) -> None:
    run_source(kw, source)
    before = conversations(kw)
    summary = sync(kw)
    assert summary.headline() == "nothing new"
    assert conversations(kw) == before
    assert [s.hdr_count for s in dovecot.sessions(wait_for=2)] == [11, 0]


def test_mail_already_imported_from_a_file_is_not_doubled(kw: Knowwho, source: SyncSource) -> None:
    run_import(kw, "mail", MBOX, me=[ME])
    before = conversations(kw)
    summary = run_source(kw, source)
    assert summary.new_conversations == 0 and summary.people_added == 0
    assert "5 already here (matched by Message-ID)" in summary.lines
    assert conversations(kw) == before


def test_a_renumbered_folder_is_read_again_and_adds_nothing(kw: Knowwho, source: SyncSource, dovecot: Dovecot) -> None:
    run_source(kw, source)
    before = conversations(kw)
    dovecot.renumber("INBOX", 424242)
    summary = sync(kw)
    assert summary.new_conversations == 0
    assert conversations(kw) == before
    assert dovecot.sessions(wait_for=2)[-1].hdr_count > 0  # the INBOX was read again


def test_new_mail_is_read_incrementally_and_a_reply_in_sent_clears_the_reply_owed(
    kw: Knowwho, source: SyncSource, dovecot: Dovecot
) -> None:
    run_source(kw, source)
    question = (b"From: Ada Lovelace <ada@example.com>\nTo: me@example.org\nSubject: Coffee next week?\n"
                b"Date: Tue, 10 Nov 2026 09:00:00 +0000\nMessage-ID: <coffee-1@example.com>\n\nShall we?\n")  # fmt: skip
    dovecot.deliver("INBOX", question, key="new1")
    assert sync(kw).new_conversations == 1
    assert [i.action for i in kw.agenda.today(remember=False).items] == ["reply"]
    answer = (b"From: me@example.org\nTo: Ada Lovelace <ada@example.com>\nSubject: Re: Coffee next week?\n"
              b"Date: Thu, 12 Nov 2026 09:00:00 +0000\nMessage-ID: <coffee-2@example.org>\n\nYes!\n")  # fmt: skip
    dovecot.deliver("Sent", answer, key="new2")
    summary = sync(kw)
    assert (summary.new_conversations, summary.replies_cleared) == (1, 1)
    assert [i.action for i in kw.agenda.today(remember=False).items] == []
    assert [s.hdr_count for s in dovecot.sessions(wait_for=3)] == [11, 1, 1]


def test_known_only_keeps_conversations_with_people_already_known(
    kw: Knowwho, dovecot: Dovecot, password_file: Path
) -> None:
    from tests.sync.conftest import mbox_messages

    seed(dovecot, mbox_messages())
    kw.people.add("Ada Lovelace", emails=["ada@example.com"])
    settings = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True, known_only=True)
    kw.sync.add("imap", "known", settings, password_file=str(password_file))
    summary = sync(kw, "known")
    assert summary.people_added == 0
    assert {tuple(c[3]) for c in conversations(kw)} == {("ada@example.com",)}
    assert "(--known-only)" in summary.lines[0]


def test_a_whole_sync_is_one_undoable_change(kw: Knowwho, source: SyncSource) -> None:
    summary = run_source(kw, source)
    [change] = kw.history.recent(limit=1)
    assert change.description == f"synced work: {summary.headline()}"
    kw.history.undo()
    assert conversations(kw) == [] and kw.people.count() == 0


def test_a_wrong_password_is_one_line_recorded_and_nothing_is_written(
    kw: Knowwho, dovecot: Dovecot, tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password-xyzzy")
    settings = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True)
    kw.sync.add("imap", "work", settings, password_file=str(wrong))
    with pytest.raises(SyncFailed) as failed:
        sync(kw)
    assert str(failed.value) == "work: the server refused the user name or password"
    assert kw.sync.get("work").last_error == str(failed.value)
    assert conversations(kw) == [] and [c.description for c in kw.history.recent()] == ["added sync source work (imap)"]
    wrong.write_text(PASSWORD)  # fixed: the next run works
    sync(kw)
    assert kw.sync.get("work").last_error is None


def test_an_unreachable_server_a_missing_folder_and_a_refused_certificate_are_one_line_each(
    kw: Knowwho, db_path: Path, dovecot: Dovecot, password_file: Path
) -> None:
    closed = imap_settings(host="127.0.0.1", port=1, user=USER, no_tls=True)
    kw.sync.add("imap", "closed", closed, password_file=str(password_file))
    folder = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True, folders=["Archive"])
    kw.sync.add("imap", "folder", folder, password_file=str(password_file))
    plain = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER)  # STARTTLS, which this server lacks
    kw.sync.add("imap", "tls", plain, password_file=str(password_file))
    outcomes = {o.source.name: o.error for o in run_sources(kw)}
    assert outcomes == {
        "closed": "closed: the server refused the connection (check the host and port)",
        "folder": "folder: folder 'Archive' does not exist on the server (or cannot be opened): check --folder",
        "tls": f"tls: the server does not offer STARTTLS on port {dovecot.port}: use port 993 (TLS)",
    }
    code, out, err = kw_cli(db_path, "sync", "folder")
    assert code == 3 and out == "" and err == f"knowwho: {outcomes['folder']}\n"
    assert conversations(kw) == []


def test_the_cli_shows_a_one_screen_summary_and_json(kw: Knowwho, source: SyncSource, db_path: Path) -> None:
    code, out, err = kw_cli(db_path, "sync")
    assert code == 0, err
    assert out.splitlines()[0] == "work: 4 new conversations, 4 people added, 1 problem"
    code, out, _ = kw_cli(db_path, "sync", "work", "--json")
    [outcome] = json.loads(out)
    assert outcome["ok"] is True and outcome["headline"] == "nothing new"
    assert PASSWORD not in out


def many_messages(count: int) -> list[bytes]:
    return [
        (f"From: Person {n} <p{n}@example.com>\nTo: me@example.org\nSubject: hello {n}\n"
         f"Date: Mon, 5 Oct 2026 10:{n % 60:02d}:00 +0000\nMessage-ID: <many-{n}@example.com>\n\nhi\n").encode()
        for n in range(count)
    ]  # fmt: skip


def test_a_sync_killed_mid_run_loses_nothing_and_the_next_run_completes_it_without_doubling(
    kw: Knowwho, db_path: Path, dovecot: Dovecot, password_file: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from knowwho.services.sync.imap import CHUNK

    count = 2 * CHUNK + 500  # several committed chunks, so the kill lands between two of them
    seed(dovecot, many_messages(count))
    settings = imap_settings(host="127.0.0.1", port=dovecot.port, user=USER, no_tls=True)
    kw.sync.add("imap", "work", settings, password_file=str(password_file))
    running = subprocess.Popen([sys.executable, "-m", "knowwho", "sync", "work", "--db", str(db_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    stored = 0
    deadline = time.monotonic() + 60
    while stored == 0 and time.monotonic() < deadline and running.poll() is None:
        stored = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
        time.sleep(0.01)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    kept = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    assert 0 < stored <= kept < count  # killed after a batch was committed, before the end
    summary = sync(kw)
    assert summary.new_conversations == count - kept  # the next run read on from where the killed one stopped
    total, distinct = kw.db.conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT source_message_id) FROM interactions"
    ).fetchone()
    assert total == distinct == count and kw.people.count() == count


def test_starttls_checks_the_certificate_and_a_ca_file_makes_it_trusted(
    kw: Knowwho, tmp_path: Path, password_file: Path
) -> None:
    import shutil

    from tests.sync.conftest import mbox_messages
    from tools.local_servers.dovecot import available, make_certificates

    if not available() or shutil.which("openssl") is None:
        pytest.skip("Dovecot or openssl is not installed")
    ca, cert, key = make_certificates(tmp_path)
    server = Dovecot(tls=(cert, key)).start()
    try:
        seed(server, mbox_messages())
        untrusted = imap_settings(host="127.0.0.1", port=server.port, user=USER)
        kw.sync.add("imap", "untrusted", untrusted, password_file=str(password_file))
        with pytest.raises(SyncFailed) as refused:
            sync(kw, "untrusted")
        assert str(refused.value).startswith("untrusted: the server's certificate was refused (")
        assert conversations(kw) == []
        trusted = imap_settings(host="127.0.0.1", port=server.port, user=USER, ca_file=str(ca))
        kw.sync.add("imap", "trusted", trusted, password_file=str(password_file))
        assert sync(kw, "trusted").new_conversations == 4
    finally:
        server.stop()
