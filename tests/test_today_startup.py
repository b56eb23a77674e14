"""`knowwho today` loads the modules of what its list shows, not the people, templates or journal machinery."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.importers.helpers import cli

NOT_NEEDED = (
    "knowwho.services.people",
    "knowwho.services.duplicates",
    "knowwho.services.templates",
    "knowwho.services.interactions",
    "knowwho.storage.journal",
)


def test_today_loads_neither_the_people_service_nor_the_drafting_or_undo_machinery(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima", "--email", "ana@lima.org")[0] == 0
    assert cli(db_path, "log", "ana", "--kind", "email", "--direction", "in", "--date", "3 days ago")[0] == 0
    script = (
        "import sys\nfrom knowwho.cli.app import app, run\n"
        f"code = run(app, ['today', '--db', {str(db_path)!r}])\n"
        f"print(code, [m for m in {NOT_NEEDED!r} if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "Ana Lima" in result.stdout  # the reply owed is listed
    assert result.stdout.splitlines()[-1] == "0 []"
