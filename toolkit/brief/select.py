"""Extractive key points: lead-biased LexRank over the Arabic sentences, then redundancy removal.

Scoring happens on the source side: similarities between Arabic sentences do not depend on
translation noise (or on a synthetic model's random output), and the same article always
gives the same points. Sentences are compared as TF-IDF vectors of folded, clitic-stripped
words; centrality is PageRank over that graph with the random jump weighted towards the lead
(lead-3 is a strong news baseline); a candidate too similar to a point already chosen is
skipped (maximal marginal relevance with a hard threshold).
"""

import re
from collections import Counter

from toolkit.text.arabic import FUNCTION_WORDS, LETTERS, MIN_STEM, fold, without_proclitic
from toolkit.text.vectors import cosine, tfidf

WORD = re.compile(rf"[{LETTERS}]+|[a-zA-Z]+|\d+")
DAMPING = 0.85
LEAD_SENTENCES = 3
REDUNDANCY = 0.5  # cosine above which a candidate repeats a chosen point
MIN_POINTS, MAX_POINTS = 3, 5
BLUF_MIN_WORDS = 6


def terms(sentence: str) -> list[str]:
    words = [without_proclitic(word, MIN_STEM) for word in WORD.findall(fold(sentence))]
    return [word for word in words if word not in FUNCTION_WORDS and len(word) > 1]


def sentence_vectors(sentences: list[str]) -> list[dict[str, float]]:
    """Each sentence's tf-idf vector, the idf over the article's sentences."""
    return tfidf([Counter(terms(s)) for s in sentences])


def lead_prior(n: int) -> list[float]:
    weights = [2.0 if i < LEAD_SENTENCES else 1.0 / (1 + i - LEAD_SENTENCES) for i in range(n)]
    total = sum(weights)
    return [w / total for w in weights]


def centrality(vectors: list[dict[str, float]], iterations: int = 50) -> list[float]:
    n = len(vectors)
    similarity = [
        [cosine(a, b) if i != j else 0.0 for j, b in enumerate(vectors)]
        for i, a in enumerate(vectors)
    ]
    row_sums = [sum(row) for row in similarity]
    prior = lead_prior(n)
    scores = prior[:]
    for _ in range(iterations):
        scores = [
            (1 - DAMPING) * prior[j]
            + DAMPING
            * sum(scores[i] * similarity[i][j] / row_sums[i] for i in range(n) if row_sums[i])
            + DAMPING * sum(scores[i] * prior[j] for i in range(n) if not row_sums[i])
            for j in range(n)
        ]
    return scores


def point_count(n: int) -> int:
    return max(min(MIN_POINTS, n), min(MAX_POINTS, round(n / 4)))


def select_points(sentences: list[str], exclude: set[int] = frozenset()) -> list[int]:
    """Indices of the key-point sentences, in document order."""
    if not sentences:
        return []
    vectors = sentence_vectors(sentences)
    scores = centrality(vectors)
    wanted = point_count(len(sentences) - len(exclude))
    chosen: list[int] = []
    for index in sorted(range(len(sentences)), key=lambda i: (-scores[i], i)):
        if len(chosen) == wanted:
            break
        if index in exclude or not vectors[index]:
            continue
        if any(cosine(vectors[index], vectors[j]) > REDUNDANCY for j in chosen + sorted(exclude)):
            continue
        chosen.append(index)
    return sorted(chosen)


def lead_index(sentences: list[str]) -> int:
    """The bottom line: the first lead sentence that says something and is on topic.

    News puts the bottom line first, so the first sentence wins unless it is short (a
    dateline, a kicker) or off topic (it shares no content word with the rest of the story).
    """
    if not sentences:
        return -1
    vectors = sentence_vectors(sentences)
    lead = range(min(LEAD_SENTENCES, len(sentences)))
    for i in lead:
        on_topic = len(sentences) == 1 or any(
            cosine(vectors[i], vectors[j]) > 0 for j in range(len(sentences)) if j != i
        )
        if len(sentences[i].split()) >= BLUF_MIN_WORDS and on_topic:
            return i
    scores = centrality(vectors)
    return max(lead, key=lambda i: (scores[i], -i))
