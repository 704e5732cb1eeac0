"""Atom feeds (RFC 4287) with ids stable across rebuilds.

The day's feed.xml has one entry per article of the day; the archive's rolling feed.xml at
the top of the outputs folder has one entry per story of the last 30 days, whose id stays
the same while the story grows.
"""

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.document import Article
from toolkit.publish.article import ModelRef, article_link
from toolkit.publish.digest import digest_title

ATOM = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.UUID("6f1c1c52-8f0e-4d33-9a43-2f57b3c1a9d1")  # this toolkit's feeds


@dataclass(frozen=True)
class FeedEntry:
    article: Article
    model: ModelRef
    day: str  # the day it was published (YYYY-MM-DD)
    href: str
    type: str = "text/html"
    identity: str | None = None  # a story's id in the rolling feed, else the article's
    lead: str = ""  # before the summary
    page: str | None = None  # the article page, when `href` is another (a digest section)


def entry_id(article: Article) -> str:
    """Same article content, same id: the source file's hash and the article's place in it."""
    return uuid.uuid5(ID_NAMESPACE, f"{article.source.sha256}/{article.id}").urn


def story_entry_id(story: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, f"story/{story}").urn


def feed_id(name: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, name).urn


def atom_feed(records: list[tuple[Article, ModelRef]], date: str) -> str:
    """The day's feed: one entry per article, linked to its page."""
    entries = [FeedEntry(article, model, date, article_link(article)) for article, model in records]
    return render_feed(feed_id(f"digest/{date}"), digest_title(date), date, "digest.html", entries)


def render_feed(
    identity: str, title: str, updated_day: str, link: str, entries: Iterable[FeedEntry]
) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", identity)
    _add(feed, "title", title)
    _add(feed, "updated", _timestamp(updated_day))
    ET.SubElement(_add(feed, "author"), f"{{{ATOM}}}name").text = "toolkit"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
    for item in entries:
        article = item.article
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", item.identity or entry_id(article))
        _add(entry, "title", article.headline.en or article.headline.ar)
        day = article.source.date if _is_day(article.source.date) else item.day
        _add(entry, "updated", _timestamp(day))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type=item.type, href=item.href)
        if item.page:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", type="text/html", href=item.page)
        _add_origin(entry, article)
        summary = item.lead + (article.brief.bluf if article.brief else "")
        if item.model.synthetic:
            summary = f"[SYNTHETIC MODEL: meaningless English] {summary}"
        _add(entry, "summary", summary)
        for entity in article.brief.entities if article.brief else []:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=entity.english, label=entity.kind)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add_origin(entry: ET.Element, article: Article) -> None:
    """The original: its link (titled with the outlet), the outlet as author, its date."""
    source = article.source
    if source.url:
        origin = {"title": source.outlet} if source.outlet else {}
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="via", href=source.url, **origin)
    if source.outlet:
        ET.SubElement(_add(entry, "author"), f"{{{ATOM}}}name").text = source.outlet
    if _is_day(source.date):
        _add(entry, "published", _timestamp(source.date))


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _is_day(value: str | None) -> bool:
    return bool(value) and len(value) == 10 and value[4] == "-" and value[7] == "-"
