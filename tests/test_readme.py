"""The README's shell blocks, run as written: the tour must stay true.

Each block after the quickstart runs line by line, in order, against one fresh
database, in a folder holding a copy of the sample files the README's import
lines read (`samples/`, shipped beside it), on a frozen day. Every import adds
something without a problem, and an `undo` right after one takes that import
back, as the tour says. The quickstart's two `make` commands are checked with a
dry run (running them here would start a server, or this very suite). The sync
tour runs against the local mail and DAV servers `tools/sync_servers.py` starts
(the script the README tells a reader to run), in a database of its own, and
what each of its commands prints is checked.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import NOW

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
SAMPLES = ROOT / "samples"
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
_COMMENT = re.compile(r"\s+#\s.*$")
_NOTHING_ADDED = re.compile(r"People: 0 added, 0 updated, 0 merged, 0 unchanged(, 0 conversations added|$)", re.M)


def _is_sync_tour(block: list[str]) -> bool:
    return any("$KNOWWHO_TOUR_" in line for line in block)


def shell_blocks() -> list[list[str]]:
    """Each ```sh block of the README as its command lines, comments and blank lines left out."""
    blocks = []
    for body in _BLOCK.findall(README.read_text(encoding="utf-8")):
        lines = [_COMMENT.sub("", line).strip() for line in body.splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def _home(tmp_path: Path) -> Path:
    """A folder like the repository's, for the tour: the samples beside it, nothing else."""
    home = tmp_path / "home"
    shutil.copytree(SAMPLES, home / "samples")
    return home


def test_every_file_the_readme_imports_ships_in_samples() -> None:
    imported = [shlex.split(line)[3] for block in shell_blocks() for line in block if line.startswith("knowwho import")]
    assert len(imported) >= 6
    for name in imported:
        assert name.startswith("samples/") and (ROOT / name).exists(), name


def _check_import_and_undo(line: str, previous: str, out: str) -> None:
    """An import adds something, cleanly; an undo right after one takes that import back out."""
    if line.startswith("knowwho import"):
        assert "problem" not in out and not _NOTHING_ADDED.search(out), f"{line}\n{out}"
    if line == "knowwho undo" and previous.startswith("knowwho import"):
        assert f"Undid: imported {Path(shlex.split(previous)[3]).name}" in out, f"{previous}; {line}\n{out}"


def test_the_quickstart_is_the_two_make_commands() -> None:
    assert shell_blocks()[0] == ["make run", "make test"]
    for target in ("run", "test"):
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False)
        assert dry.returncode == 0, dry.stderr


def test_every_other_shell_block_runs_as_written(tmp_path: Path) -> None:
    home = _home(tmp_path)
    env = {
        **os.environ, "HOME": str(home), "KNOWWHO_DB": str(tmp_path / "tour.db"), "KNOWWHO_NOW": NOW.isoformat(),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "120",
    }  # fmt: skip
    env.pop("KNOWWHO_PASSWORD", None)
    blocks = [block for block in shell_blocks()[1:] if not _is_sync_tour(block)]
    assert sum(len(block) for block in blocks) > 20
    previous = ""
    for block in blocks:
        for line in block:
            done = subprocess.run(["bash", "-c", line], cwd=home, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                pytest.fail(f"README line failed ({done.returncode}): {line}\n{done.stdout}\n{done.stderr}")
            assert "Traceback" not in done.stderr, line
            _check_import_and_undo(line, previous, done.stdout)
            previous = line


# What each line of the sync tour must print, in order (the samples' mail, cards and events, on the frozen day).
_SYNC_TOUR_SAYS: list[tuple[str, list[str]]] = [
    ("knowwho sync add imap mail ", ["Added imap source mail"]),
    ("knowwho sync add carddav address-book ", ["Added carddav source address-book"]),
    ("knowwho sync add caldav calendar ", ["Added caldav source calendar"]),
    ("knowwho sync", [
        "address-book: 3 people added\n",
        "calendar: 1 new conversation, 1 person added\n",
        "mail: 4 new conversations\n  skipped: 1 mailing lists and newsletters\n",
    ]),
    ("knowwho sync list", ["address-book  carddav", "calendar  caldav", "mail  imap  127.0.0.1  password: in /",
                           "imap-password  last run 2026-11-18"]),
    ("knowwho sync --json", []),  # checked below, as JSON
    ("knowwho sync", ["address-book: nothing new\ncalendar: nothing new\nmail: nothing new\n"]),
    ("knowwho today", ["reply    Omar Haddad  their email about “Coffee next week?” 3 days ago",
                       "prepare  Inès Moreau  “Interview at Hooli” tomorrow at 09:00"]),
    ("knowwho undo", ["Undid: synced mail: 4 new conversations."]),
]  # fmt: skip


@contextmanager
def _sync_servers(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The README's local servers, started by its own script; the variables its tour reads."""
    from tools.sync_servers import READY, missing

    problem = missing()
    if problem:
        pytest.skip(problem)
    script = subprocess.Popen([sys.executable, str(ROOT / "tools" / "sync_servers.py")], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert script.stdout is not None
        printed: list[str] = []
        while not printed or (not printed[-1].startswith(READY) and printed[-1]):  # until ready, or stopped
            printed.append(script.stdout.readline())
        exports = dict(
            line.removeprefix("export ").strip().split("=", 1) for line in printed if line.startswith("export ")
        )
        assert len(exports) == 5, printed
        yield exports
    finally:
        script.terminate()
        assert script.wait(timeout=30) == 0


def test_the_sync_tour_runs_against_local_servers(tmp_path: Path) -> None:
    env = {
        **os.environ, "HOME": str(_home(tmp_path)), "KNOWWHO_DB": str(tmp_path / "sync.db"),
        "KNOWWHO_NOW": NOW.isoformat(), "COLUMNS": "120",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }  # fmt: skip
    (tour,) = [block for block in shell_blocks() if _is_sync_tour(block)]
    assert [line[: len(start)] for line, (start, _says) in zip(tour, _SYNC_TOUR_SAYS, strict=True)] == [
        start for start, _says in _SYNC_TOUR_SAYS
    ]
    with _sync_servers(env) as exports:
        for line, (_start, says) in zip(tour, _SYNC_TOUR_SAYS, strict=True):
            done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env={**env, **exports},
                                  capture_output=True, text=True, check=False)  # fmt: skip
            assert done.returncode == 0 and not done.stderr, f"{line}\n{done.stdout}\n{done.stderr}"
            for expected in says:
                assert expected in done.stdout, f"{line}\n{done.stdout}"
            if line == "knowwho sync --json":
                runs = json.loads(done.stdout)
                assert [(r["name"], r["ok"], r["headline"]) for r in runs] == [
                    ("address-book", True, "nothing new"), ("calendar", True, "nothing new"), ("mail", True, "nothing new")
                ]  # fmt: skip
