"""Plain terminal output for `knowwho today`: the look of a borderless Rich table, without loading Rich.

`today` is the command run most, often from a shell's start-up, and Rich's
console and table cost about a third of its whole process. Its listing needs
little of them: columns two spaces apart, the last one wrapped at word
boundaries to the terminal's width, and bold, dim and cyan on a terminal.
Text is written as it is: never read as markup or emoji codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO
from unicodedata import combining, east_asian_width

BOLD, DIM, CYAN = "1", "2", "36"
_COLORS = {CYAN}  # dropped under NO_COLOR, which keeps bold and dim
GAP = "  "  # between two columns
# Control characters from imported text (an email subject) would move the cursor or restyle the terminal:
# shown as nothing, a tab as a space. C1 ones too (0x9b starts an escape sequence on some terminals).
UNPRINTABLE = {c: None for c in (*range(32), *range(127, 160)) if c != 10} | {9: " "}


def cells(text: str) -> int:
    """How many terminal columns `text` takes: wide (CJK) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words; a longer word is cut."""
    text = text.translate(UNPRINTABLE)
    if "\n" in text:  # the user's own line breaks stay
        return [line for part in text.split("\n") for line in wrap(part, width)]
    width = max(width, 1)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = cells(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:  # a word wider than the column: cut it, as Rich's "fold" does
            head = _cut(word, width)
            lines.append(head)
            word = word[len(head) :]
            size = cells(word)
        line, used = word, size
    lines.append(line)
    return lines


def _widest(text: str) -> int:
    """The width of the longest line of `text`, unwrapped."""
    return max(cells(line) for line in text.translate(UNPRINTABLE).split("\n"))


def _cut(word: str, width: int) -> str:
    """The longest start of `word` that fits `width` columns (at least one character)."""
    used = 0
    for n, char in enumerate(word):
        used += cells(char)
        if used > width:
            return word[: max(n, 1)]
    return word


def fit(widths: Sequence[int], room: int) -> list[int]:
    """Column widths that fit `room`: the widest columns give way first, down to the next widest."""
    widths = list(widths)
    while sum(widths) > room:
        top = max(widths)
        if top <= 1:
            break
        widest = [n for n, w in enumerate(widths) if w == top]
        below = max((w for w in widths if w < top), default=0)
        cut = min((top - below) * len(widest), sum(widths) - room)
        for k, n in enumerate(widest):  # share the cut, the first columns giving the odd column
            widths[n] -= cut // len(widest) + (k < cut % len(widest))
    return widths


class Terminal:
    """Where output goes, how wide it is, and whether it takes styles (bold, dim; colors: `colored`)."""

    def __init__(self, stream: TextIO, *, width: int = 80, styled: bool = False, colored: bool = False) -> None:
        self.stream, self.width, self.styled, self.colored = stream, width, styled, colored

    @classmethod
    def detect(cls, stream: TextIO | None = None) -> Terminal:
        """As Rich decides: COLUMNS, else the terminal's width, else 80; styles only on a terminal."""
        out = stream or sys.stdout
        env = os.environ
        styled = bool(env.get("FORCE_COLOR")) or (
            _isatty(out) and env.get("TERM", "").lower() not in ("dumb", "unknown")
        )
        return cls(stream=out, width=_width(env), styled=styled, colored=styled and not env.get("NO_COLOR"))

    def style(self, text: str, *codes: str) -> str:
        codes = tuple(c for c in codes if self.colored or c not in _COLORS) if self.styled else ()
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes and text else text

    def line(self, text: str, *codes: str) -> None:
        """A paragraph, wrapped at the terminal's width."""
        self._write("".join(self.style(part, *codes) + "\n" for part in wrap(text, self.width)))

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], *, styles: Sequence[str], right: Sequence[int] = ()
    ) -> None:
        """A borderless table: bold headers, one style per column (BOLD, CYAN or ""), columns `right` aligned."""
        natural = [max(_widest(text) for text in column) for column in zip(headers, *rows, strict=False)]
        widths = fit(natural, self.width - len(GAP) * (len(headers) - 1))
        out = [self._row(headers, widths, [BOLD] * len(headers), right)]
        out += [self._row(row, widths, styles, right) for row in rows]
        self._write("".join(out))

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()  # as Rich does: what is shown is out, whatever comes next

    def _row(self, texts: Sequence[str], widths: list[int], styles: Sequence[str], right: Sequence[int]) -> str:
        wrapped = [wrap(text, width) for text, width in zip(texts, widths, strict=True)]
        lines = []
        for n in range(max(len(column) for column in wrapped)):
            parts = []
            for k, column in enumerate(wrapped):
                text = column[n] if n < len(column) else ""
                pad = " " * (widths[k] - cells(text))
                shown = self.style(text, styles[k]) if styles[k] else text
                parts.append(pad + shown if k in right else shown + pad)
            lines.append(GAP.join(parts).rstrip(" ") + "\n")
        return "".join(lines)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _width(env: Mapping[str, str]) -> int:
    columns = env.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and 0 < len(columns) < 6 and int(columns) > 0:  # not "²"
        return int(columns)
    for fd in (0, 1, 2):  # as Rich does: a pipe's reader still sees the terminal it was started from
        try:
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80
