"""Scoring the clustering on a labelled set: files of Arabic articles, each with its story.

A file is `{"group": "...", "articles": [{"id", "day", "outlet", "url", "label", "headline",
"text"}]}`; the stories of one file look alike (same organisations, same topic, same week),
so a predicted story holding two labels of one file is a merged trap.
"""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from toolkit.glossary import Matcher, default_glossary_files, load_glossary
from toolkit.stories.cluster import DEFAULT_WEIGHTS, Weights, cluster
from toolkit.stories.features import Doc, doc_from_text


class BCubed:
    """B-cubed precision, recall and F1 of a clustering against gold labels (Bagga & Baldwin).

    Per item: precision = share of its predicted cluster with its gold label, recall = share of
    its gold cluster in its predicted cluster; both averaged over items.
    """

    name = "bcubed"

    def corpus(self, predicted: list[str], gold: list[str]) -> dict[str, float]:
        if len(predicted) != len(gold):
            raise ValueError("predicted and gold labels differ in length")
        if not gold:
            return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
        pairs = list(zip(predicted, gold, strict=True))
        both = Counter(pairs)
        in_predicted = Counter(predicted)
        in_gold = Counter(gold)
        precision = sum(both[p, g] / in_predicted[p] for p, g in pairs) / len(pairs)
        recall = sum(both[p, g] / in_gold[g] for p, g in pairs) / len(pairs)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


@dataclass(frozen=True)
class Labelled:
    doc: Doc
    label: str
    group: str


@dataclass
class Score:
    articles: int
    stories: int
    precision: float
    recall: float
    f1: float
    traps_merged: list[list[str]]  # labels of one group found in one predicted story


def read_labelled(folder: Path, matcher: Matcher | None = None) -> list[Labelled]:
    if matcher is None:
        matcher = Matcher(load_glossary(default_glossary_files()))
    items = []
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for a in data["articles"]:
            doc = doc_from_text(
                a["id"], a["day"], a["headline"], a["text"], matcher, a["outlet"], a["url"]
            )
            items.append(Labelled(doc, a["label"], data["group"]))
    return items


def score(items: list[Labelled], weights: Weights = DEFAULT_WEIGHTS) -> Score:
    stories = cluster([], [item.doc for item in items], weights).assigned
    predicted = [stories[item.doc.id] for item in items]
    gold = [item.label for item in items]
    figures = BCubed().corpus(predicted, gold)
    labels_of: dict[str, set[tuple[str, str]]] = {}
    for item, story in zip(items, predicted, strict=True):
        labels_of.setdefault(story, set()).add((item.group, item.label))
    merged = []
    for labels in labels_of.values():
        for group in {g for g, _ in labels}:
            same = sorted(label for g, label in labels if g == group)
            if len(same) > 1:
                merged.append(same)
    return Score(len(items), len(set(predicted)), **figures, traps_merged=sorted(merged))
