"""Every importer, fed damaged and wrong files, answers in plain words: exit 0 or 2, never a traceback.

Files are built from the real fixtures in tests/data: cut short, with bits
flipped, or handed to another kind's importer, and run through the CLI as a
user runs it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers.helpers import cli

DATA = Path(__file__).parent.parent / "data"
ME = "me@example.org"
KINDS = ("vcard", "ics", "csv", "linkedin", "mail", "json")
_SMALL = 64 * 1024  # larger fixtures (a photo-heavy vCard) are cut to this before damage
FIXTURES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.stat().st_size > 0)
# What Python, a library or the operating system says, never what knowwho says to a person.
PYTHON_TEXT = re.compile(
    r"Traceback|Error:|object has no attribute|unhashable|errno|\bNoneType\b|KeyError|IndexError|"
    r"codec can't|not subscriptable|invalid literal for|object is not|unexpected keyword",
    re.IGNORECASE,
)


def _damaged(data: bytes, how: str, at: float, flips: list[tuple[float, int]]) -> bytes:
    if how == "truncated":
        return data[: int(len(data) * at)]
    if how == "bit-flipped":
        damaged = bytearray(data)
        for where, bit in flips:
            index = min(len(damaged) - 1, int(len(damaged) * where))
            damaged[index] ^= 1 << bit
        return bytes(damaged)
    return data  # whole, for another kind's importer


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fixture=st.sampled_from(FIXTURES),
    kind=st.sampled_from(KINDS),
    how=st.sampled_from(["truncated", "bit-flipped", "cross-format"]),
    at=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 7)), min_size=1, max_size=12),
)
def test_no_damaged_or_wrong_file_gets_python_text_or_a_traceback(
    fixture: Path, kind: str, how: str, at: float, flips: list[tuple[float, int]]
) -> None:
    data = _damaged(fixture.read_bytes()[:_SMALL], how, at, flips)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / fixture.name
        path.write_bytes(data)
        args = ["import", kind, str(path)] + (["--me", ME] if kind in ("ics", "mail") else [])
        code, out, err = cli(Path(folder) / "fuzz.db", *args)
    shown = out + err
    assert code in (0, 2), f"exit {code} importing {how} {fixture.name} as {kind}:\n{shown}"
    found = PYTHON_TEXT.search(shown)
    assert found is None, f"{found[0]!r} shown importing {how} {fixture.name} as {kind}:\n{shown}"
