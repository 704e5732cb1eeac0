"""The labelled set of tests/data/names/labelled.txt: our own Arabic, fictional people."""

import re
from dataclasses import dataclass, field
from pathlib import Path

LABELLED = Path(__file__).parent / "data" / "names" / "labelled.txt"
PERSON = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")
PLACE = re.compile(r"\{\{([^|}]+)\|([A-Z]{2})\}\}")


@dataclass
class GoldQuote:
    speaker: str
    kind: str
    piece: str


@dataclass
class LabelledArticle:
    id: str
    outlet: str
    day: str
    sentences: list[str] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=list)  # (surface, person label)
    countries: set[str] = field(default_factory=set)
    quotes: list[GoldQuote] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)


def labelled_articles() -> list[LabelledArticle]:
    articles: list[LabelledArticle] = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=== "):
            ident, *fields = (part.strip() for part in line[4:].split("|"))
            meta = dict(item.split("=", 1) for item in fields)
            articles.append(LabelledArticle(ident, meta["outlet"], meta["day"]))
        elif line.startswith("quote: "):
            speaker, kind, piece = (part.strip() for part in line[7:].split("|"))
            articles[-1].quotes.append(GoldQuote(speaker, kind, piece))
        else:
            article = articles[-1]
            article.people += PERSON.findall(line)
            article.countries |= {country for _, country in PLACE.findall(line)}
            plain = PLACE.sub(r"\1", PERSON.sub(r"\1", line))
            article.sentences.append(plain)
    return articles
