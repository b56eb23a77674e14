"""Faults a user meets: Ctrl+C in an import, a killed import, a busy database, a wrong --db, a busy port."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from knowwho.cli.app import app, open_app, run
from knowwho.core import Knowwho
from knowwho.errors import DatabaseBusy
from tests.importers.helpers import cli

ME = "me@example.org"


def write_mbox(path: Path, messages: int, *, body: bytes = b"hello\n") -> Path:
    """A mailbox of inbound messages from 500 correspondents, one message a minute."""
    with path.open("wb") as out:
        for n in range(messages):
            sender = f"person{n % 500}@example.com"
            minute = n % 60
            out.write(
                f"From {sender} Mon Jan  5 10:{minute:02d}:00 2026\n"
                f"From: Person {n % 500} <{sender}>\nTo: Me <{ME}>\n"
                f"Date: Mon, {1 + n % 28} Jan 2026 10:{minute:02d}:00 +0000\n"
                f"Subject: note {n}\nMessage-ID: <m{n}@example.com>\n\n".encode()
                + body
            )
    return path


def start_import(db: Path, mbox: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "KNOWWHO_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "knowwho", "import", "mail", str(mbox), "--me", ME],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM interactions").fetchone()[0])
    except sqlite3.OperationalError:  # tables not made yet
        return 0
    finally:
        conn.close()


# -- exit codes -----------------------------------------------------------------------------


def test_every_command_exit_code_reaches_the_shell(db_path: Path) -> None:
    code, _out, _err = cli(db_path, "find", "zzzz")
    assert code == 1
    code, _out, _err = cli(db_path, "add", "Ana Lima")
    assert code == 0


# -- --db -----------------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: milk, eggs\n" * 50)
    code, _out, err = cli(notes, "today")
    assert code == 2
    assert err.strip().splitlines() == [
        f"knowwho: {notes}: not a knowwho database (not an SQLite file, or a damaged one)"
    ]
    assert notes.read_text().startswith("shopping")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    code, _out, err = cli(tmp_path, "today")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "is a folder" in err


def test_missing_folders_are_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "dir" / "x.db"
    code, _out, err = cli(target, "add", "Ana")
    assert code == 2
    assert "does not exist" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


def test_another_programs_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    code, _out, err = cli(other, "today")
    assert code == 2 and "not a knowwho database" in err
    tables = sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("albums",)]


# -- serve ----------------------------------------------------------------------------------


def test_serve_on_a_busy_port_is_one_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(app, ["serve", "--port", str(port), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"knowwho: port {port} is already in use on 127.0.0.1; choose another with --port\n"
    assert not db_path.exists()  # refused before touching anything


# -- Ctrl+C and kill -9 during an import ----------------------------------------------------


def test_ctrl_c_during_an_import_keeps_a_consistent_database(tmp_path: Path) -> None:
    db, mbox = tmp_path / "kw.db", write_mbox(tmp_path / "mail.mbox", 20_000)
    importing = start_import(db, mbox)
    wait_for(lambda: stored(db) > 0 or importing.poll() is not None)
    importing.send_signal(signal.SIGINT)
    _out, err = importing.communicate(timeout=30)
    if importing.returncode == 0:
        pytest.skip("the import finished before it could be interrupted")
    assert importing.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("knowwho: interrupted: "), err
    assert lines[0].endswith("; run the same import again to finish")
    kept = stored(db)
    assert f"{kept:,} conversations" in lines[0] and kept < 20_000

    kw = Knowwho.open(db)
    try:  # every person's derived columns match the conversations that were kept
        rows = kw.db.conn.execute(
            """SELECT p.interaction_count, p.last_interaction_at, p.tie_strength,
                      (SELECT count(*) FROM interaction_participants ip WHERE ip.person_id = p.id),
                      (SELECT max(i.occurred_at) FROM interactions i
                         JOIN interaction_participants ip ON ip.interaction_id = i.id WHERE ip.person_id = p.id)
               FROM people p"""
        ).fetchall()
        assert rows and all(r[0] == r[3] and r[1] == r[4] for r in rows)
        assert all(r[2] > 0 for r in rows if r[3])
        history = kw.db.conn.execute("SELECT description FROM undo_log").fetchall()
        assert any("interrupted" in h[0] for h in history)
    finally:
        kw.close()

    finishing = start_import(db, mbox)
    assert finishing.wait(timeout=60) == 0
    assert stored(db) == 20_000


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader runs in a helper process on Linux only")
def test_the_mail_reader_stops_when_its_import_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "kw.db"
    mbox = write_mbox(tmp_path / "big.mbox", 28_000, body=b"x" * 600 + b"\n")  # over 16 MB: read by a helper
    importing = start_import(db, mbox)
    wait_for(lambda: bool(_children(importing.pid)) or importing.poll() is not None)
    helpers = _children(importing.pid)
    assert helpers, "no reader process"
    wait_for(lambda: stored(db) > 0 or importing.poll() is not None)
    importing.kill()
    importing.wait()
    try:
        wait_for(lambda: not any(_alive(pid) for pid in helpers), seconds=5)
    finally:
        for pid in helpers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- a busy database ------------------------------------------------------------------------


@pytest.fixture
def locked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> sqlite3.Connection:
    """Another program holding the write lock (the wait is shortened through the user setting)."""
    Knowwho.open(db_path).close()
    monkeypatch.setenv("KNOWWHO_BUSY_TIMEOUT", "1.2")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_busy_database_waits_then_fails_in_one_line(db_path: Path, locked: sqlite3.Connection) -> None:
    started = time.monotonic()
    code, _out, err = cli(db_path, "add", "Ana Lima")
    assert code == 2 and time.monotonic() - started >= 1.2
    assert err == f"knowwho: {db_path.name}: the database is busy: another program has been writing to it for " \
        "over 1.2 s; try again when it has finished (or wait longer: KNOWWHO_BUSY_TIMEOUT=SECONDS)\n"  # fmt: skip
    locked.execute("ROLLBACK")
    assert cli(db_path, "add", "Ana Lima")[0] == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_wait_is_said_on_a_line_erased_when_it_ends(
    db_path: Path, locked: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    kw = open_app(db_path)
    with pytest.raises(DatabaseBusy), kw.db.transaction():
        pass
    said = terminal.getvalue()
    assert said.startswith(f"\rknowwho: another program is writing to {db_path.name}; waited 1 s of 1.2 s…")
    assert said.endswith("\r\x1b[K") and "\n" not in said  # the error that follows is the one line left


def test_today_lists_while_another_program_writes(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its numbers are saved when the list changed; while the write lock is held, the items keep the last
    saved listing's numbers (what done, snooze and dismiss act on) and new ones have none."""
    for name in ("Ana Lima", "Bo Chen"):
        cli(db_path, "add", name)
        cli(db_path, "log", name, "--kind", "email", "--direction", "in", "--date", "2 days ago")
    assert [i["person"] for i in json.loads(cli(db_path, "today", "--json")[1])] == ["Ana Lima", "Bo Chen"]
    cli(db_path, "add", "Cy Park")
    cli(db_path, "log", "Cy Park", "--kind", "email", "--direction", "in", "--date", "3 days ago")
    monkeypatch.setenv("KNOWWHO_BUSY_TIMEOUT", "5")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    code, out, err = cli(db_path, "today", "--json")
    assert code == 0 and err == "" and time.monotonic() - started < 5
    assert [(i["number"], i["person"]) for i in json.loads(out)] == [(0, "Cy Park"), (1, "Ana Lima"), (2, "Bo Chen")]
    code, out, _err = cli(db_path, "today")
    assert code == 0 and "Bo Chen" in out and "new items get their numbers" in out
    holder.execute("ROLLBACK")
    assert cli(db_path, "done", "2", "--no-log")[1] == "Done: reply to Bo Chen.\n"
    listed = json.loads(cli(db_path, "today", "--json")[1])
    assert [(i["number"], i["person"]) for i in listed] == [(1, "Cy Park"), (2, "Ana Lima")]


