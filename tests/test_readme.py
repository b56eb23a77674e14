"""The README's shell blocks, run as written: the tour must stay true.

Each block after the quickstart runs line by line, in order, against one fresh
database, in a home folder holding the files the README names (copied from
this repository's test files), on a frozen day. The quickstart's two `make`
commands are checked with a dry run (running them here would start a server,
or this very suite).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, NOW

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
_COMMENT = re.compile(r"\s+#\s.*$")
# The files the README's import lines name, made from the test files.
HOME_FILES = {
    "contacts.vcf": FIXTURES / "vcard" / "ezvcard_John_Doe_IPHONE.vcf",
    "google-contacts.csv": FIXTURES / "csv" / "google_contacts.csv",
    "people.csv": FIXTURES / "csv" / "custom_columns.csv",
    "Mail/archive.mbox": FIXTURES / "email" / "mbox" / "knowwho_conversations.mbox",
    "calendar.ics": FIXTURES / "ics" / "knowwho_meetings.ics",
}


def shell_blocks() -> list[list[str]]:
    """Each ```sh block of the README as its command lines, comments and blank lines left out."""
    blocks = []
    for body in _BLOCK.findall(README.read_text(encoding="utf-8")):
        lines = [_COMMENT.sub("", line).strip() for line in body.splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for name, source in HOME_FILES.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, home / name)
    (home / "Downloads").mkdir(exist_ok=True)
    with zipfile.ZipFile(home / "Downloads" / "Basic_LinkedInDataExport.zip", "w") as export:
        export.write(FIXTURES / "linkedin" / "yangdb_Connections.csv", "Connections.csv")
        export.write(FIXTURES / "linkedin" / "yangdb_messages.csv", "messages.csv")
    return home


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
    for block in blocks:
        for line in block:
            done = subprocess.run(["bash", "-c", line], cwd=home, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                pytest.fail(f"README line failed ({done.returncode}): {line}\n{done.stdout}\n{done.stderr}")
            assert "Traceback" not in done.stderr, line
