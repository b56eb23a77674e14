"""Matching by meaning (DESIGN 4.4): texts compared as vectors, beside the word match.

People write the same thing in different words ("defending my thesis" /
"finishing my PhD"). Each text becomes a vector from wordllama's static word
embeddings, which its wheel ships (16 MB): the model is loaded from the
package's own folder with downloads disabled, so nothing is fetched at run
time. Static embeddings share a common direction that makes any two texts look
somewhat alike, so vectors are centred on the mean of a fixed set of everyday
phrases before their cosine is taken.

Two texts match by meaning when their cosine reaches FLOOR and each is among
the other's MUTUAL nearest texts (a lone weak likeness is noise). Nearest
neighbours come from numpy matrix products over blocks of rows, never a loop
over pairs; identical texts are embedded once and vectors are kept in memory
for the process.

Without the package (or with KNOWWHO_MEANING=off) `available()` is False,
every match here is empty, and callers keep their word match alone.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from knowwho.storage import meaning as store

if TYPE_CHECKING:
    import sqlite3

    import numpy as np

    from knowwho.storage.network import NetworkReader

OFF = ("off", "0", "no", "false")  # KNOWWHO_MEANING values that turn matching by meaning off
MODEL = "l2_supercat_256.c1"  # the model and the centring of its vectors: kept vectors are read back only for these
DIMENSIONS = 256
WORDS = "words"
MEANING = "meaning and words"
FLOOR = 0.15  # centred cosine: "defending my thesis" / "finishing my PhD" is 0.18; most unrelated phrases stay below
QUERY_FLOOR = 0.3  # a short query (a field, a search) against many texts needs a clearer likeness
MUTUAL = 1  # each text must be the other's nearest: a static model's weak likenesses are noise otherwise
BLOCK = 512  # rows per matrix product: 512 × 100,000 cosines is 200 MB of float32, so blocks stay smaller
CACHED = 200_000  # texts whose vectors are kept in memory
MIN_MATCH = 0.2  # what FLOOR maps to: the lowest match worth showing
# Everyday phrases whose mean vector is the common direction taken out of every vector.
BACKGROUND = (
    "moving to a new city", "changing jobs", "raising money for a startup", "learning to code",
    "looking for a mentor", "hiring an engineer", "advice on taxes", "a speaker for an event",
    "reviewing CVs", "introductions to investors", "Software Engineer", "Nurse", "Teacher", "Sales Manager",
    "Accountant", "Product Manager", "Lawyer", "Chef", "Designer", "Recruiter", "writing a book",
    "buying a house", "training for a marathon", "returning to work after leave", "starting a podcast",
    "planning a wedding", "selling a company", "finishing a degree", "managing a team", "a good dentist",
)  # fmt: skip


def available() -> bool:
    """Whether the embedding model is installed and may be used (without loading it: that waits for a new text)."""
    from importlib.util import find_spec

    return os.environ.get("KNOWWHO_MEANING", "").strip().lower() not in OFF and find_spec("wordllama") is not None


def method() -> str:
    """What matching uses: meaning and words, or words alone."""
    return MEANING if available() else WORDS


@lru_cache(maxsize=1)
def _model() -> Any:
    if not available():
        return None
    try:
        from pathlib import Path

        import wordllama
    except ImportError:
        return None
    # wordllama looks for its tokenizer under a cache folder: the package's own folder holds both files.
    folder = Path(wordllama.__file__).parent
    try:
        return wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
    except (OSError, ValueError):
        return None


_vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # this process's vectors, by text
_unsaved: set[str] = set()  # texts the database read last lacked: `keep` writes their vectors


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of the texts (one row each), centred on everyday phrases; needs `available()`.

    The model loads only for a text not seen before (in this process or, after `recall`, in the database);
    a model that fails to load gives zero vectors, which match nothing.
    """
    import numpy as np

    missing = list(dict.fromkeys(t for t in texts if t not in _vectors))
    if missing:
        model = _model()
        rows = _centred(model.embed(missing, norm=True)) if model else np.zeros((len(missing), DIMENSIONS), np.float32)
        for text, row in zip(missing, rows, strict=True):
            _vectors[text] = row
        if not model:
            _unsaved.difference_update(missing)  # zero vectors are not worth keeping
        while len(_vectors) > CACHED:
            _unsaved.discard(_vectors.popitem(last=False)[0])
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([_vectors[t] for t in texts])


