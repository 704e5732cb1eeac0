"""A page's article: trafilatura for the main text and metadata, our HTML reader to put back
the real paragraphs trafilatura left out.

trafilatura (comments off) drops the furniture of news pages: nav, cookie notices, share
bars, related links, comments. It also drops link-heavy blocks, and with them a short real
paragraph that is all link, or one set in an inline box. So the page's main container
(its one <article>, else <main>, else <body>) is also read with our own reader
(ArticleHTML below, which skips nav, aside, forms, buttons, captions), and
a line trafilatura left out comes back, in its place, when it reads as a real sentence:
three words or more, Arabic, ending like a sentence, and not furniture by our debris rules
(toolkit/data/debris.tsv). The figures behind this choice are in docs/collect.md.

A page with several top-level <article> elements (a listing) gives one article each.

The page's own publication date is read from what the page declares (published_day): a
meta article:published_time (or datePublished, pubdate, dc.date.issued), JSON-LD
datePublished, else the first <time datetime> of the article. trafilatura's date (htmldate,
which may also guess from the URL or the text) is only the fallback.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

from toolkit.ingest.dates import day_of
from toolkit.ingest.debris import default_rules, ends_like_sentence, line_debris
from toolkit.ingest.raw import RawDocument
from toolkit.text.arabic import LETTER, normalize

MIN_RECOVERED_WORDS = 3
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
)


@dataclass
class Extracted:
    title: str | None
    paragraphs: list[str]
    date: str | None = None  # YYYY-MM-DD: the page's own published date, else trafilatura's
    author: str | None = None
    recovered: int = 0  # paragraphs put back after trafilatura
    published: str | None = None  # YYYY-MM-DD (UTC), declared by the page itself


def extract_page(html: str | bytes) -> list[Extracted]:
    import lxml.html
    from lxml.etree import ParserError

    if isinstance(html, str):
        html = XML_DECLARATION.sub("", html, count=1)  # lxml refuses it in decoded text
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return []
    articles = [a for a in tree.iter("article") if not _inside_article(a)]
    if len(articles) >= 2:
        return [
            _extract(lxml.html.tostring(a, encoding="unicode"), a, published_day(a, a))
            for a in articles
        ]
    container = articles[0] if articles else next(tree.iter("main"), None)
    if container is None:
        container = tree.find("body") if tree.find("body") is not None else tree
    return [_extract(html, container, published_day(tree, container))]


def published_day(tree, container) -> str | None:
    """The publication day the page declares: its meta tags and JSON-LD (anywhere in
    `tree`), else the first <time datetime> in `container`. Impossible dates are passed over."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in PUBLISHED_META and (day := day_of(meta.get("content"))):
            return day
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind == "application/ld+json" and (day := _json_ld_day(script.text or "")):
            return day
    times = [t for t in container.iter("time") if t.get("datetime")]
    times.sort(key=lambda t: (t.get("itemprop") or "").lower() != "datepublished")
    return next((day for t in times if (day := day_of(t.get("datetime")))), None)


def _json_ld_day(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    pending = [data]
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending += item
        elif isinstance(item, dict):
            if day := day_of(item.get("datePublished")):
                return day
            pending += [value for value in item.values() if isinstance(value, list | dict)]
    return None


def _inside_article(element) -> bool:
    return any(parent.tag == "article" for parent in element.iterancestors())


def _extract(html: str | bytes, container, published: str | None) -> Extracted:
    import lxml.html
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html, include_comments=False, with_metadata=True, include_images=False
        )
    except Exception:  # hostile markup may break trafilatura; our reader still reads it
        document = None
    reader = ArticleHTML()
    reader.feed(lxml.html.tostring(container, encoding="unicode"))
    reader.close()
    reader.flush()
    ours = [line for part in reader.articles for line in part.lines]
    headline = next((part.headline for part in reader.articles if part.headline), None)
    if document is None or not (document.text or "").strip():
        return Extracted(headline or reader.title, ours, published, published=published)
    found = [line for line in document.text.splitlines() if line.strip()]
    merged, recovered = merge(found, ours)
    return Extracted(
        title=document.title or headline or reader.title,
        paragraphs=merged,
        date=published or day_of(document.date),
        author=document.author,
        recovered=recovered,
        published=published,
    )


def merge(found: list[str], ours: list[str]) -> tuple[list[str], int]:
    """trafilatura's lines, with our reader's real-sentence lines it lacks put back in order."""
    rules = default_rules()
    normalized = [normalize(line) for line in found]
    whole = " ".join(normalized)
    inserts: dict[int, list[str]] = defaultdict(list)
    position = 0
    for line in ours:
        text = normalize(line)
        match = next((i for i in range(position, len(found)) if text in normalized[i]), None)
        if match is not None:
            position = match + 1
        elif text not in whole and _reads_as_sentence(line, text, rules):
            inserts[position].append(line)
    merged = []
    for number, line in enumerate(found):
        merged += inserts[number]
        merged.append(line)
    merged += inserts[len(found)]
    return merged, sum(len(lines) for lines in inserts.values())


def _reads_as_sentence(raw: str, text: str, rules) -> bool:
    return (
        len(text.split()) >= MIN_RECOVERED_WORDS
        and bool(LETTER.search(text))
        and ends_like_sentence(text)
        and line_debris(raw, text, rules) is None
    )


class ArticleHTML(HTMLParser):
    """Collects the text of block elements, skipping scripts, styles, navigation and forms.

    The fallback of extract_page, which reads pages with trafilatura first.
    """

    SKIP = {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "svg",
        "button",
        "iframe",
        "template",
        "select",
        "figcaption",
    }
    BLOCKS = {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "div",
        "section",
        "br",
        "tr",
        "dd",
        "dt",
        "pre",
        "title",
        "article",
        "main",
        "figure",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.articles: list[RawDocument] = [RawDocument(lines=[])]
        self.title: str | None = None
        self.skipping = 0
        self.in_title = False
        self.in_h1 = False
        self.article_depth = 0
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if not text:
            return
        document = self.articles[-1]
        if self.in_title:
            self.title = self.title or text
        elif self.in_h1 and document.headline is None:
            document.headline = text
        else:
            document.lines.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS or tag == "h1":
            self.flush()
        if tag == "article":
            if self.article_depth == 0 and (self.articles[-1].lines or self.articles[-1].headline):
                self.articles.append(RawDocument(lines=[]))
            self.article_depth += 1
        self.in_title = self.in_title or tag == "title"
        self.in_h1 = self.in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS or tag == "h1":
            self.flush()
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag == "article":
            self.article_depth = max(0, self.article_depth - 1)

    def handle_data(self, data):
        if not self.skipping:
            self.buffer.append(data)
