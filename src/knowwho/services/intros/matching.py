"""Matching people by what they are going through, need and offer: pure functions, no database.

Text is normalised into terms: lower-cased words without stop words, stemmed
(Snowball English: "migrating" and "migrations" are both "migrat"), plus each
pair of neighbouring words as a phrase ("microsoft 365"), plus the person's
tags of that kind ("#email-migration"). Terms are weighted by TF-IDF and each
document scaled to unit length, so the match of two documents is their cosine
in [0, 1], high when they share rare terms.

Candidate pairs come from an inverted index (term -> the documents holding
it), never from a loop over all pairs; a term held by very many people gives
pairs only among its members with the strongest ties to the user, since those
are the pairs it could rank first. People who wrote the same words (and tags)
share one document: documents are paired first, then their writers.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

# Words that say nothing about what someone is going through.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "new",
        "next",
        "someone",
        "somebody",
        "something",
        "looking",
        "help",
        "experience",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:[-'+.#][^\W_]+)*", re.UNICODE)
TAG_WEIGHT = 2.0  # a tag is chosen on purpose: it counts as two words
PHRASE_WEIGHT = 1.5  # two words together say more than each alone


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word; numbers and short words as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """The stemmed content words of `text`, in order."""
    found = []
    for match in _WORD.finditer(text.lower()):
        word = match.group().strip("'")
        if word and word not in STOP_WORDS:
            found.append(stem(word))
    return found


def terms(text: str, tags: Iterable[str] = ()) -> dict[str, float]:
    """Weighted terms of a text and its tags: words, neighbouring pairs as phrases, and '#tag'."""
    counted: dict[str, float] = defaultdict(float)
    said = words(text)
    for word in said:
        counted[word] += 1.0
    for first, second in itertools.pairwise(said):
        counted[f"{first} {second}"] += PHRASE_WEIGHT
    for tag in tags:
        clean = tag.strip().lower()
        if clean:
            counted[f"#{clean}"] += TAG_WEIGHT
    return dict(counted)


def idf(documents: Iterable[Mapping[str, float]], counts: Iterable[int] | None = None) -> dict[str, float]:
    """Inverse document frequency of every term: log(1 + N / df), so a term everyone has weighs little.

    `counts` says how many people wrote each document (one each when not given).
    """
    df: Counter[str] = Counter()
    total = 0
    for document, count in zip(documents, counts or itertools.repeat(1), strict=False):  # repeat() never ends
        total += count
        for term in document:
            df[term] += count
    return {term: math.log(1 + total / count) for term, count in df.items()}


def vector(document: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, float]:
    """A document as unit-length TF-IDF weights (sub-linear term frequency)."""
    raw = {t: (1 + math.log(tf)) * weights.get(t, 0.0) for t, tf in document.items() if tf > 0}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {t: w / norm for t, w in raw.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The match of two unit vectors: the sum over the terms they share."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def index(vectors: Mapping[int, Mapping[str, float]]) -> dict[str, list[int]]:
    """term -> the ids of the documents holding it (the inverted index)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for doc_id, vec in vectors.items():
        for term in vec:
            postings[term].append(doc_id)
    return postings


def pair_scores(
    left: Mapping[int, Mapping[str, float]],
    right: Mapping[int, Mapping[str, float]],
    *,
    strength: Mapping[int, float],
    per_term: int = 100,
) -> dict[tuple[int, int], float]:
    """Cosine of every pair (l, r), l from `left`, r from `right`, l != r, that shares a term.

    Accumulated term by term through the inverted indexes; a term held by more
    than `per_term` documents on a side pairs only its `per_term` members with
    the strongest ties. With `left is right` (the same situation) each pair is
    counted once, as (low id, high id); otherwise both orders are kept apart
    (a need meets an offer one way).
    """
    same = left is right
    order = sorted({*left, *right}, key=lambda i: (-strength.get(i, 0.0), i))
    by_left = _postings(left, order, per_term)
    by_right = by_left if same else _postings(right, order, per_term)
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for term, lefts in by_left.items():
        rights = by_right.get(term)
        if not rights:
            continue
        weighted = [(b, right[b][term]) for b in rights]
        for n, a in enumerate(lefts):
            wa = left[a][term]
            for b, wb in weighted[n + 1 :] if same else weighted:
                if a != b:
                    scores[(min(a, b), max(a, b)) if same else (a, b)] += wa * wb
    return scores


Group = tuple[Mapping[str, float], Sequence[int]]  # a document's vector, and who wrote it (strongest ties first)


def group_scores(
    left: Sequence[Group],
    right: Sequence[Group],
    *,
    strength: Mapping[int, float],
    per_term: int = 100,
    per_group: int = 100,
) -> dict[tuple[int, int], float]:
    """Cosine of every pair of people (l, r) whose documents share a term, people grouped by identical documents.

    Documents are paired through `pair_scores` (a group ranks by its strongest member); a pair of documents
    pairs the `per_group` strongest writers of each, and a document pairs its own writers. With `left is
    right` each pair is counted once, as (low id, high id).
    """
    same = left is right
    shift = 0 if same else len(left)  # right groups get their own ids
    vectors = {n: vec for n, (vec, _who) in enumerate(left)}
    others = vectors if same else {shift + n: vec for n, (vec, _who) in enumerate(right)}
    ranks = {n: strength.get(who[0], 0.0) for n, (_v, who) in enumerate(left) if who}
    ranks.update({shift + n: strength.get(who[0], 0.0) for n, (_v, who) in enumerate(right) if who})
    by_documents = pair_scores(vectors, others, strength=ranks, per_term=per_term)
    if same:
        by_documents.update({(n, n): cosine(vec, vec) for n, vec in vectors.items()})
    found: dict[tuple[int, int], float] = {}
    for (i, j), match in by_documents.items():
        firsts, seconds = left[i][1][:per_group], right[j - shift][1][:per_group]
        pairs = itertools.combinations(firsts, 2) if same and i == j else itertools.product(firsts, seconds)
        for a, b in pairs:
            if a != b:
                found[(min(a, b), max(a, b)) if same else (a, b)] = match
    return found


def _postings(vectors: Mapping[int, Mapping[str, float]], order: list[int], cap: int) -> dict[str, list[int]]:
    """term -> up to `cap` documents holding it, strongest ties first."""
    postings: dict[str, list[int]] = defaultdict(list)
    for doc_id in order:
        for term in vectors.get(doc_id, ()):
            ids = postings[term]
            if len(ids) < cap:
                ids.append(doc_id)
    return postings


def tie_mean(a: float, b: float) -> float:
    """The geometric mean of the user's ties to both: an introduction leans on both relationships."""
    return math.sqrt(max(a, 0.0) * max(b, 0.0))


def shared_words(a: Mapping[str, float], b: Mapping[str, float], *, limit: int = 3) -> list[str]:
    """The terms both share, heaviest first (for explaining a match)."""
    both = [(a[t] * b[t], t) for t in a if t in b]
    return [t for _w, t in sorted(both, reverse=True)[:limit]]
