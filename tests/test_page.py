"""The article page (articles/<id>.html): the Arabic beside its English, its story's other
versions across days, and the links to it from the digest, the feeds and the index."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from test_nightly import nightly
from test_publish import HOSTILE, make_article, write_day
from test_stories import DAYS, INBOXES, write_inbox

from toolkit.publish import publish_digest
from toolkit.publish.article import ModelRef, article_path
from toolkit.publish.page import Version, article_page, highlight


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """`python -m http.server` on 127.0.0.1 serving `folder`, stopped on the way out."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[str, bytes]:
    """Content-Type and body of a loopback URL (no proxy asked)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read()


MODEL = ModelRef("opus-mt-tc-big-ar-en", "ab" * 32, "int8", False)


class Page(HTMLParser):
    """Links, the text of each element with a dir/lang, and what the <head> declares."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.arabic: list[str] = []  # text of <p dir="rtl" lang="ar">
        self.english: list[str] = []  # text of <p class="en">
        self.flagged = 0
        self.marks: list[tuple[str, str]] = []
        self.charset_at: int | None = None
        self._stack: list[tuple[str, list[str] | None]] = []
        self._mark: str | None = None
        self.feed(text)
        self.charset_at = text.find('<meta charset="utf-8">')

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "mark":
            self._mark = attrs["class"]
            self.marks.append((self._mark, ""))
        if attrs.get("class") == "s flagged":
            self.flagged += 1
        if tag == "p":
            target = None
            if attrs.get("dir") == "rtl" and attrs.get("lang") == "ar":
                target = self.arabic
            elif attrs.get("class") == "en":
                target = self.english
            if target is not None:
                target.append("")
            self._stack.append((tag, target))

    def handle_endtag(self, tag):
        if tag == "p" and self._stack:
            self._stack.pop()
        if tag == "mark":
            self._mark = None

    def handle_data(self, data):
        if self._stack and self._stack[-1][1] is not None:
            self._stack[-1][1][-1] += data
        if self._mark:
            kind, text = self.marks[-1]
            self.marks[-1] = (kind, text + data)


def test_a_page_escapes_article_text_and_marks_what_matters():
    article = make_article(1, HOSTILE)
    article.source.url = "javascript:alert(1)"
    html = article_page(article, MODEL, [Version("v-2", "2026-11-20", "Al Arabiya", "Earlier")])
    body = html.split("</style>", 1)[1]
    assert "<script" not in body and "&lt;script&gt;" in body
    assert 'href="javascript' not in html  # a source URL that is not http(s) is text only
    assert "Content-Security-Policy" in html and "script-src" not in html
    page = Page(html)
    assert 0 < page.charset_at < 1024  # UTF-8 declared where a browser looks for it
    assert page.arabic[0] == "الشرطة تعتقل خمسة بتهمة تمويل داعش"  # the headline
    assert page.arabic[1:] == [s.ar for s in article.sentences]  # one per paragraph
    assert page.english == [
        s.en + ("" if not s.flags else " ⚑ glossary") for s in article.sentences
    ]
    assert page.flagged == 2  # the flagged sentence, on both sides (the legend is a span)
    assert ("figure", "خمسة أشخاص") in page.marks and ("name", "داعش") in page.marks
    assert ("name", "ويسترن يونيون") in page.marks and ("name", "ISIS") in page.marks
    assert "../../2026-11-20/articles/v-2.html" in page.links
    assert "story-1.json" in page.links and "story-1.en.md" in page.links


def test_a_synthetic_page_says_so_and_a_lone_report_has_no_versions():
    html = article_page(make_article(1), ModelRef("tiny", "00" * 32, "int8", True))
    assert "SYNTHETIC MODEL" in html and "The only report of its story so far." in html


def test_pages_read_as_far_back_as_stories_take_reports():
    from toolkit.publish.page import STORY_DAYS
    from toolkit.stories import WINDOW_DAYS

    assert STORY_DAYS == WINDOW_DAYS


def test_highlights_prefer_the_longer_name_and_never_overlap():
    text = "عبر ويسترن يونيون و<b>"
    out = highlight(text, [("ويسترن", "name"), ("ويسترن يونيون", "name"), ("x", "figure")])
    assert out == 'عبر <mark class="name">ويسترن يونيون</mark> و&lt;b&gt;'


