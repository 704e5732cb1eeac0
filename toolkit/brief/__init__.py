"""Brief stage: per article, the bottom line, key points, figures and entities.

Choices are made on the Arabic side (see select.py); the brief shows their English.
"""

from collections import Counter
from dataclasses import replace

from toolkit.brief.figures import extract_figures
from toolkit.brief.quotes import find_quotes
from toolkit.brief.select import lead_index, select_points
from toolkit.document import Article, Brief, Entity
from toolkit.names import NAMES_SOURCE

SHORT_BLUF_WORDS = 12  # a lead this short gets the next sentence too
CONTEXT_WORDS = 10


def build_brief(article: Article) -> Brief:
    sentences = article.sentences
    arabic = ["" if s.skipped else s.ar for s in sentences]  # a skipped blob is no point
    lead = lead_index(arabic)
    bluf_indices = [lead] if lead >= 0 else []
    if (
        bluf_indices
        and len(sentences[lead].en.split()) < SHORT_BLUF_WORDS
        and lead + 1 < len(sentences)
    ):
        bluf_indices.append(lead + 1)
    points = select_points(arabic, exclude=set(bluf_indices))
    return Brief(
        bluf=" ".join(sentences[i].en for i in bluf_indices),
        key_points=[sentences[i].en for i in points],
        figures=[
            replace(figure, context=figure.context or _snippet(sentence.en))
            for sentence in sentences
            if not sentence.skipped
            for figure in extract_figures(sentence.ar)
        ],
        entities=entities(article),
        people=list(article.people),
        places=list(article.places),
        quotes=find_quotes(article),
    )


def entities(article: Article) -> list[Entity]:
    counts: Counter = Counter()
    kinds: dict[str, str] = {}
    for sentence in article.all_sentences():
        for match in sentence.matches:
            if match.entry.where == NAMES_SOURCE:  # a person's spelling: in Brief.people
                continue
            counts[match.entry.english] += 1
            kinds[match.entry.english] = match.entry.kind
    return [
        Entity(name, kinds[name], n)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _snippet(english: str) -> str:
    words = english.split()
    return " ".join(words[:CONTEXT_WORDS]) + (" …" if len(words) > CONTEXT_WORDS else "")


def brief_articles(articles: list[Article]) -> list[Article]:
    for article in articles:
        article.brief = build_brief(article)
    return articles
