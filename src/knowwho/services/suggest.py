""" "Did you mean ...?": names close to what was typed, when a search finds nobody.

Small pure functions over words, so the ranking can be read and tested apart
from the queries that feed it. Words are compared folded (lower case, no
accents), as the full-text index stores them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from knowwho.services.highlight import fold

_WORD = re.compile(r"\w+", re.UNICODE)
SHORTEST = 3  # shorter words are too ambiguous to correct ("al" is close to half the names)
WORD_CUTOFF = 75.0  # one typo in a 4-8 letter word ("henri"/"henry" 80, "anna"/"ana" 86, "ben"/"ken" 67)
ALTERNATIVES = 8  # close words tried per word typed


def query_words(query: str) -> list[str]:
    """The words of a query worth correcting, folded."""
    return [w for w in (fold(m) for m in _WORD.findall(query)) if len(w) >= SHORTEST]


def close_words(word: str, vocabulary: Sequence[str], *, limit: int = ALTERNATIVES) -> list[str]:
    """Words of `vocabulary` within a typo or two of `word`, the closest first."""
    found = process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=limit)
    return [choice for choice, _score, _index in found]


def name_score(words: Sequence[str], name: str) -> float:
    """How close a name is to the words typed: each word's best match among the name's words, averaged."""
    parts = [fold(m) for m in _WORD.findall(name)]
    if not words or not parts:
        return 0.0
    return sum(max(fuzz.ratio(w, p) for p in parts) for w in words) / len(words)


def rank(words: Sequence[str], candidates: Sequence[tuple[int, str]], *, limit: int) -> list[int]:
    """Ids of the closest names; among equally close names the earlier candidate (the closer tie) first."""
    scored = [(-round(name_score(words, name)), order, pid) for order, (pid, name) in enumerate(candidates)]
    return [pid for _, _, pid in sorted(scored)[:limit]]
