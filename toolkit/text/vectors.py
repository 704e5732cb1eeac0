"""TF-IDF vectors and their cosine, for any language: key points (brief) and stories use them.

A vector is a dict term → weight. The inverse document frequency of a term is
log(1 + N / df), N documents of which df hold the term.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping

Vector = Mapping[str, float]


def idf(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """The inverse document frequency of every term of `documents` (each its distinct terms)."""
    frequency: Counter = Counter()
    total = 0
    for terms in documents:
        frequency.update(dict.fromkeys(terms, 1))  # each term once per document
        total += 1
    return {term: math.log(1 + total / n) for term, n in frequency.items()}


def weigh(counts: Vector, weights: Mapping[str, float], unknown: float = 1.0) -> dict[str, float]:
    """`counts` times the terms' idf; a term missing from `weights` weighs `unknown`."""
    return {term: count * weights.get(term, unknown) for term, count in counts.items()}


def tfidf(bags: list[Vector]) -> list[dict[str, float]]:
    """The tf-idf vectors of documents given as term counts, the idf over the documents."""
    weights = idf(bags)
    return [weigh(bag, weights) for bag in bags]


def norm(vector: Vector) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def cosine(a: Vector, b: Vector, norm_a: float | None = None, norm_b: float | None = None) -> float:
    """The cosine of two vectors (0 when either is empty); pass norms already computed."""
    norm_a = norm(a) if norm_a is None else norm_a
    norm_b = norm(b) if norm_b is None else norm_b
    if not norm_a or not norm_b:
        return 0.0
    dot = sum(v * b[term] for term, v in a.items() if term in b)
    return dot / (norm_a * norm_b)
