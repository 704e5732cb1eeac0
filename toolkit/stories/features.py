"""What an article says that tells its event apart, read on the Arabic side (any model).

Terms: normalized, folded words without function words, stemmed by Snowball's Arabic
stemmer (PyStemmer), the headline counted twice. Evidence: organisations (glossary
entities), places (glossary places and the gazetteer toolkit/data/places.tsv: the most
mentioned ones, a city counting for its country too, and every city named), people
(glossary persons and the two words after a title such as المدعو or الوزير), figures (the
brief's money, counts and percentages), dates with a day, and operation names (the quoted
name after «عملية», «حملة» or «اسم»).
"""

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from toolkit.brief.figures import extract_figures
from toolkit.corpus import Published
from toolkit.state.tsv import read_tsv
from toolkit.text.arabic import (
    FUNCTION_WORDS,
    MIN_STEM,
    NEWS_WORDS,
    TITLES,
    fold,
    normalize,
    readings,
    stem,
    without_article,
    words,
)

STOPWORDS = FUNCTION_WORDS | NEWS_WORDS
OPERATION = re.compile(r"(?:عمليه|اسم|حمله)\s+(?:\S+\s+){0,2}?[«\"“]([^»\"”]{2,40})[»\"”]")
MONEY_AND_COUNTS = ("money", "count", "percent")
HEADLINE_WEIGHT = 2
FEATURES_VERSION = 2  # bump when features() changes: cached features are recomputed


@dataclass(frozen=True)
class Doc:
    """One article as the stories stage sees it (from its JSON record, or from raw text)."""

    id: str
    day: str
    headline: str  # Arabic
    text: str  # Arabic body
    outlet: str = ""
    url: str = ""
    headline_en: str = ""
    entities: tuple[tuple[str, str], ...] = ()  # glossary (english, kind)
    figures: tuple[tuple[str, str], ...] = ()  # (kind, English value)
    story: str | None = None
    size: int = 0  # sentences


@dataclass(frozen=True)
class Features:
    terms: dict[str, float]  # stem → weight
    orgs: frozenset[str]
    places: frozenset[str]  # the most mentioned ones: where it happened
    cities: frozenset[str]  # every city named
    people: frozenset[str]
    figures: frozenset[str]
    dates: frozenset[str]
    operations: frozenset[str]

    EVIDENCE = ("orgs", "places", "cities", "people", "figures", "dates", "operations")

    def to_json(self) -> dict:
        evidence = {name: sorted(getattr(self, name)) for name in self.EVIDENCE}
        return {"terms": self.terms, **evidence}

    @classmethod
    def from_json(cls, data: dict) -> "Features":
        """Read back to_json (ValueError when it is not that: a cache is only trusted whole)."""
        terms = dict(data["terms"])
        evidence = {name: frozenset(data[name]) for name in cls.EVIDENCE}
        if not all(isinstance(t, str) and type(w) is float for t, w in terms.items()) or not all(
            isinstance(value, str) for values in evidence.values() for value in values
        ):
            raise ValueError("not a set of features")
        return cls(terms=terms, **evidence)

    def keys(self) -> list[str]:
        """Index keys of the evidence (the terms are indexed apart, by rarity)."""
        return [
            f"{kind}:{value}"
            for kind, values in (
                ("o", self.orgs),
                ("p", self.places),
                ("c", self.cities),
                ("n", self.people),
                ("f", self.figures),
                ("d", self.dates),
                ("x", self.operations),
            )
            for value in sorted(values)
        ]


@cache
def term_of(word: str) -> str | None:
    """A word's stem, None for a function word, a number or a word too short to tell."""
    if len(word) <= 2 or word in STOPWORDS or word.isdigit():
        return None
    return stem(word)


def terms(headline: list[str], text: list[str]) -> dict[str, float]:
    counts: Counter = Counter()
    for weight, part in ((HEADLINE_WEIGHT, headline), (1, text)):
        for word in part:
            term = term_of(word)
            if term:
                counts[term] += weight
    # rounded, so that features read back from the cache are exactly the ones computed
    return {term: round(1 + math.log(n), 3) for term, n in counts.items()}


@cache
def gazetteer() -> dict[str, tuple[str, ...]]:
    """Folded Arabic place name or adjective, each word without ال → English, and country."""
    places = {}
    resource = resources.files("toolkit") / "data" / "places.tsv"
    text = resource.read_text(encoding="utf-8")
    for row in read_tsv(Path(str(resource)), ("arabic", "english", "country"), text=text).check():
        arabic, english, country = row.cells
        names = (english, country) if country else (english,)
        places[" ".join(map(without_article, fold(arabic).split()))] = names
    return places


