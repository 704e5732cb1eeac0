"""OUTPUTS/index.html and the rolling OUTPUTS/feed.xml (`toolkit archive`, run by nightly)."""

import re
import shutil
from dataclasses import replace
from pathlib import Path

from conftest import REPO, invoke
from test_nightly import nightly
from test_publish import ATOM, HOSTILE, FakeInfo, make_article, parse_feed, write_day

from toolkit.document import Entity
from toolkit.publish import publish_archive, publish_digest
from toolkit.publish.feed import entry_id, story_entry_id


def hostile_entity(article):
    article.brief = replace(
        article.brief, entities=[Entity(HOSTILE, "other", 4), *article.brief.entities]
    )
    return article


def make_outputs(root: Path) -> Path:
    """Four dated days (one 40 days before the newest), a non-day folder, a day without digest."""
    days = {
        "2026-11-24": [
            make_article(1),
            hostile_entity(make_article(2, "Telegram closes channels")),
        ],
        "2026-11-22": [make_article(3)],
        "2026-10-26": [make_article(4)],  # 29 days before the newest: still in the feed
        "2026-10-15": [make_article(5)],  # 40 days before: in the index only
    }
    for day, articles in days.items():
        publish_digest(write_day(root / day, articles))
    write_day(root / "2026-11-25", [make_article(6)])  # translated, never briefed
    (root / "demo").mkdir()
    (root / "tm.sqlite").write_bytes(b"")
    return root


def index_rows(html: str) -> list[str]:
    """The day rows of the index (the stories table links to a day's sections)."""
    return re.findall(r'<td><a href="(\d{4}-\d{2}-\d{2}/digest\.html)">', html)


def test_index_lists_every_day_newest_first(tmp_path):
    outputs = make_outputs(tmp_path / "outputs")
    result = invoke("archive", outputs)
    assert result.exit_code == 0, result.output
    assert "archive of 4 day(s), 4 feed entries" in result.stdout
    html = (outputs / "index.html").read_text(encoding="utf-8")
    assert index_rows(html) == [
        "2026-11-24/digest.html",
        "2026-11-22/digest.html",
        "2026-10-26/digest.html",
        "2026-10-15/digest.html",
    ]
    first = html.split("<h2>Days</h2>")[1].split("<tr>")[2]  # header row, then the newest day
    assert "<td>2</td>" in first
    assert "ISIS ×2, Western Union ×2" in first  # top entities, most mentioned first
    assert "glossary 2" in first
    assert '<a href="feed.xml">feed.xml</a>' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_index_escapes_text_and_allows_no_script(tmp_path):
    outputs = make_outputs(tmp_path / "outputs")
    publish_archive(outputs)
    html = (outputs / "index.html").read_text(encoding="utf-8")
    body = html.split("</style>")[1]
    assert "<script>" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;" in body and "<em>three</em>" not in body
    assert "default-src 'none'" in html and "script-src" not in html


def test_index_marks_synthetic_days(tmp_path):
    FakeInfo.synthetic = True
    try:
        publish_digest(write_day(tmp_path / "2026-11-24", [make_article(1)]))
    finally:
        FakeInfo.synthetic = False
    publish_archive(tmp_path)
    assert "<strong>synthetic model</strong>" in (tmp_path / "index.html").read_text("utf-8")
    assert "[SYNTHETIC MODEL" in (tmp_path / "feed.xml").read_text("utf-8")


