"""Where a search matched: plain text plus the character ranges to highlight.

Every face draws the same value its own way: `<mark>` on the web (each piece
escaped), a style in the terminal, offsets in JSON. The text itself is never
markup, so a name like "[bold]Ana" is shown exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Markers the full-text snippets wrap matches in: private-use characters nobody types.
OPEN, CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Marked:
    text: str
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) character offsets, sorted, apart

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, highlighted) runs, in order."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.highlights:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "highlights": [list(span) for span in self.highlights]}


def from_snippet(snippet: str) -> Marked:
    """A full-text snippet whose matches sit between OPEN and CLOSE -> plain text and ranges."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for char in snippet:
        if char == OPEN:
            start = length
        elif char == CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            text.append(char)
            length += 1
    return Marked("".join(text), tuple(_merge(spans)))


def mark_words(text: str, words: list[str]) -> Marked:
    """Highlight each word of `text` that starts with one of `words` (as the full-text search matches)."""
    keys = [fold(w) for w in words if w.strip()]
    spans: list[tuple[int, int]] = []
    for found in _WORD.finditer(text):
        token = fold(found.group())
        best = max((len(k) for k in keys if token.startswith(k)), default=0)
        if best:
            spans.append((found.start(), found.start() + _prefix_length(found.group(), best)))
    return Marked(text, tuple(spans))


def mark_prefix(text: str, query: str) -> Marked:
    """Highlight the start of `text` when it begins with `query` (emails, tags)."""
    size = len(query)
    return Marked(text, ((0, size),) if size and text.lower().startswith(query.lower()) else ())


def fold(text: str) -> str:
    """Lower case without accents: how the full-text index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _prefix_length(word: str, folded_length: int) -> int:
    """How many characters of `word` make up its first `folded_length` folded characters."""
    for end in range(1, len(word) + 1):
        if len(fold(word[:end])) >= folded_length:
            return end
    return len(word)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
