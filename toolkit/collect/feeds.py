"""Feeds and sitemaps → entries (link, title, date). Malformed ones are read as far as they go."""

import calendar
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD (UTC) when the feed gives it


@dataclass
class Listing:
    entries: list[Entry]
    children: list[str]  # a sitemap index's sitemaps
    warning: str | None = None  # malformed: what was wrong, and that the rest was read


def parse_feed(data: bytes, url: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = []
    for item in parsed.entries:
        link = item.get("link") or next(
            (link.get("href") for link in item.get("links", []) if link.get("href")), None
        )
        link = _absolute(link, url)
        if not link:
            continue
        when = item.get("published_parsed") or item.get("updated_parsed")
        day = _day(when) if when else None
        entries.append(Entry(link, (item.get("title") or "").strip() or None, day))
    warning = None
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        warning = (
            f"{url}: malformed feed ({type(error).__name__}: {error}); "
            f"read as far as it goes: {len(entries)} entries"
        )
    return Listing(entries, [], warning)


def parse_sitemap(data: bytes, url: str) -> Listing:
    """<urlset> (with news:publication_date and news:title when present) or <sitemapindex>."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        return Listing([], [], f"{url}: not a readable sitemap ({error}); nothing read")
    entries, children = [], []
    for element in root:
        name = element.tag.rsplit("}", 1)[-1]
        loc = _absolute(_child_text(element, "loc"), url)
        if not loc:
            continue
        if name == "sitemap":
            children.append(loc)
        elif name == "url":
            news = next((e for e in element if e.tag == f"{NEWS}news"), None)
            title = _child_text(news, "title") if news is not None else None
            when = (_child_text(news, "publication_date") if news is not None else None) or (
                _child_text(element, "lastmod")
            )
            entries.append(Entry(loc, title, _iso_day(when)))
    return Listing(entries, children)


def _absolute(link: str | None, base: str) -> str | None:
    """The link resolved against the listing's URL; None unless it is http(s)."""
    if not link:
        return None
    resolved = urljoin(base, link.strip())
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _child_text(element, name: str) -> str | None:
    for child in element:
        if child.tag.rsplit("}", 1)[-1] == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _day(when) -> str:
    """feedparser's UTC struct_time → YYYY-MM-DD."""
    return dt.datetime.fromtimestamp(calendar.timegm(when), dt.UTC).date().isoformat()


def _iso_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date().isoformat()
