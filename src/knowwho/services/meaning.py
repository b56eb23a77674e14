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
over pairs; identical texts are embedded once. The database keeps each text's
vector and the latest comparisons (cache settings, left out of backups): a run
whose texts are those of an earlier run reads the answer back without loading
numpy or the model.

Without the package (or with KNOWWHO_MEANING=off) `available()` is False,
every match here is empty, and callers keep their word match alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
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
# Both floors are tuned on hand-written pairs (tests/data/meaning/pairs.tsv): each lies midway between the
# closest unrelated pair and the related pair next above it, so no unrelated pair there matches (a wrong
# suggestion costs the user more than a missed one) and as many related ones as that allows do.
FLOOR = 0.143  # situations, needs and offers: "defending a thesis" / "finishing a PhD" is 0.150 (19 of 23 kept)
QUERY_FLOOR = 0.282  # a field or a search against titles and texts: "law" / "Lawyer" is 0.286 (16 of 21 kept)
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
_blank: set[str] = set()  # texts given zero vectors (the model failed to load): their matches are not kept
_unsaved_matches: dict[str, list[list[Any]]] = {}  # comparisons the database lacked, by what was compared
KEPT_MATCHES = 8  # comparisons kept in the database: two a run (situations; needs and offers), a few runs back


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
            _blank.update(missing)
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
    """Keep the vectors of texts the database lacks, and the latest comparisons, for later runs (a cache:
    not a change of the user's)."""
    vectors = {_key(t): base64.b64encode(_vectors[t].tobytes()).decode() for t in _unsaved if t in _vectors}
    if _unsaved_matches:
        latest = {k: v for k, v in _kept_matches(conn).items() if k not in _unsaved_matches}
        latest.update(_unsaved_matches)  # the newest last
        vectors[MATCHES_KEY] = json.dumps(dict(list(latest.items())[-KEPT_MATCHES:]))
    store.keep_values(conn, vectors)
    _unsaved.clear()
    _unsaved_matches.clear()


MATCHES_KEY = f"{store.VECTOR_PREFIX}matches.{MODEL}"


def _kept_matches(conn: sqlite3.Connection) -> dict[str, list[list[Any]]]:
    raw = store.cached_values(conn, [MATCHES_KEY]).get(MATCHES_KEY)
    try:
        kept = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


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
    """(i, j) -> cosine for texts left[i] and right[j] that match by meaning: mutual nearest, at least FLOOR.

    The same comparison made by an earlier run (the same texts, model and floor) is read back instead:
    people's situations, needs and offers seldom change between runs, and then no vector is needed.
    """
    if not available() or not left or not right:
        return {}
    compared = hashlib.sha1(json.dumps([MODEL, FLOOR, MUTUAL, same, left, right]).encode()).hexdigest()
    kept = _kept_matches(conn).get(compared)
    if kept is None:
        kept = [[i, j, c] for (i, j), c in _compare(conn, left, right, same).items()]
        if _blank.isdisjoint(left) and _blank.isdisjoint(right):
            _unsaved_matches[compared] = kept
            while len(_unsaved_matches) > KEPT_MATCHES:  # a server that never keeps them holds a few only
                del _unsaved_matches[next(iter(_unsaved_matches))]
    return {(int(i), int(j)): float(c) for i, j, c in kept}


def _compare(
    conn: sqlite3.Connection, left: Sequence[str], right: Sequence[str], same: bool
) -> dict[tuple[int, int], float]:
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
    lefts, rights = list(left_groups.values()), list(right_groups.values())
    found: dict[tuple[int, int], float] = {}
    for (i, j), cosine in text_matches(conn, list(left_groups), list(right_groups), same=same).items():
        match = as_match(cosine)
        for a in lefts[i]:
            for b in rights[j]:
                if a != b:
                    pair = (min(a, b), max(a, b)) if same else (a, b)
                    found[pair] = max(found.get(pair, 0.0), match)
    return found


def _groups(texts: Mapping[int, str], strength: Mapping[int, float], cap: int) -> dict[str, list[int]]:
    """Text as the strongest tie wrote it -> up to `cap` people who wrote it (in any case), strongest ties first.

    The text is embedded as written, as the floors were tuned: lower-casing changes the model's tokens
    ("PhD" and "phd" differ).
    """
    written: dict[str, str] = {}  # lower-cased text -> as first written
    groups: dict[str, list[int]] = defaultdict(list)
    for pid in sorted(texts, key=lambda i: (-strength.get(i, 0.0), i)):
        text = " ".join(texts[pid].split())
        key = written.setdefault(text.lower(), text)
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