@cache
def cities() -> frozenset[str]:
    return frozenset(names[0] for names in gazetteer().values() if len(names) > 1)


@cache
def _readings(word: str) -> tuple[str, ...]:
    """A word and its readings without a proclitic or the article, the bare word first, then
    the longest proclitic first (the first reading that names a place wins)."""
    bare = sorted(readings(word, MIN_STEM)[1:], key=lambda reading: -len(reading[0]))
    return tuple(dict.fromkeys(without_article(w) for w in [word, *(s for _, s in bare)]))


@cache
def _is_title(word: str) -> bool:
    return word in TITLES or any(reading in TITLES for reading in _readings(word))


@cache
def _may_start_place(word: str) -> bool:
    starts = _place_starts()
    return any(reading in starts for reading in _readings(word))


@cache
def _place_starts() -> frozenset[str]:
    return frozenset(name.split()[0] for name in gazetteer())


def places_in(tokens: list[str]) -> Counter:
    """Mentions of each place (a city counts for its country too)."""
    found: Counter = Counter()
    known = gazetteer()
    for i, token in enumerate(tokens):
        if not _may_start_place(token):
            continue
        readings = _readings(token)
        after = without_article(tokens[i + 1]) if i + 1 < len(tokens) else ""
        for candidate in [f"{r} {after}" for r in readings if after] + list(readings):
            if candidate in known:
                found.update(known[candidate])
                break
    return found


def people_in(tokens: list[str]) -> set[str]:
    """The two words after a title (المدعو سالم العتيبي → سالم العتيبي)."""
    found = set()
    for i, token in enumerate(tokens[:-2]):
        if _is_title(token):
            name = tokens[i + 1 : i + 3]
            if not any(word in STOPWORDS or word in TITLES for word in name):
                found.add(" ".join(name))
    return found


def features(doc: Doc) -> Features:
    folded = fold(normalize(f"{doc.headline} . {doc.text}"))
    tokens = words(f"{doc.headline} . {doc.text}")
    headline = len(words(doc.headline))
    places = places_in(tokens) + Counter(e for e, kind in doc.entities if kind == "place")
    most = max(places.values(), default=0)
    return Features(
        terms=terms(tokens[:headline], tokens[headline:]),
        orgs=frozenset(e for e, kind in doc.entities if kind not in ("person", "place")),
        places=frozenset(place for place, n in places.items() if n == most),
        cities=frozenset(place for place in places if place in cities()),
        people=frozenset(people_in(tokens) | {e for e, k in doc.entities if k == "person"}),
        figures=frozenset(v for kind, v in doc.figures if kind in MONEY_AND_COUNTS),
        dates=frozenset(v for kind, v in doc.figures if kind == "date" and " " in v),
        operations=frozenset(" ".join(m.split()) for m in OPERATION.findall(folded)),
    )


def content_key(doc: Doc) -> str:
    """What the features are computed from, hashed: a cached copy is good while it matches."""
    content = [doc.headline, doc.text, doc.entities, doc.figures, FEATURES_VERSION]
    return hashlib.sha1(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def doc_of(record: Published) -> Doc:
    """A published article as the stories stage sees it."""
    article = record.article
    brief = article.brief
    return Doc(
        id=article.id,
        day=record.day,
        headline=article.headline.ar,
        text=" ".join(s.ar for s in article.sentences),
        outlet=record.outlet,
        url=article.source.url or "",
        headline_en=article.headline.en,
        entities=tuple((e.english, e.kind) for e in (brief.entities if brief else [])),
        figures=tuple((f.kind, f.value) for f in (brief.figures if brief else [])),
        story=record.story,
        size=len(article.sentences),
    )


def doc_from_text(
    id: str, day: str, headline: str, text: str, matcher=None, outlet: str = "", url: str = ""
) -> Doc:
    """An article given as raw Arabic (the labelled set, the bench): glossary and figures found
    here as the translate and brief stages would find them."""
    entities: Counter = Counter()
    kinds = {}
    if matcher is not None:
        for match in matcher.find(f"{headline}\n{text}"):
            entities[match.entry.english] += 1
            kinds[match.entry.english] = match.entry.kind
    figures = [(f.kind, f.value) for f in extract_figures(normalize(text))]
    return Doc(
        id=id,
        day=day,
        headline=headline,
        text=text,
        outlet=outlet,
        url=url,
        entities=tuple((name, kinds[name]) for name in sorted(entities)),
        figures=tuple(figures),
        size=text.count(".") + 1,
    )
