"""The README's shell blocks, run as written: the tour must stay true.

Each block after the quickstart runs line by line, in order, against one fresh
database, in a folder holding a copy of the sample files the README's import
lines read (`samples/`, shipped beside it), on a frozen day. Every import adds
something without a problem, and an `undo` right after one takes that import
back, as the tour says. The quickstart's two `make` commands are checked with a
dry run (running them here would start a server, or this very suite).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
SAMPLES = ROOT / "samples"
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
_COMMENT = re.compile(r"\s+#\s.*$")
_NOTHING_ADDED = re.compile(r"People: 0 added, 0 updated, 0 merged, 0 unchanged(, 0 conversations added|$)", re.M)


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
    blocks = shell_blocks()[1:]
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
