"""Stories: each new article joins a story seen in the last 7 days, or starts one.

A story is scored against an article by the cosine of their stemmed terms (tf-idf over the
window) plus evidence: a shared operation name, place, person, figure or date counts for
the story; a different operation name, other places (other cities when both name one, else
other main places) or other people count against it, and weigh more than shared
organisations (two Europol crypto operations in two countries the same week stay apart).
Evidence counts only between texts that are alike (a cosine of at least 0.15) or that share
an operation name.
Candidates come from an inverted index of each story's rarest terms and evidence, not from
all pairs. Articles are taken by day, then by id, and a story's id is a hash of its
founding article's day and id, so reruns and rebuilds give the same ids.
"""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.stories.features import Doc, Features, features
from toolkit.text.vectors import cosine, idf, norm, weigh

WINDOW_DAYS = 7
THRESHOLD = 0.3
MIN_COSINE = 0.15  # below it, evidence counts only with a shared operation name
CANDIDATES = 20  # stories scored per article, those sharing the most index keys
RARE_TERMS = 12  # an article's rarest terms go into the index


@dataclass(frozen=True)
class Weights:
    """What each kind of evidence adds (or takes away) on top of the terms' cosine."""

    operation_same: float = 0.4
    operation_other: float = -1.0
    place_same: float = 0.15
    place_other: float = -0.35
    person_same: float = 0.25
    person_other: float = -0.1
    figure: float = 0.1  # each shared figure, up to three
    date: float = 0.1
    org: float = 0.03  # each shared organisation, up to two: a topic, not an event


DEFAULT_WEIGHTS = Weights()


def days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def story_id(day: str, article_id: str) -> str:
    return "s-" + hashlib.sha1(f"{day}/{article_id}".encode()).hexdigest()[:10]


@dataclass
class Story:
    id: str
    first_seen: str
    last_seen: str
    members: list[str] = field(default_factory=list)
    terms: Counter = field(default_factory=Counter)  # sum of the members' tf-idf vectors
    orgs: set = field(default_factory=set)
    places: set = field(default_factory=set)
    cities: set = field(default_factory=set)
    people: set = field(default_factory=set)
    figures: set = field(default_factory=set)
    dates: set = field(default_factory=set)
    operations: set = field(default_factory=set)
    norm: float | None = None  # of the tf-idf vector, reset as members join

    def add(self, doc: Doc, found: Features, vector: dict[str, float]) -> None:
        self.members.append(doc.id)
        self.last_seen = max(self.last_seen, doc.day)
        self.terms.update(vector)
        for name in Features.EVIDENCE:
            getattr(self, name).update(getattr(found, name))
        self.norm = None


class Clusterer:
    """Stories of a window of days; `assign` places one article after another."""

    def __init__(
        self,
        docs: Iterable[Doc],
        weights: Weights = DEFAULT_WEIGHTS,
        known: dict[tuple[str, str], Features] | None = None,
    ):
        """`known`: features already computed, by (day, article id)."""
        self.weights = weights
        known = known or {}
        self.found = {
            (doc.day, doc.id): known.get((doc.day, doc.id)) or features(doc) for doc in docs
        }
        self.idf = idf(found.terms for found in self.found.values())
        self.vectors: dict[int, tuple] = {}  # by id() of an article's Features
        self.stories: dict[str, Story] = {}
        self.index: dict[str, set[str]] = defaultdict(set)
        self.assigned: dict[str, str] = {}  # new article id → story id

    def features_of(self, doc: Doc) -> Features:
        key = (doc.day, doc.id)
        if key not in self.found:
            self.found[key] = features(doc)
        return self.found[key]

    def add(self, doc: Doc, story: str) -> None:
        """Put an article into a story (history read back with its id, or a new one)."""
        found = self.features_of(doc)
        target = self.stories.setdefault(story, Story(story, doc.day, doc.day))
        target.first_seen = min(target.first_seen, doc.day)
        target.add(doc, found, self._vector(found)[0])
        for key in self._keys(found):
            self.index[key].add(story)

    def assign(self, doc: Doc) -> str:
        """The story of a new article: the best-scoring one in the window, else a new one."""
        found = self.features_of(doc)
        best, best_score = None, THRESHOLD
        for story in self._candidates(doc, found):
            score = self.score(found, story)
            tie = score == best_score and (best is None or story.id < best.id)
            if score > best_score or tie:
                best, best_score = story, score
        story = best.id if best else story_id(doc.day, doc.id)
        self.add(doc, story)
        return story

    def score(self, found: Features, story: Story) -> float:
        w = self.weights
        score = self._cosine(found, story)
        if score < MIN_COSINE and not found.operations & story.operations:
            return score  # texts about other things: shared names and places are chance
        if found.operations and story.operations:
            score += w.operation_same if found.operations & story.operations else w.operation_other
        if found.cities and story.cities:  # two cities of one country are two places
            score += w.place_same if found.cities & story.cities else w.place_other
        elif found.places and story.places:
            score += w.place_same if found.places & story.places else w.place_other
        if found.people and story.people:
            score += w.person_same if found.people & story.people else w.person_other
        score += w.figure * min(len(found.figures & story.figures), 3)
        score += w.date * bool(found.dates & story.dates)
        score += w.org * min(len(found.orgs & story.orgs), 2)
        return score

    def _vector(self, found: Features) -> tuple[dict[str, float], float, list[str]]:
        """An article's tf-idf vector, its norm and its index keys, computed once."""
        key = id(found)
        if key not in self.vectors:
            vector = weigh(found.terms, self.idf)
            rare = sorted(vector, key=lambda t: (-self.idf.get(t, 1.0), t))[:RARE_TERMS]
            keys = [f"t:{term}" for term in rare] + found.keys()
            self.vectors[key] = (vector, norm(vector), keys)
        return self.vectors[key]

    def _cosine(self, found: Features, story: Story) -> float:
        vector, vector_norm, _ = self._vector(found)
        if story.norm is None:
            story.norm = norm(story.terms)
        return cosine(vector, story.terms, vector_norm, story.norm)

    def _keys(self, found: Features) -> list[str]:
        return self._vector(found)[2]

    def _candidates(self, doc: Doc, found: Features) -> list[Story]:
        since = days_before(doc.day, WINDOW_DAYS)
        hits: Counter = Counter()
        for key in self._keys(found):
            hits.update(self.index.get(key, ()))
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        stories = (self.stories[story] for story, _ in ranked)
        return [story for story in stories if story.last_seen >= since][:CANDIDATES]


def cluster(
    history: list[Doc],
    new: list[Doc],
    weights: Weights = DEFAULT_WEIGHTS,
    known: dict[tuple[str, str], Features] | None = None,
) -> Clusterer:
    """Story ids of the `new` articles (`.assigned`, by id), after the `history` ones (with
    their ids); `.found` holds every article's features."""
    clusterer = Clusterer([*history, *new], weights, known)
    for doc in sorted(history, key=lambda d: (d.day, d.id)):
        clusterer.add(doc, doc.story or doc.id)
    for doc in sorted(new, key=lambda d: (d.day, d.id)):
        clusterer.assigned[doc.id] = clusterer.assign(doc)
    return clusterer
