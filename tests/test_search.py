"""`toolkit search` over the archive, and the archive in a real Datasette and Chromium."""

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, invoke
from test_archive_db import days_ago, nights  # noqa: F401  (a fixture)
from test_publish import make_article, write_day

from toolkit.archive import update_archive
from toolkit.archive.database import NAME


@pytest.fixture
def night_outputs(nights, tmp_path) -> Path:  # noqa: F811
    """A private copy of the two nights' outputs (test_archive_db), to change."""
    return Path(shutil.copytree(nights, tmp_path / "outputs"))


def search(*args) -> dict:
    result = invoke("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(data: dict) -> list[str]:
    return [article["id"] for story in data["stories"] for article in story["articles"]]


def record(outputs: Path, name: str) -> dict:
    (path,) = outputs.glob(f"*/articles/{name}-1.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("query", ["الحاسوب", "والحاسوب", "حاسوب"])
def test_an_arabic_word_finds_its_article_with_or_without_a_clitic(night_outputs, query):
    data = search(query, "--outputs", night_outputs)  # the text has بالحاسوب
    assert found(data) == ["fraud-arrests-1"]
    assert "[بالحاسوب]" in data["stories"][0]["articles"][0]["snippet"]
    assert data["stories"][0]["articles"][0]["outlet"] == "الفجر"


@pytest.mark.parametrize("query", ["Telegram", "telegram", "تلغرام"])
def test_a_glossary_name_finds_its_arabic_form(night_outputs, query):
    english = json.dumps(record(night_outputs, "telegram-closures")["sentences"]).lower()
    assert "telegram" not in english  # translated without glossary: only the Arabic has it
    data = search(query, "--outputs", night_outputs)
    assert found(data) == ["telegram-closures-1"]
    assert data["terms"] == [query]  # one term: the name in all its forms
    assert "[تيليغرام]" in data["stories"][0]["articles"][0]["snippet"]


def test_a_word_of_the_english_translation_finds_its_article(night_outputs):
    data = record(night_outputs, "court-transfers")
    english = " ".join([data["headline"]["en"]] + [s["en"] for s in data["sentences"]])
    # a whole word, as the index cuts words (letters, digits; anything else separates)
    word = max((w for w in re.findall(r"\w+", english) if w.isascii() and w.isalpha()), key=len)
    hits = search(word, "--outputs", night_outputs)
    assert "court-transfers-1" in found(hits)
    (hit,) = [a for s in hits["stories"] for a in s["articles"] if a["id"] == "court-transfers-1"]
    assert re.search(rf"\[{word}\w*\]", hit["snippet"], re.I)


def test_every_word_must_be_in_the_article(night_outputs):
    assert found(search("الشرطة", "--outputs", night_outputs)) == [
        "fraud-arrests-1",
        "telegram-closures-1",
    ]
    assert found(search("الشرطة الحاسوب", "--outputs", night_outputs)) == ["fraud-arrests-1"]
    assert found(search("الحاسوب Telegram", "--outputs", night_outputs)) == []


@pytest.mark.parametrize(
    "query", ['"Telegram" OR (', "NEAR(الشرطة", "الشرطة*", "en:الشرطة", "a AND"]
)
def test_fts_syntax_in_a_query_is_searched_as_text(night_outputs, query):
    result = invoke("search", query, "--outputs", night_outputs)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_a_query_without_words_is_a_usage_error(night_outputs):
    result = invoke("search", '"()', "--outputs", night_outputs)
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("toolkit: error: the query") and "Traceback" not in result.output
    )


def test_a_missing_archive_is_built_first(night_outputs):
    (night_outputs / NAME).unlink()
    assert found(search("Telegram", "--outputs", night_outputs)) == ["telegram-closures-1"]
    assert (night_outputs / NAME).is_file()


def story_outputs(root: Path) -> Path:
    """Two days; story-s has a report on each, story-t one on the first, article 4 none."""
    day = {1: days_ago(3), 2: days_ago(3), 3: days_ago(1), 4: days_ago(1)}
    story = {1: "story-s", 2: "story-t", 3: "story-s"}
    for n in day:
        article = make_article(n)
        article = replace(article, source=replace(article.source, outlet=f"Outlet {'AB'[n % 2]}"))
        folder = write_day(root / day[n], [article])
        if n in story:
            path = folder / "articles" / f"{article.id}.json"
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps({**data, "story": story[n]}), encoding="utf-8")
    return root


def test_results_are_grouped_by_story_newest_first(tmp_path):
    outputs = story_outputs(tmp_path / "outputs")
    data = search("police", "--outputs", outputs)
    stories = [(s["id"], [a["id"] for a in s["articles"]]) for s in data["stories"]]
    assert stories == [
        ("story-s", ["story-3", "story-1"]),  # newest hit one day ago, then ties by id
        ("story-4", ["story-4"]),  # no story key: a story of its own
        ("story-t", ["story-2"]),
    ]
    first = data["stories"][0]
    assert (first["reports"], first["first_seen"], first["last_seen"]) == (
        2,
        days_ago(3),
        days_ago(1),
    )
    assert first["articles"][0] == {
        "id": "story-3",
        "day": days_ago(1),
        "outlet": "Outlet B",
        "url": "https://example.org/a",
        "headline": {"ar": "الشرطة تعتقل خمسة بتهمة تمويل داعش", "en": first["headline"]},
        "snippet": "[Police] arrest five over ISIS funding",
    }
    assert data["matched"] == 4 and data["since"] is None


