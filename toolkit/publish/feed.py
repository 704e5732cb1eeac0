"""feed.xml: an Atom feed (RFC 4287) of the day's articles, with ids stable across rebuilds."""

import uuid
import xml.etree.ElementTree as ET

from toolkit.document import Article
from toolkit.publish.article import ModelRef

ATOM = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.UUID("6f1c1c52-8f0e-4d33-9a43-2f57b3c1a9d1")  # this toolkit's feeds


def entry_id(article: Article) -> str:
    """Same article content, same id: the source file's hash and the article's place in it."""
    return uuid.uuid5(ID_NAMESPACE, f"{article.source.sha256}/{article.id}").urn


def atom_feed(records: list[tuple[Article, ModelRef]], date: str) -> str:
    ET.register_namespace("", ATOM)
    updated = f"{date}T00:00:00Z"
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", uuid.uuid5(ID_NAMESPACE, f"digest/{date}").urn)
    _add(feed, "title", f"Arabic press briefing — {date}")
    _add(feed, "updated", updated)
    ET.SubElement(_add(feed, "author"), f"{{{ATOM}}}name").text = "toolkit"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href="digest.html")
    for article, model in records:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", entry_id(article))
        _add(entry, "title", article.headline.en or article.headline.ar)
        _add(
            entry,
            "updated",
            f"{article.source.date}T00:00:00Z" if _is_day(article.source.date) else updated,
        )
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="text/markdown",
            href=f"articles/{article.id}.en.md",
        )
        summary = article.brief.bluf if article.brief else ""
        if model.synthetic:
            summary = f"[SYNTHETIC MODEL: meaningless English] {summary}"
        _add(entry, "summary", summary)
        for entity in article.brief.entities if article.brief else []:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=entity.english, label=entity.kind)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _is_day(value: str | None) -> bool:
    return bool(value) and len(value) == 10 and value[4] == "-" and value[7] == "-"