def test_the_api_answers_503_with_retry_after_when_busy(db_path: Path, locked: sqlite3.Connection) -> None:
    from fastapi.testclient import TestClient

    from knowwho.web.app import create_app

    locked.execute("ROLLBACK")  # the server prepares its secrets first
    client = TestClient(create_app(db_path), base_url="http://127.0.0.1")
    client.get("/")
    locked.execute("BEGIN IMMEDIATE")
    response = client.post("/api/people", json={"name": "Ana"})
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert response.json()["type"] == "DatabaseBusy" and "busy" in response.json()["error"]
    assert response.json()["error"].startswith(f"{db_path.name}: ") and str(db_path.parent) not in response.text


def test_an_unreadable_busy_timeout_setting_is_named(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWWHO_BUSY_TIMEOUT", "soon")
    code, _out, err = cli(db_path, "today")
    assert code == 2 and "KNOWWHO_BUSY_TIMEOUT" in err


# Run as `python -c`: the import of `knowwho import mail`, whose database takes a while to close once it has
# finished (as a large write-ahead log does), saying when it starts to close in the file named first.
SLOW_TO_CLOSE = """
import atexit, gc, pathlib, sqlite3, sys, time
from knowwho.cli import main

gc.disable()  # what the command leaves is freed when collected on purpose, or as Python exits,
atexit.register(gc.enable)  # not at a moment of the collector's choosing
closing = pathlib.Path(sys.argv[1])
connect = sqlite3.connect

class SlowToClose(sqlite3.Connection):
    def __del__(self):
        closing.touch()
        time.sleep(1.5)

sqlite3.connect = lambda *args, **options: connect(*args, factory=SlowToClose, **options)
main(sys.argv[2:])
"""


def test_ctrl_c_as_a_finished_import_exits_is_one_line_and_130(tmp_path: Path) -> None:
    db, mbox, closing = tmp_path / "kw.db", write_mbox(tmp_path / "mail.mbox", 300), tmp_path / "closing"
    command = ["import", "mail", str(mbox), "--me", ME, "--db", str(db)]
    importing = subprocess.Popen([sys.executable, "-c", SLOW_TO_CLOSE, str(closing), *command],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    wait_for(lambda: closing.exists() or importing.poll() is not None, seconds=60)
    importing.send_signal(signal.SIGINT)
    out, err = importing.communicate(timeout=30)
    assert importing.returncode == 130, (importing.returncode, err)  # not ended by the signal itself (-2)
    assert err == "knowwho: interrupted as it ended; everything it did is saved\n" and "300 conversations added" in out
    assert stored(db) == 300
    assert cli(db, "history")[1].count("imported mail.mbox (mail)") == 1  # the import whole, not interrupted


def test_serve_on_port_0_shows_the_port_the_system_chose(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: served.update(options))
    assert run(app, ["serve", "--port", "0", "--db", str(db_path)]) == 0
    port = served["port"]
    assert isinstance(port, int) and port > 0
    assert capsys.readouterr().out.startswith(f"knowwho is at http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--host", " "], "knowwho: --host is empty: give an address such as 127.0.0.1\n"),
        (
            ["--host", "0.0.0.0", "--password-file", "BINARY"],
            "knowwho: BINARY: cannot read the password file (not text)\n",
        ),
    ],
)
def test_serve_refuses_an_empty_host_and_a_binary_password_file_in_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    binary = tmp_path / "password.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xd6\xff")
    args = [str(binary) if option == "BINARY" else option for option in options]
    assert run(app, ["serve", *args, "--port", "0", "--db", str(db_path)]) == 2
    assert capsys.readouterr().err == message.replace("BINARY", str(binary))


def test_serve_on_an_ipv6_address_in_brackets_listens_on_it(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: served.update(options))
    assert run(app, ["serve", "--host", "[::1]", "--port", "0", "--db", str(db_path)]) == 0
    assert served["host"] == "::1" and capsys.readouterr().out.startswith(
        f"knowwho is at http://[::1]:{served['port']}/"
    )