def test_since_keeps_the_last_days_only(tmp_path):
    outputs = story_outputs(tmp_path / "outputs")
    data = search("police", "--outputs", outputs, "--since", "2")
    assert data["since"] == days_ago(2)
    assert [(s["id"], len(s["articles"])) for s in data["stories"]] == [
        ("story-s", 1),
        ("story-4", 1),
    ]
    assert data["stories"][0]["reports"] == 2  # the story itself began earlier


def test_text_output_names_story_day_outlet_and_headline(tmp_path):
    outputs = story_outputs(tmp_path / "outputs")
    result = invoke("search", "ISIS", "--outputs", outputs, "--limit", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 story, 2 article(s) for ISIS (of 4 matching articles)"
    assert "[story-s: 2 report(s)" in lines[2]
    assert lines[3].split() == [
        days_ago(1),
        "Outlet",
        "B",
        "Police",
        "arrest",
        "five",
        "over",
        "ISIS",
        "funding",
    ]
    assert lines[4].strip() == "Police arrest five over [ISIS] funding"


# --- Datasette ------------------------------------------------------------------------

METADATA = REPO / "toolkit" / "data" / "datasette.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_datasette(database: Path, log_path: Path):
    """A real Datasette on 127.0.0.1 over `database` with our metadata; stopped at the end."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", str(database), "--metadata", str(METADATA)]
        + ["--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "datasette did not start in 60 s"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    assert process.poll() is not None


@pytest.fixture
def datasette(tmp_path):
    """Datasette over the story archive."""
    pytest.importorskip("datasette")
    outputs = story_outputs(tmp_path / "outputs")
    update_archive(outputs)
    with running_datasette(outputs / NAME, tmp_path / "datasette.log") as base:
        yield base


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_datasette_searches_and_facets(datasette):
    query = urllib.parse.urlencode({"_search": "police", "_shape": "objects"})
    data = get_json(f"{datasette}/archive/passages.json?{query}&_facet=outlet")
    articles = {row["article"] for row in data["rows"]}
    assert articles == {f"{days_ago(3)}/story-1", f"{days_ago(3)}/story-2"} | {
        f"{days_ago(1)}/story-3",
        f"{days_ago(1)}/story-4",
    }
    facets = data["facet_results"]
    outlets = {r["value"]: r["count"] for r in facets["outlet"]["results"]}
    assert outlets == {"Outlet A": 4, "Outlet B": 4}  # headline and one sentence each
    assert {r["value"] for r in facets["entities"]["results"]} == {"ISIS", "Western Union"}
    assert {r["value"] for r in facets["day"]["results"]} == {days_ago(1), days_ago(3)}
    # Arabic, folded as the index holds it; a facet selected
    query = urllib.parse.urlencode({"_search": "شرطه", "outlet": "Outlet B", "_shape": "objects"})
    data = get_json(f"{datasette}/archive/passages.json?{query}")
    assert {row["article"] for row in data["rows"]} == {
        f"{days_ago(3)}/story-1",
        f"{days_ago(1)}/story-3",
    }
    entities = get_json(f"{datasette}/archive/entities.json?_shape=objects&english=ISIS")
    assert len(entities["rows"]) == 4


def test_datasette_page_in_chromium(datasette, tmp_path):
    from test_browser import CHROMIUM, chromium

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    query = urllib.parse.urlencode({"_search": "police", "outlet": "Outlet B"})
    dom = chromium(tmp_path, "--dump-dom", f"{datasette}/archive/passages?{query}")
    assert 'value="police"' in dom  # the search box holds the query
    assert "Passages (search here)" in dom
    assert dom.count(f"{days_ago(1)}/story-3") >= 2 and "story-4" not in dom.split("<table")[1]
    assert re.search(r"4 rows\b", dom)
    assert "Outlet B" in dom and 'class="facet-info' in dom


def test_an_arabic_glossary_term_finds_the_english_canonical_name(tmp_path):
    article = make_article(1, "ISIS claims the attack")
    article = replace(article, headline=replace(article.headline, ar="بيان جديد"), sentences=[])
    write_day(tmp_path / days_ago(2), [article])
    data = search("لـ«داعش»", "--outputs", tmp_path)  # proclitic and quotes, as in the text
    assert found(data) == ["story-1"]
    assert data["stories"][0]["articles"][0]["snippet"] == "[ISIS] claims the attack"
    assert found(search("داعش", "--outputs", tmp_path, "--no-glossary")) == []


def test_parsing_a_long_query_grows_linearly_with_its_length():
    """A query of thousands of glossary names (Arabic and English) is parsed in steps
    proportional to its length: its spans were compared pairwise (100 KB took 9.5 s)."""
    from counting import growth

    from toolkit.archive.search import Names, parse_query
    from toolkit.glossary import default_glossary_files, load_glossary

    glossary = load_glossary(default_glossary_files())
    names = Names(glossary)
    unit = " ".join(f"{e.arabic} {e.english} كلمة" for e in glossary.entries[:40]) + " "

    def parse(repeats: int) -> None:
        terms = parse_query(unit * repeats, names)
        assert "كلمة" in [t.text for t in terms] and len(terms) > 20

    assert growth(parse, 8) < 5  # 4 × the text: 4 × the lines (pairwise spans: 10 ×)