def recall(conn: sqlite3.Connection, texts: Sequence[str]) -> None:
    """Take the vectors of these texts kept by earlier runs, so the model need not load for them."""
    import numpy as np

    keys = {_key(t): t for t in dict.fromkeys(texts)}
    kept = store.cached_values(conn, keys)
    for key, text in keys.items():
        if key not in kept:
            _unsaved.add(text)  # embedded here, or by this process for another database
        elif text not in _vectors:
            _vectors[text] = np.frombuffer(base64.b64decode(kept[key]), dtype=np.float32)


def keep(conn: sqlite3.Connection) -> None:
    """Keep the vectors of texts the database lacks, for later runs (a cache: not a change of the user's)."""
    vectors = {_key(t): base64.b64encode(_vectors[t].tobytes()).decode() for t in _unsaved if t in _vectors}
    store.keep_values(conn, vectors)
    _unsaved.clear()


def _key(text: str) -> str:
    return f"{store.VECTOR_PREFIX}{MODEL}.{hashlib.sha1(text.encode()).hexdigest()}"


@lru_cache(maxsize=1)
def _centre() -> np.ndarray:
    return _model().embed(list(BACKGROUND), norm=True).mean(axis=0)


def _centred(rows: np.ndarray) -> np.ndarray:
    import numpy as np

    moved = rows - _centre()
    norms = np.linalg.norm(moved, axis=1, keepdims=True)
    return (moved / np.maximum(norms, 1e-9)).astype(np.float32)


def as_match(cosine: float) -> float:
    """A cosine from FLOOR up as a match from MIN_MATCH up to 1, comparable with the word match."""
    return MIN_MATCH + (1 - MIN_MATCH) * max(0.0, cosine - FLOOR) / (1 - FLOOR)


