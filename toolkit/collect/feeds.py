"""Feeds and sitemaps → entries (link, title, date). Malformed ones are read as far as they go;
a link that does not pass toolkit.collect.urls is named in `bad` and the rest are read."""

from dataclasses import dataclass, field

from toolkit.collect.dates import day_of
from toolkit.collect.urls import BadURL, checked_url

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True)
class Entry:
    url: str  # checked and canonical
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD (UTC) when the feed gives it


@dataclass
class Listing:
    entries: list[Entry]
    children: list[str]  # a sitemap index's sitemaps
    warning: str | None = None  # malformed: what was wrong, and that the rest was read
    bad: list[str] = field(default_factory=list)  # each item whose link is not a valid URL


def parse_feed(data: bytes, url: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries, bad = [], []
    for number, item in enumerate(parsed.entries, 1):
        link = item.get("link") or next(
            (link.get("href") for link in item.get("links", []) if link.get("href")), None
        )
        title = (item.get("title") or "").strip() or None
        if not link:
            continue
        try:
            link = checked_url(link, url)
        except BadURL as error:
            bad.append(f"item {number}{f' ({title})' if title else ''}: bad link: {error}")
            continue
        day = day_of(item.get("published_parsed")) or day_of(item.get("updated_parsed"))
        entries.append(Entry(link, title, day))
    warning = None
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        warning = (
            f"{url}: malformed feed ({type(error).__name__}: {error}); "
            f"read as far as it goes: {len(entries)} entries"
        )
    return Listing(entries, [], warning, bad)


def parse_sitemap(data: bytes, url: str) -> Listing:
    """<urlset> (with news:publication_date and news:title when present) or <sitemapindex>."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        return Listing([], [], f"{url}: not a readable sitemap ({error}); nothing read")
    entries, children, bad = [], [], []
    for number, element in enumerate(root, 1):
        name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        loc = _child_text(element, "loc")
        if name not in ("sitemap", "url") or not loc:
            continue
        try:
            loc = checked_url(loc, url)
        except BadURL as error:
            bad.append(f"{name} {number}: bad <loc>: {error}")
            continue
        if name == "sitemap":
            children.append(loc)
        elif name == "url":
            news = next((e for e in element if e.tag == f"{NEWS}news"), None)
            title = _child_text(news, "title") if news is not None else None
            published = _child_text(news, "publication_date") if news is not None else None
            day = day_of(published) or day_of(_child_text(element, "lastmod"))
            entries.append(Entry(loc, title, day))
    return Listing(entries, children, None, bad)


def _child_text(element, name: str) -> str | None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag.rsplit("}", 1)[-1] == name and child.text and child.text.strip():
            return child.text.strip()
    return None
