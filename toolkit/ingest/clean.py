"""Raw lines → clean articles: drop page furniture, split back-to-back articles, find headlines.

A plain-text page may hold several articles. A new one starts after a gap of two or more
blank lines, or at a headline-like line (short, no final punctuation) whose next line is its
own repeat, a photo caption or a marker line (`TT`) — the way news sites print a headline
block — unless that line already appeared in the current article (a repeated headline).
A headline block without text of its own joins the block after it; a block that does not
open with a headline-like line, or lacks body text (a line that ends like a sentence),
stays with the article before it, as when a site prints the headline block after the text.
"""

from collections import Counter
from dataclasses import dataclass, field

from toolkit.ingest.debris import DebrisRules, ends_like_sentence, is_headline_like, line_debris
from toolkit.ingest.readers import RawDocument
from toolkit.text import normalize

NEW_ARTICLE_GAP = 2  # blank lines
# A headline is a line; a longer one is text: it stays in the body, and the article has no
# headline rather than a run-on paragraph (or a dump) printed as one. Real ones: under 200.
MAX_HEADLINE_CHARS = 300


@dataclass
class Line:
    raw: str
    text: str  # normalized
    gap_before: int  # blank lines just before it
    debris: str | None  # why it is page furniture, if it is


@dataclass
class CleanArticle:
    headline: str  # as it stands in the input
    paragraphs: list[str]  # lines of body text as they stand in the input
    dropped: list[str] = field(default_factory=list)
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    outlets: list[str] = field(default_factory=list)
    author: str | None = None
    language: str | None = None


def clean_document(document: RawDocument, rules: DebrisRules) -> list[CleanArticle]:
    lines = _classify(document.lines, rules)
    blocks = _split(lines) if document.may_hold_several else [lines]
    articles = [_assemble(block, document.headline) for block in blocks]
    articles[0].dropped[:0] = document.dropped
    for article in articles:
        article.url, article.date, article.outlet = document.url, document.date, document.outlet
        article.outlets, article.author = list(document.outlets), document.author
        article.language = document.language
    return _fold_empty(articles)


def _classify(raw_lines: list[str], rules: DebrisRules) -> list[Line]:
    lines, gap = [], 0
    for raw in raw_lines:
        text = normalize(raw)
        if not text:
            gap += 1
            continue
        lines.append(
            Line(raw=raw.strip(), text=text, gap_before=gap, debris=line_debris(raw, text, rules))
        )
        gap = 0
    return lines


def _starts_header(lines: list[Line], index: int) -> bool:
    line = lines[index]
    if line.debris or not is_headline_like(line.text):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and (
        following.text == line.text or following.debris in ("caption", "marker")
    )


def _has_body(lines: list[Line]) -> bool:
    return any(not line.debris and ends_like_sentence(line.text) for line in lines)


def _split(lines: list[Line]) -> list[list[Line]]:
    starts, current = [], 0
    for i in range(1, len(lines)):
        candidate = lines[i].gap_before >= NEW_ARTICLE_GAP or _starts_header(lines, i)
        if candidate and all(line.text != lines[i].text for line in lines[current:i]):
            starts.append(i)
            current = i
    pieces = [lines[a:b] for a, b in zip([0, *starts], [*starts, len(lines)], strict=True)]

    joined: list[list[Line]] = []
    pending: list[Line] = []
    for number, piece in enumerate(pieces):
        pending += piece
        if _has_body(pending) or number == len(pieces) - 1:
            joined.append(pending)
            pending = []

    blocks: list[list[Line]] = []
    for block in joined:
        first = next((line for line in block if not line.debris), None)
        own_article = first is not None and is_headline_like(first.text) and _has_body(block)
        if blocks and not (own_article and _has_body(blocks[-1])):
            blocks[-1].extend(block)
        else:
            blocks.append(block)
    return blocks or [[]]


def _choose_headline(content: list[Line], counts: Counter) -> Line | None:
    if not content:
        return None
    if is_headline_like(content[0].text):
        return content[0]
    repeated = [line for line in content if counts[line.text] > 1 and is_headline_like(line.text)]
    if repeated:
        return repeated[0]
    return content[0] if len(content[0].text) <= MAX_HEADLINE_CHARS else None


def _assemble(block: list[Line], given_headline: str | None) -> CleanArticle:
    content = [line for line in block if not line.debris]
    counts = Counter(line.text for line in content)
    chosen = None if given_headline else _choose_headline(content, counts)
    headline = given_headline or (chosen.raw if chosen else "")
    article = CleanArticle(headline=headline, paragraphs=[])
    if len(headline) > MAX_HEADLINE_CHARS:  # a given "title" that is a paragraph
        article.headline, article.paragraphs = "", [headline]
    headline_text = normalize(article.headline)
    seen: set[str] = set()
    for line in block:
        if line is chosen:
            continue
        repeated = line.text in seen
        seen.add(line.text)
        caption = counts[line.text] > 1 and not ends_like_sentence(line.text)
        if line.debris or line.text == headline_text or repeated or caption:
            article.dropped.append(line.raw)
        else:
            article.paragraphs.append(line.raw)
    return article


def _fold_empty(articles: list[CleanArticle]) -> list[CleanArticle]:
    """An 'article' with no text of its own hands its dropped lines to a neighbour."""
    kept = [a for a in articles if a.headline or a.paragraphs]
    if not kept:
        return articles[:1]
    empty: list[CleanArticle] = []  # waiting for the next kept article (linear: no index())
    for article in articles:
        if article.headline or article.paragraphs:
            for waiting in empty:
                article.dropped.extend(waiting.dropped)
            empty = []
        else:
            empty.append(article)
    for waiting in empty:
        kept[-1].dropped.extend(waiting.dropped)
    return kept
