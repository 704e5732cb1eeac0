"""Stories: clustering on the labelled set, a three-day nightly, `toolkit stories`, the digest
by story, entity trends and `toolkit bench --stories`."""

import json
import random
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, invoke
from test_nightly import nightly

from toolkit.stories import trends
from toolkit.stories.cluster import cluster
from toolkit.stories.labelled import BCubed, read_labelled, score

LABELLED = REPO / "tests" / "data" / "stories"
DAYS = ("2026-03-02", "2026-03-03", "2026-03-04")
# one developing story (Valencia: days 1 and 3) and one (Tangier: days 1 and 2), with their
# look-alikes: another Europol crypto operation (Warsaw), another hawala cell (Istanbul)
INBOXES = {
    DAYS[0]: ("valencia-1", "valencia-2", "tangier-1"),
    DAYS[1]: ("warsaw-1", "warsaw-2", "tangier-3"),
    DAYS[2]: ("valencia-4", "valencia-5", "istanbul-1"),
}


@pytest.fixture(scope="module")
def labelled():
    return read_labelled(LABELLED)


def test_the_labelled_set_is_clustered_right_and_no_trap_is_merged(labelled):
    assert len(labelled) >= 40 and len({item.label for item in labelled}) >= 12
    assert len({item.doc.day for item in labelled}) >= 5
    assert len({item.doc.outlet for item in labelled}) >= 6
    result = score(labelled)
    assert result.traps_merged == []
    assert result.f1 >= 0.9, result
    assert result.stories == len({item.label for item in labelled})


def test_ids_do_not_depend_on_the_order_articles_come_in(labelled):
    docs = [item.doc for item in labelled]
    first = cluster([], docs).assigned
    random.Random(3).shuffle(docs)
    assert cluster([], docs).assigned == first
    assert all(re.fullmatch(r"s-[0-9a-f]{10}", story) for story in first.values())


def test_the_real_articles_are_eight_events(shared_articles):
    from toolkit.glossary import Matcher, default_glossary_files, load_glossary
    from toolkit.ingest import ingest_file
    from toolkit.stories.features import doc_from_text

    matcher = Matcher(load_glossary(default_glossary_files()))
    docs = [
        doc_from_text(
            a.id, "2026-03-02", a.headline.ar, " ".join(s.ar for s in a.sentences), matcher
        )
        for path in sorted(shared_articles.iterdir())
        for a in ingest_file(str(path)).articles
    ]
    assert len(docs) == 8  # ISIS recruiting, ISIS and Bitcoin, 40,000 accounts, Hamas, …
    assert len(set(cluster([], docs).assigned.values())) == 8


def test_bcubed():
    assert BCubed().corpus(["a", "a", "b"], ["x", "y", "y"]) == {
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
    }
    assert BCubed().corpus(["a", "b"], ["x", "x"])["precision"] == 1.0
    assert BCubed().corpus(["a", "a"], ["x", "y"])["recall"] == 1.0


def test_trends_rising_and_new_names():
    earlier = {"2026-03-01": Counter({"ISIS": 14, "Europol": 1}), "2026-03-02": Counter()}
    found = trends(Counter({"ISIS": 2, "Europol": 3, "Telegram": 1}), earlier)
    assert [(t.name, t.status) for t in found] == [("Europol", "rising"), ("Telegram", "new")]
    assert found[0].average == 0.5 and found[0].today == 3
    assert trends(Counter({"ISIS": 1}), {}) == []  # no earlier day: nothing to compare


def write_inbox(folder: Path, names: tuple[str, ...]) -> Path:
    articles = {
        a["id"]: a
        for path in LABELLED.glob("*.json")
        for a in json.loads(path.read_text(encoding="utf-8"))["articles"]
    }
    folder.mkdir(parents=True)
    for name in names:
        a = articles[name]
        record = {
            "title": a["headline"],
            "text": a["text"],
            "source": a["outlet"],
            "url": a["url"],
            "date": a["day"],
        }
        (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return folder


def story_ids(outputs: Path) -> dict[str, str]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))["story"]
        for path in sorted(outputs.glob("*/articles/*.json"))
    }


