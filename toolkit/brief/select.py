"""Extractive key points: lead-biased LexRank over the Arabic sentences, then redundancy removal.

Scoring happens on the source side: similarities between Arabic sentences do not depend on
translation noise (or on a synthetic model's random output), and the same article always
gives the same points. Sentences are compared as TF-IDF vectors of folded, clitic-stripped
words; centrality is PageRank over that graph with the random jump weighted towards the lead
(lead-3 is a strong news baseline); a candidate too similar to a point already chosen is
skipped (maximal marginal relevance with a hard threshold).
"""

import math
import re
from collections import Counter

from toolkit.glossary.matcher import ARTICLE_PROCLITICS, PLAIN_PROCLITICS, fold

WORD = re.compile(r"[\u0621-\u064a]+|[a-zA-Z]+|\d+")
STOPWORDS = set(
    fold(
        "في من على إلى الى عن أن إن ان كان كانت هذا هذه ذلك التي الذي الذين مع بين بعد قبل حتى "
        "أو او ثم قد لا لم لن ما هو هي هم كما وقال قال وقالت قالت أيضا عند كل غير منذ خلال حول"
    ).split()
)
DAMPING = 0.85
LEAD_SENTENCES = 3
REDUNDANCY = 0.5  # cosine above which a candidate repeats a chosen point
MIN_POINTS, MAX_POINTS = 3, 5
BLUF_MIN_WORDS = 6


def terms(sentence: str) -> list[str]:
    words = []
    for word in WORD.findall(fold(sentence)):
        for clitic in sorted(PLAIN_PROCLITICS + ARTICLE_PROCLITICS, key=len, reverse=True):
            if word.startswith(clitic) and len(word) - len(clitic) >= 3:
                word = word[len(clitic) :]
                break
        if word not in STOPWORDS and len(word) > 1:
            words.append(word)
    return words


def tfidf(sentences: list[str]) -> list[dict[str, float]]:
    bags = [Counter(terms(s)) for s in sentences]
    documents = Counter(word for bag in bags for word in bag)
    n = len(sentences)
    return [{w: c * math.log(1 + n / documents[w]) for w, c in bag.items()} for bag in bags]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


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
    vectors = tfidf(sentences)
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
    vectors = tfidf(sentences)
    lead = range(min(LEAD_SENTENCES, len(sentences)))
    for i in lead:
        on_topic = len(sentences) == 1 or any(
            cosine(vectors[i], vectors[j]) > 0 for j in range(len(sentences)) if j != i
        )
        if len(sentences[i].split()) >= BLUF_MIN_WORDS and on_topic:
            return i
    scores = centrality(vectors)
    return max(lead, key=lambda i: (scores[i], -i))