def test_rolling_feed_is_atom_over_30_days_with_stable_ids(tmp_path):
    outputs = make_outputs(tmp_path / "outputs")
    publish_archive(outputs)
    root = parse_feed(outputs / "feed.xml")
    assert root.find(f"{ATOM}updated").text == "2026-11-24T00:00:00Z"
    assert root.find(f"{ATOM}link").get("href") == "index.html"
    entries = root.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [
        "2026-11-24/digest.html#article-1",
        "2026-11-24/digest.html#article-2",
        "2026-11-22/digest.html#article-1",
        "2026-10-26/digest.html#article-1",
    ]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    # one entry per story; an article without a story id is a story of its own
    assert ids[0] == story_entry_id("story-1") and len(set(ids)) == 4
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}").text, name
    assert entries[0].find(f"{ATOM}summary").text.startswith("1 report(s): example.org; first")
    # the day feeds keep one entry per article
    day_feed = parse_feed(outputs / "2026-11-24" / "feed.xml")
    assert [e.find(f"{ATOM}id").text for e in day_feed.findall(f"{ATOM}entry")] == [
        entry_id(make_article(1)),
        entry_id(make_article(2)),
    ]

    feed_id = root.find(f"{ATOM}id").text
    before = (outputs / "feed.xml").read_bytes()
    publish_digest(outputs / "2026-11-22")  # a rebuild of a day changes nothing
    publish_archive(outputs)
    assert (outputs / "feed.xml").read_bytes() == before

    publish_digest(write_day(outputs / "2026-11-26", [make_article(7)]))  # a new day
    publish_archive(outputs)
    again = parse_feed(outputs / "feed.xml")
    assert again.find(f"{ATOM}id").text == feed_id  # one feed, forever
    new_ids = [e.find(f"{ATOM}id").text for e in again.findall(f"{ATOM}entry")]
    # the window moved: 2026-10-26 is now 31 days before the newest
    assert new_ids[0] == story_entry_id("story-7") and new_ids[1:] == ids[:3]


def test_a_story_keeps_its_feed_entry_while_it_grows(tmp_path):
    outputs = make_outputs(tmp_path / "outputs")
    publish_archive(outputs)
    first = parse_feed(outputs / "feed.xml").findall(f"{ATOM}entry")
    follow_up = make_article(8, "Five charged over ISIS funding")
    follow_up.story = "story-3"  # joins the story of 2026-11-22
    publish_digest(write_day(outputs / "2026-11-26", [follow_up]))
    publish_archive(outputs)
    entries = parse_feed(outputs / "feed.xml").findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert story_entry_id("story-3") == first[2].find(f"{ATOM}id").text
    # the grown story comes first under its old id; 2026-10-26 has left the 30 days
    assert ids == [story_entry_id(s) for s in ("story-3", "story-1", "story-2")]
    assert entries[0].find(f"{ATOM}link").get("href") == "2026-11-26/digest.html#article-1"
    assert entries[0].find(f"{ATOM}summary").text.startswith("2 report(s)")
    assert entries[0].find(f"{ATOM}updated").text.startswith("2026-11-2")
    html = (outputs / "index.html").read_text(encoding="utf-8")
    stories = html.split("<h2>Days</h2>")[0]
    assert (
        '<a href="2026-11-26/digest.html#article-1">Five charged over ISIS funding</a>' in stories
    )
    assert "<td>2</td>\n<td>example.org</td>\n<td>2026-11-22</td>\n<td>2026-11-26</td>" in stories


def test_empty_outputs_give_a_friendly_index_and_an_empty_feed(tmp_path):
    result = invoke("archive", tmp_path)
    assert result.exit_code == 0, result.output
    assert "No briefings yet" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert parse_feed(tmp_path / "feed.xml").findall(f"{ATOM}entry") == []


def test_archive_of_a_missing_folder_is_a_usage_error(tmp_path):
    result = invoke("archive", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "nope: no such folder" in result.stderr


def test_a_broken_record_is_named(tmp_path):
    outputs = make_outputs(tmp_path / "outputs")
    (outputs / "2026-11-22" / "articles" / "bad.json").write_text("{nope", encoding="utf-8")
    result = invoke("archive", outputs)
    assert result.exit_code == 1
    assert "bad.json" in result.stderr
    assert len(index_rows((outputs / "index.html").read_text(encoding="utf-8"))) == 4


def test_nightly_builds_the_archive(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted((REPO / "inbox").iterdir())[0], inbox)
    outputs = tmp_path / "outputs"
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 0, result.output
    assert index_rows((outputs / "index.html").read_text(encoding="utf-8")) == [
        "2026-11-23/digest.html"
    ]
    (entry,) = parse_feed(outputs / "feed.xml").findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == "2026-11-23/digest.html#article-1"