@pytest.fixture(scope="module")
def three_days(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("three-days")
    outputs = root / "outputs"
    for day, names in INBOXES.items():
        result = nightly(write_inbox(root / day, names), outputs, tiny_model, date=day)
        assert result.exit_code == 0, result.output
    return root, outputs


def test_three_nights_give_the_right_stories(three_days):
    _, outputs = three_days
    ids = story_ids(outputs)
    assert len(ids) == 9
    valencia = {ids[f"valencia-{n}-1"] for n in (1, 2, 4, 5)}
    tangier = {ids["tangier-1-1"], ids["tangier-3-1"]}
    assert len(valencia) == 1 and len(tangier) == 1
    warsaw = {ids["warsaw-1-1"], ids["warsaw-2-1"]}
    assert len(warsaw) == 1 and not warsaw & valencia
    assert ids["istanbul-1-1"] not in tangier | valencia | warsaw
    assert len(set(ids.values())) == 4


def test_reruns_and_rebuilds_keep_the_ids(three_days, tiny_model):
    root, outputs = three_days
    before = story_ids(outputs)
    digest = (outputs / DAYS[2] / "digest.md").read_text(encoding="utf-8")
    for day in (DAYS[1], DAYS[2]):  # a rerun of a day in the middle, then of the last
        result = nightly(root / day, outputs, tiny_model, date=day)
        assert result.exit_code == 0, result.output
    assert story_ids(outputs) == before
    assert invoke("brief", outputs / DAYS[2]).exit_code == 0
    assert story_ids(outputs) == before
    assert (outputs / DAYS[2] / "digest.md").read_text(encoding="utf-8") == digest
    (outputs / DAYS[1] / ".stories-features.json").write_text("{nope", encoding="utf-8")
    assert nightly(root / DAYS[2], outputs, tiny_model, date=DAYS[2]).exit_code == 0
    assert story_ids(outputs) == before  # a broken cache is rebuilt, never fatal
    assert json.loads((outputs / DAYS[1] / ".stories-features.json").read_text("utf-8"))


def test_stories_json(three_days):
    _, outputs = three_days
    result = invoke("stories", outputs, "--json")
    assert result.exit_code == 0, result.output
    stories = json.loads(result.stdout)
    assert len(stories) == 4
    for story in stories:
        assert set(story) == {
            "id",
            "first_seen",
            "last_seen",
            "articles",
            "headline",
            "entities",
        } | {
            "lead",
            "developing",
            "breaking",
        }
        for article in story["articles"]:
            assert set(article) == {"id", "day", "outlet", "url"}
        assert [a["day"] for a in story["articles"]] == sorted(a["day"] for a in story["articles"])
        assert story["first_seen"] == story["articles"][0]["day"]
        assert story["last_seen"] == story["articles"][-1]["day"]
    valencia = next(s for s in stories if len(s["articles"]) == 4)
    assert (valencia["first_seen"], valencia["last_seen"]) == (DAYS[0], DAYS[2])
    assert {a["outlet"] for a in valencia["articles"]} == {
        "الشرق الأوسط",
        "العربية",
        "اندبندنت عربية",
    }
    assert valencia["articles"][0]["url"].startswith("https://example.org/")
    assert "Europol" in valencia["entities"]
    assert stories[0]["last_seen"] == DAYS[2]  # newest first

    of_day = json.loads(invoke("stories", outputs, "--day", DAYS[1], "--json").stdout)
    assert len(of_day) == 2  # Warsaw and Tangier
    text = invoke("stories", outputs, "--day", DAYS[2])
    assert text.exit_code == 0 and text.stdout.count("(developing)") == 1
    assert invoke("stories", outputs, "--day", "March").exit_code == 2


class Sections(HTMLParser):
    """The digest page's h2 sections: id → text, and every link."""

    def __init__(self):
        super().__init__()
        self.headings: dict[str, str] = {}
        self.links: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self._open = attrs.get("id") or ""
            self.headings[self._open] = ""
        if tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "h2":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self.headings[self._open] += data


def test_the_digest_has_one_section_per_story(three_days):
    _, outputs = three_days
    day = outputs / DAYS[2]
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert "3 article(s) in 2 stories" in digest
    sections = re.findall(r"^## \d+\. .*$", digest, flags=re.M)
    assert len(sections) == 2
    # Valencia: two reports today (first), developing since day 1, four reports in all
    first = digest.split(sections[0])[1].split(sections[1])[0]
    assert first.lstrip().startswith("*developing* · 4 report(s): ")
    assert f"; first seen {DAYS[0]}" in first
    assert "الشرق الأوسط" in first and "اندبندنت عربية" in first
    assert first.count(f"](../{DAYS[0]}/articles/valencia-") == 2  # earlier versions
    assert first.count("](articles/valencia-") == 2  # the other one of today, and its own
    second = digest.split(sections[1])[1]
    assert second.lstrip().startswith(f"1 report(s): الجزيرة نت; first seen {DAYS[2]}")
    overview = digest.split("## Overview")[1].split("\n## ")[0]
    rows = [line for line in overview.splitlines() if re.match(r"\| \d", line)]
    assert len(rows) == 2 and "*developing* | 4 | 2026-03-02 |" in rows[0]
    assert "*developing*" not in rows[1]

    page = Sections()
    page.feed((day / "digest.html").read_text(encoding="utf-8"))
    assert [key for key in page.headings if key.startswith("article-")] == [
        "article-1",
        "article-2",
    ]
    assert sum(link.startswith(f"../{DAYS[0]}/articles/") for link in page.links) == 2
    assert "#article-1" in page.links and "#article-2" in page.links

    # the archive index and the rolling feed: one entry per story
    index = (outputs / "index.html").read_text(encoding="utf-8")
    assert index.count(f'href="{DAYS[2]}/digest.html#article-') == 2
    feed = (outputs / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 4


def test_names_new_this_week_head_the_digest(three_days):
    _, outputs = three_days
    first = (outputs / DAYS[0] / "digest.md").read_text(encoding="utf-8")
    assert "## Names in the news" not in first  # no earlier day to compare with
    second = (outputs / DAYS[1] / "digest.md").read_text(encoding="utf-8")
    names = second.split("## Names in the news")[1].split("## Overview")[0]
    assert "| Tether | 1 | 0 | new |" in names  # named by Warsaw only
    assert "Europol" not in names  # named on day 1 and day 2 alike: neither new nor rising
    assert second.index("## Names in the news") < second.index("## Overview")


def test_bench_stories_json(tmp_path):
    result = invoke("bench", "--stories", "--sizes", "40,80", "--day-articles", "20", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"machine", "settings", "rows"}
    assert report["settings"]["sizes"] == [40, 80]
    rows = report["rows"]
    assert [(r["archive_articles"], r["cache"]) for r in rows] == [
        (40, "cold"),
        (40, "warm"),
        (80, "cold"),
        (80, "warm"),
    ]
    for row in rows:
        assert row["measure"] == "stories-assign-day" and row["day_articles"] == 20
        assert row["seconds"] > 0 and 0 <= row["bcubed"]["f1"] <= 1
    assert invoke("bench", "--stories", "--sizes", "x").exit_code == 2


def test_a_bad_story_id_is_named_and_the_rest_listed(tmp_path):
    from test_publish import make_article, write_day

    day = write_day(tmp_path / "2026-03-02", [make_article(1), make_article(2)])
    bad = day / "articles" / "story-2.json"
    bad.write_text(bad.read_text("utf-8").replace('"id": "story-2"', '"id": "story-2", "story": 7'))
    result = invoke("stories", tmp_path, "--json")
    assert result.exit_code == 1
    assert "story-2.json: not an article record (story must be a string)" in result.stderr
    assert [s["id"] for s in json.loads(result.stdout)] == ["story-1"]
    assert invoke("stories", tmp_path / "nope").exit_code == 2


def test_outlet_names():
    from toolkit.corpus import outlet_name

    assert outlet_name("العربية", "https://example.org/a", "inbox/a.json") == "العربية"
    assert outlet_name(None, "https://www.example.org/a", "inbox/a.json") == "www.example.org"
    assert outlet_name(None, "http://[::1", "inbox/a.json") == "a.json"  # a broken URL


def test_a_cache_of_the_wrong_shape_is_recomputed(labelled, tmp_path):
    from toolkit.stories.features import content_key, features
    from toolkit.stories.store import CACHE, read_cache

    doc = labelled[0].doc
    good = features(doc).to_json()
    folder = tmp_path / doc.day
    folder.mkdir()
    for bad in ({**good, "terms": {"x": "a"}}, {**good, "places": [["Spain"]]}, {"terms": 3}):
        cache = {doc.id: {"key": content_key(doc), "features": bad}}
        (folder / CACHE).write_text(json.dumps(cache), encoding="utf-8")
        assert read_cache(folder, [doc]) == {}
    (folder / CACHE).write_text(json.dumps({doc.id: {"key": content_key(doc), "features": good}}))
    assert read_cache(folder, [doc]) == {(doc.day, doc.id): features(doc)}


def test_the_archive_index_shows_the_newest_days_names(tmp_path):
    from dataclasses import replace

    from test_publish import make_article, write_day

    from toolkit.document import Entity
    from toolkit.publish import publish_archive, publish_digest

    publish_digest(write_day(tmp_path / "2026-03-02", [make_article(1)]))
    new = make_article(2)
    new.brief = replace(new.brief, entities=[Entity("Telegram", "platform", 2)])
    publish_digest(write_day(tmp_path / "2026-03-03", [new, make_article(3)]))
    publish_archive(tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    names = html.split("<h2>Names in the news</h2>")[1].split("</table>")[0]
    assert "<td>Telegram</td>" in names and "<td>new</td>" in names
    assert "ISIS" not in names  # one article a day, before and now
    assert html.index("Names in the news") < html.index("Stories of the last 30 days")


ANYTHING = "watch = ['NOT \"كلمةلاتردأبدا\"']\n"  # a global rule that fires on every story


def alerts_of(day: Path, watchlists: Path) -> list[dict]:
    result = invoke("alerts", day, "--watchlists", watchlists, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_each_story_has_one_lead_everywhere(three_days, tmp_path, monkeypatch):
    """The lead of `toolkit stories --json`, of archive.sqlite and of `toolkit alerts --json`
    is the same report, the one the rule names (the fullest of the story's newest day)."""
    import sqlite3

    _, outputs = three_days
    monkeypatch.chdir(tmp_path)  # no readers.toml or watchlists.toml but ours
    monkeypatch.delenv("TOOLKIT_READERS", raising=False)
    watchlists = tmp_path / "watch.toml"
    watchlists.write_text(ANYTHING, encoding="utf-8")
    stories = json.loads(invoke("stories", outputs, "--json").stdout)
    with sqlite3.connect(outputs / "archive.sqlite") as conn:
        archived = dict(conn.execute("SELECT id, lead FROM stories"))
    alerted = {
        day: {a["story"]: a["lead"] for a in alerts_of(outputs / day, watchlists)} for day in DAYS
    }
    for story in stories:
        newest = [a for a in story["articles"] if a["day"] == story["last_seen"]]
        sizes = {
            a["id"]: len(
                json.loads(
                    (outputs / a["day"] / "articles" / f"{a['id']}.json").read_text("utf-8")
                )["sentences"]
            )
            for a in newest
        }
        rule = min(sizes, key=lambda id_: (-sizes[id_], id_))
        assert story["lead"] == rule
        assert archived[story["id"]] == rule
        assert alerted[story["last_seen"]][story["id"]] == rule
        of_day = json.loads(
            invoke("stories", outputs, "--day", story["last_seen"], "--json").stdout
        )
        assert {s["id"]: s["lead"] for s in of_day}[story["id"]] == rule
    assert any(len(s["articles"]) > 1 for s in stories)
    for day in DAYS:  # the day's Stories were written once, by the stories stage
        assert json.loads((outputs / day / "stories.json").read_text("utf-8"))["day"] == day


def developing_rows(html: str) -> set[str]:
    """The headlines of the overview rows marked developing (e-mail tags carry styles, and
    its in-page links may be left out)."""
    overview = html.split("Overview</h2>")[1].split("</table>")[0]
    rows = re.findall(r"<tr\b.*?</tr>", overview, flags=re.S)
    marked = [row for row in rows if re.search(r"<em\b[^>]*>developing</em>", row)]
    cells = [re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)[1] for row in marked]
    return {re.sub(r"<[^>]+>", "", cell).removesuffix(" developing").strip() for cell in cells}


def test_the_email_marks_the_same_stories_developing_as_the_digest(three_days, tmp_path):
    from email import message_from_bytes, policy

    _, outputs = three_days
    day = outputs / DAYS[2]
    digest = developing_rows((day / "digest.html").read_text(encoding="utf-8"))
    assert len(digest) == 1  # Valencia
    readers = tmp_path / "readers.toml"
    readers.write_text(
        '[[reader]]\nemail = "ana@example.org"\nwatch = [\'NOT "كلمةلاتردأبدا"\']\n',
        encoding="utf-8",
    )
    recipients = tmp_path / "to.txt"
    recipients.write_text("bo@example.org\n", encoding="utf-8")
    for option in (["--readers", readers], ["--to", recipients]):
        out = tmp_path / option[0].strip("-")
        result = invoke("send", day, *option, "--dry-run", "-o", out, "--from", "b@example.org")
        assert result.exit_code == 0, result.output
        (eml,) = out.glob("*.eml")
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert developing_rows(html) == digest
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert text.count("DEVELOPING · ") == 1
        assert f"first seen {DAYS[0]}" in " ".join(text.split())