def nearest(left: np.ndarray, right: np.ndarray, k: int, *, same: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """For each row of `left`, its `k` nearest rows of `right` (indices, cosines), by blocks of rows.

    With `same` (left is right) a row is not its own neighbour.
    """
    import numpy as np

    k = min(k, right.shape[0] - int(same))
    found = np.zeros((left.shape[0], max(k, 0)), dtype=np.int64)
    cosines = np.zeros((left.shape[0], max(k, 0)), dtype=np.float32)
    if k <= 0:
        return found, cosines
    for start in range(0, left.shape[0], BLOCK):
        block = left[start : start + BLOCK] @ right.T
        if same:
            rows = np.arange(block.shape[0])
            block[rows, start + rows] = -2.0
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        found[start : start + block.shape[0]] = top
        cosines[start : start + block.shape[0]] = np.take_along_axis(block, top, axis=1)
    return found, cosines


def text_matches(
    conn: sqlite3.Connection, left: Sequence[str], right: Sequence[str], *, same: bool = False
) -> dict[tuple[int, int], float]:
    """(i, j) -> cosine for texts left[i] and right[j] that match by meaning: mutual nearest, at least FLOOR."""
    if not available() or not left or not right:
        return {}
    recall(conn, [*left, *right])
    a, b = embed(left), embed(right)
    forward, cos = nearest(a, b, MUTUAL, same=same)
    backward, _ = (forward, cos) if same else nearest(b, a, MUTUAL)
    chosen_back = {(int(i), j) for j, row in enumerate(backward) for i in row}  # (i, j): i is among j's nearest
    return {
        (i, int(j)): float(c)
        for i, (row, cosines) in enumerate(zip(forward, cos, strict=True))
        for j, c in zip(row, cosines, strict=True)
        if c >= FLOOR and (i, int(j)) in chosen_back
    }


def people_matches(
    conn: sqlite3.Connection,
    left: Mapping[int, str],
    right: Mapping[int, str],
    *,
    strength: Mapping[int, float],
    per_text: int,
) -> dict[tuple[int, int], float]:
    """(a, b) -> meaning match of people whose texts (left[a], right[b]) differ but mean the same.

    People are grouped by their text (identical texts are the word match's); a text
    held by many pairs only its `per_text` members with the strongest ties, the
    ones whose pairs can rank first. `left is right` counts each pair once (low id first).
    """
    same = left is right
    left_groups = _groups(left, strength, per_text)
    right_groups = left_groups if same else _groups(right, strength, per_text)
    left_texts, right_texts = list(left_groups), list(right_groups)
    found: dict[tuple[int, int], float] = {}
    for (i, j), cosine in text_matches(conn, left_texts, right_texts, same=same).items():
        match = as_match(cosine)
        for a in left_groups[left_texts[i]]:
            for b in right_groups[right_texts[j]]:
                if a != b:
                    pair = (min(a, b), max(a, b)) if same else (a, b)
                    found[pair] = max(found.get(pair, 0.0), match)
    return found


def _groups(texts: Mapping[int, str], strength: Mapping[int, float], cap: int) -> dict[str, list[int]]:
    """Normalised text -> up to `cap` people who wrote it, strongest ties first."""
    groups: dict[str, list[int]] = defaultdict(list)
    for pid in sorted(texts, key=lambda i: (-strength.get(i, 0.0), i)):
        key = " ".join(texts[pid].lower().split())
        if key and len(groups[key]) < cap:
            groups[key].append(pid)
    return groups


def closest(
    conn: sqlite3.Connection, query: str, texts: Sequence[str], *, floor: float = QUERY_FLOOR
) -> dict[int, float]:
    """Index -> cosine of the texts whose meaning is close to `query` (at least `floor`)."""
    if not available() or not query.strip() or not texts:
        return {}
    unique = list(dict.fromkeys(texts))
    recall(conn, [*unique, query])
    cosines = embed(unique) @ embed([query])[0]
    near = {text: float(c) for text, c in zip(unique, cosines, strict=True) if c >= floor}
    return {n: near[t] for n, t in enumerate(texts) if t in near}


def titled_like(conn: sqlite3.Connection, text: str, network: NetworkReader | None = None) -> dict[int, str]:
    """person -> current title, for titles whose meaning is close to `text` (`path --field`, search).

    `network`: where to read titles and who holds them (a server's network in memory); the database otherwise."""
    titles = store.current_titles(conn) if network is None else network.current_titles()
    close = closest(conn, text, titles)
    if not close:
        return {}
    chosen = [titles[n] for n in close]
    return dict(store.people_with_titles(conn, chosen) if network is None else network.people_with_titles(chosen))


def people_like(conn: sqlite3.Connection, text: str, *, limit: int) -> list[tuple[int, str]]:
    """(person, the text that matched) whose title, situation, needs or offers mean `text`, closest first."""
    from knowwho.storage import intros as intro_store

    if not available():
        return []
    said = [
        (r.id, words) for r in intro_store.intent_people(conn) for words in (r.situation, r.needs, r.offers) if words
    ]
    titles = store.current_titles(conn)
    near_titles = {titles[n]: cosine for n, cosine in closest(conn, text, titles).items()}
    near_said = closest(conn, text, [words for _pid, words in said])
    ranked = sorted(
        [(-near_said[n], pid, words) for n, (pid, words) in enumerate(said) if n in near_said]
        + [(-near_titles[title], pid, title) for pid, title in store.people_with_titles(conn, near_titles)]
    )
    found: dict[int, str] = {}
    for _closeness, pid, words in ranked:
        found.setdefault(pid, words)
        if len(found) >= limit:
            break
    return list(found.items())