def test_article_links_are_the_pages_percent_encoded():
    assert article_path("story-1") == "articles/story-1.html"
    assert article_path("a b(1)") == "articles/a%20b%281%29.html"
    assert article_path("خبر-1") == "articles/خبر-1.html"


def test_the_digest_and_the_day_feed_link_the_pages(tmp_path):
    day = write_day(tmp_path / "2026-11-23", [make_article(1), make_article(2)])
    publish_digest(day)
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert "(articles/story-1.html)" in digest and ".en.md" not in digest
    feed = (day / "feed.xml").read_text(encoding="utf-8")
    assert 'href="articles/story-2.html"' in feed and 'type="text/html"' in feed
    assert ".en.md" not in feed
    for number in (1, 2):
        assert (day / "articles" / f"story-{number}.html").is_file()


def test_a_folder_that_is_not_a_day_gets_pages_without_versions(tmp_path):
    folder = write_day(tmp_path / "batch-out", [make_article(1)])
    publish_digest(folder, "2026-11-23")
    page = (folder / "articles" / "story-1.html").read_text(encoding="utf-8")
    assert "The only report of its story so far." in page and "../digest.html" not in page


@pytest.fixture(scope="module")
def three_nights(tiny_model, tmp_path_factory) -> Path:
    """Three nightly runs (--date each day) on the tiny model: two stories grow across days."""
    root = tmp_path_factory.mktemp("pages")
    outputs = root / "outputs"
    for day, names in INBOXES.items():
        result = nightly(write_inbox(root / day, names), outputs, tiny_model, date=day)
        assert result.exit_code == 0, result.output
    return outputs


def internal_links(page: Path) -> list[str]:
    links = Page(page.read_text(encoding="utf-8")).links
    return [link for link in links if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


def test_every_article_of_a_multi_day_nightly_has_its_page(three_nights):
    records = sorted(three_nights.glob("*/articles/*.json"))
    assert len(records) == 9
    for record in records:
        data = json.loads(record.read_text(encoding="utf-8"))
        page = Page(record.with_suffix(".html").read_text(encoding="utf-8"))
        assert page.arabic[0] == data["headline"]["ar"]
        paragraphs = {s["paragraph"] for s in data["sentences"]}
        assert len(page.arabic) == 1 + len(paragraphs) == 1 + len(page.english)
        for link in internal_links(record.with_suffix(".html")):
            assert (record.parent / unquote(link)).resolve().is_file(), (record.name, link)


def test_pages_list_their_story_across_days_and_old_pages_are_refreshed(three_nights):
    stories = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))["story"]
        for p in three_nights.glob("*/articles/*.json")
    }
    first = three_nights / DAYS[0] / "articles" / "valencia-1-1.html"
    links = [link for link in internal_links(first) if link.endswith(".html")]
    links = [link for link in links if link != "../digest.html"]
    # written on day 1, refreshed on day 3 when the story gained two reports
    assert sorted(links) == [
        f"../../{DAYS[2]}/articles/valencia-4-1.html",
        f"../../{DAYS[2]}/articles/valencia-5-1.html",
        "valencia-2-1.html",
    ]
    assert {stories[Path(link).stem] for link in links} == {stories["valencia-1-1"]}
    lone = three_nights / DAYS[2] / "articles" / "istanbul-1-1.html"
    assert "The only report of its story so far." in lone.read_text(encoding="utf-8")


def test_the_digests_and_the_index_link_pages_and_no_markdown(three_nights):
    for day in DAYS:
        digest = three_nights / day / "digest.html"
        links = internal_links(digest)
        assert not [link for link in links if ".md" in link]
        pages = [link for link in links if "/articles/" in link or link.startswith("articles/")]
        assert len(pages) >= 3
        for link in pages:
            assert (digest.parent / unquote(link)).resolve().is_file(), link
    index = three_nights / "index.html"
    pages = [link for link in internal_links(index) if "/articles/" in link]
    assert pages and all((three_nights / unquote(link)).is_file() for link in pages)
    rolling = (three_nights / "feed.xml").read_text(encoding="utf-8")
    related = re.findall(r'<link rel="related" type="text/html" href="([^"]+)"', rolling)
    assert len(related) == 4  # one per story
    assert all((three_nights / unquote(urljoin("", link))).is_file() for link in related)
