"""`toolkit collect` against a real HTTP site on 127.0.0.1 (tests/collect_site.py): two
outlets' feeds, pages of real Arabic articles in site furniture, and every trap of issue 19."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from collect_site import ENGLISH_PAGE, Site, article_page
from conftest import fresh_clone, invoke

from toolkit.collect.sources import load_sources
from toolkit.collect.urls import checked_url as canonical
from toolkit.errors import ConfigError
from toolkit.ingest import ingest_file

# a stalled page is given up after 1 s of silence; everything else keeps its default
FAST = {
    "TOOLKIT_COLLECT_READ_TIMEOUT": "1",
    "TOOLKIT_COLLECT_PAGE_SECONDS": "10",
    "NO_PROXY": "127.0.0.1",
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Two runs of `toolkit collect` on the site; what each wrote, said and asked."""
    folder = tmp_path_factory.mktemp("collect")
    with Site() as site:
        sources = folder / "sources.toml"
        sources.write_text(site.sources_toml, encoding="utf-8")
        args = ["collect", "--sources", sources, "--inbox", folder / "inbox"]
        args += ["--state", folder / "state.sqlite", "--quiet"]
        first = invoke(*args, env=FAST)
        asked = len(site.requests)
        files = {path.name: path.read_bytes() for path in (folder / "inbox").glob("*.json")}
        second = invoke(*args, env=FAST)
        yield {
            "site": site,
            "folder": folder,
            "first": first,
            "second": second,
            "first_requests": site.requests[:asked],
            "second_requests": site.requests[asked:],
            "files": files,
            "inbox": folder / "inbox",
        }


def inbox_articles(inbox: Path) -> dict[str, dict]:
    """Inbox JSON records by title."""
    records = [json.loads(path.read_text(encoding="utf-8")) for path in inbox.glob("*.json")]
    return {record["title"]: record for record in records}


def scores(site: Site, inbox: Path) -> dict:
    """Recall of real sentences, furniture sentences, wrong dates, duplicates: as the nightly
    reads the inbox (its JSON reader and ingest)."""
    expected = {article.title: article for article in site.articles}
    found = real = furniture = wrong_dates = 0
    titles = []
    for path in sorted(inbox.glob("*.json")):
        article = ingest_file(str(path)).articles[0]
        titles.append(article.headline.original)
        truth = expected[article.headline.original]
        got = [sentence.ar for sentence in article.sentences]
        real += len(truth.sentences)
        found += sum(sentence in got for sentence in truth.sentences)
        furniture += sum(sentence not in truth.sentences for sentence in got)
        wrong_dates += article.source.date != truth.date
    return {
        "articles": len(titles),
        "recall": found / real,
        "furniture": furniture,
        "wrong_dates": wrong_dates,
        "duplicates": len(titles) - len(set(titles)),
    }


def test_every_article_comes_once_with_its_text_title_and_date(collected):
    site = collected["site"]
    figures = scores(site, collected["inbox"])
    print(f"collect on the loopback site: {figures}")
    assert figures["articles"] == len(site.articles)
    assert figures["recall"] >= 0.98
    assert figures["furniture"] == 0
    assert figures["wrong_dates"] == 0
    assert figures["duplicates"] == 0
    records = inbox_articles(collected["inbox"])
    for record in records.values():
        assert set(record) >= {"title", "text", "url", "date", "source", "fetched", "language"}
        assert record["language"] == "ar" and record["arabic_share"] > 0.9
        assert record["url"].startswith(site.base) and "utm_" not in record["url"]
    names = {f"{r['date']}-{r['source']}-" for r in records.values()}
    assert {name[:-13] for name in collected["files"]} == names
    assert all(re.fullmatch(r"[0-9-]{10}-[a-z-]+-[0-9a-f]{8}\.json", n) for n in collected["files"])
    text = "\n".join(record["text"] for record in records.values())
    for line in ("موافق", "ملفات تعريف الارتباط", "بقلم", "اقرأ أيضاً", "التعليقات", "واتساب"):
        assert line not in text


def test_the_same_text_from_two_outlets_is_one_article_with_both(collected):
    site = collected["site"]
    records = inbox_articles(collected["inbox"])
    shared = records[site.articles[0].title]
    assert shared["source"] == "al-ain" and shared["outlets"] == ["al-ain", "sky"]
    sky_own = records[site.articles[-1].title]
    assert sky_own["source"] == "sky" and sky_own["outlets"] == ["sky"]


def test_traps_are_skipped_counted_and_named(collected):
    first = collected["first"]
    assert first.exit_code == 1, first.output
    lines = dict(line.split(": ", 1) for line in first.stdout.splitlines())
    ain = len(collected["site"].articles) - 3
    assert lines["al-ain"] == (
        f"{ain + 1} new, 1 seen, 1 duplicate, skipped 1 robots, 1 not arabic, 1 too big, "
        "5 failed (listing new)"
    )
    assert lines["sky"] == "1 new, 0 seen, 1 duplicate, 0 failed (listing new)"
    assert lines["broken"] == "1 new, 0 seen, 0 duplicate, 0 failed (listing new)"
    assert lines["dead"].startswith("FAILED: ") and "/dead/rss.xml: HTTP 500" in lines["dead"]
    errors = first.stderr
    for expected in (
        "gone.html: HTTP 404",
        "broken.html: HTTP 500",
        "closed.html: HTTP 503, Retry-After 86400 s is over the 120 s cap",
        "stall.html: no answer within the time limits",
        "loop-a.html: more than 5 redirects",
        "source dead:",
    ):
        assert expected in errors
    assert "malformed feed" in errors and "read as far as it goes: 1 entries" in errors


def test_the_site_is_asked_politely(collected):
    site, asked = collected["site"], collected["first_requests"]
    paths = [path for _, path, _ in asked]
    assert site.agents == {"toolkit-test/1.0 (+mailto:ops@example.org)"}
    assert paths.count("/robots.txt") == 1  # once per host and run
    assert not any(path.startswith("/private/") for path in paths)  # disallowed: never asked
    assert not any("utm_" in path for path in paths)  # canonical before fetching
    pages = site.page_requests()[: len(asked)]
    story = site.page_path(site.articles[0])
    assert pages.count(story) == 1  # listed twice (utm), fetched once
    busy = [status for _, path, status in asked if path == "/al-ain/busy.html"]
    assert busy == [429, 200]  # Retry-After: 1 honoured, then fetched
    loop = [path for path in paths if "loop-" in path]
    assert len(loop) == 6  # the first request and 5 redirects


def test_the_second_run_fetches_no_page_and_feeds_answer_304(collected):
    again = collected["second_requests"]
    assert [path for _, path, _ in again if not path.endswith((".xml", "robots.txt"))] == []
    feeds = {path: status for _, path, status in again if path.endswith(".xml")}
    assert feeds == {
        "/al-ain/rss.xml": 304,
        "/sky/atom.xml": 304,
        "/broken/rss.xml": 304,
        "/dead/rss.xml": 500,
    }
    inbox = collected["inbox"]
    assert {p.name: p.read_bytes() for p in inbox.glob("*.json")} == collected["files"]
    assert "0 new" in collected["second"].stdout and collected["second"].exit_code == 1


def test_a_gzip_bomb_is_refused_without_filling_memory(tmp_path):
    with Site() as site:
        bomb = f"{site.base}/al-ain/bomb.html"
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'user_agent = "t/1"\n[[source]]\nname = "b"\npages = ["{bomb}"]\ndelay = 0\n'
        )
        result = invoke(
            "collect", "--sources", sources, "--inbox", tmp_path / "in",
            "--state", tmp_path / "s.sqlite",
            env={**FAST, "TOOLKIT_COLLECT_MAX_DECODED_BYTES": "1000000"},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "skipped 1 too big" in result.stdout
    assert not list(tmp_path.glob("in/*.json"))


def test_a_corrupt_state_is_set_aside_and_collecting_goes_on(tmp_path):
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"this is not a database" * 100)
    with Site() as site:
        page = f"{site.base}{site.page_path(site.articles[0])}"
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'user_agent = "t/1"\n[[source]]\nname = "one"\npages = ["{page}"]\ndelay = 0\n'
        )
        args = ["collect", "--sources", sources, "--inbox", tmp_path / "in", "--state", state]
        result = invoke(*args, env=FAST)
        again = invoke(*args, env=FAST)
    assert result.exit_code == 0, result.output
    assert "not a usable collect state" in result.stderr and "moved aside" in result.stderr
    assert list(tmp_path.glob("state.sqlite.corrupt-*"))
    assert "one: 1 new" in result.stdout
    assert "one: 0 new, 1 seen" in again.stdout  # the new state works


def test_a_bad_sources_file_is_a_usage_error_naming_it(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('user_agent = "t/1"\n[[source]]\nname = "x"\nfeed = 3\n')
    result = invoke("collect", "--sources", bad, "--inbox", tmp_path / "in")
    assert result.exit_code == 2
    assert f"{bad}: source 1 (x): feed must be http(s) URL(s)" in result.stderr
    missing = invoke("collect", "--sources", tmp_path / "none.toml")
    assert missing.exit_code == 2 and "none.toml: cannot read" in missing.stderr
    no_agent = tmp_path / "agent.toml"
    no_agent.write_text('[[source]]\nname = "x"\nfeed = "http://x/f"\n')
    with pytest.raises(ConfigError, match="user_agent"):
        load_sources(no_agent)


def test_canonical_urls():
    assert canonical("HTTP://Example.ORG/a?utm_source=x&id=3&fbclid=1#top") == (
        "http://example.org/a?id=3"
    )
    assert canonical("https://example.org") == "https://example.org/"


def test_html_in_the_inbox_goes_through_the_same_extraction(tmp_path):
    site = Site()  # content only: no server
    article = site.articles[1]
    page = tmp_path / "page.html"
    page.write_text(article_page(article, "العين"), encoding="utf-8")
    result = ingest_file(str(page))
    assert len(result.articles) == 1
    got = result.articles[0]
    assert got.headline.original == article.title
    assert got.source.date == article.date
    assert [s.ar for s in got.sentences] == article.sentences  # all real text, no furniture
    xhtml = tmp_path / "x.html"  # an XML declaration: lxml refuses it in decoded text
    xhtml.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + article_page(article, "ع"))
    assert [s.ar for s in ingest_file(str(xhtml)).articles[0].sentences] == article.sentences
    english = tmp_path / "english.html"
    english.write_text(ENGLISH_PAGE, encoding="utf-8")
    assert ingest_file(str(english)).articles[0].headline.original == "Markets close higher"


def test_nightly_with_sources_collects_then_publishes_outlet_link_and_date(tiny_model, tmp_path):
    inbox, outputs = tmp_path / "inbox", tmp_path / "outputs"
    inbox.mkdir()
    with Site() as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_toml, encoding="utf-8")
        result = invoke(
            "nightly", "--inbox", inbox, "--outputs", outputs, "--date", "2026-11-20",
            "--model", tiny_model, "--no-glossary", "--sources", sources, "--quiet",
            env=FAST,
        )  # fmt: skip
    assert result.exit_code == 1, result.output  # the traps failed; the rest is published
    assert "toolkit: error: collect: source dead:" in result.stderr
    day = outputs / "2026-11-20"
    published = [json.loads(p.read_text()) for p in (day / "articles").glob("*.json")]
    assert len(published) == len(site.articles)
    by_title = {record["headline"]["ar"]: record["source"] for record in published}
    first = site.articles[0]
    source = by_title[first.title]
    assert source["outlet"] == "al-ain" and source["date"] == first.date
    assert source["url"] == f"{site.base}{site.page_path(first)}"
    assert all(s["outlet"] and s["url"] and s["date"] for s in by_title.values())
    manifest = json.loads((day / "manifest.json").read_text())
    counts = {s["name"]: s for s in manifest["collect"]["sources"]}
    assert counts["al-ain"]["skipped"] == {"robots": 1, "not_arabic": 1, "too_big": 1}
    assert counts["al-ain"]["failed"] == 5 and counts["dead"]["error"]
    assert manifest["collect"]["counts"]["new"] == len(site.articles)
    digest = (day / "digest.md").read_text()
    assert f"Source: al-ain · <{source['url']}> · {first.date}" in digest
    feed = (day / "feed.xml").read_text()
    assert f'href="{source["url"]}"' in feed and "<name>al-ain</name>" in feed


@pytest.mark.slow
def test_make_nightly_in_a_fresh_clone_collects_translates_and_fetches_once(tiny_model, tmp_path):
    """`make nightly` with a sources.toml pointing at the loopback site; a rerun fetches no page."""
    clone, make = fresh_clone(tmp_path, f"MODEL={tiny_model}", "DATE=2026-11-20")
    shutil.rmtree(clone / "inbox")
    (clone / "inbox").mkdir()
    env = {**os.environ, **FAST, "NO_PROXY": "127.0.0.1"}
    with Site() as site:
        ain = site.articles[:-3]  # al-ain's own pages, no traps; and sky's feed
        pages = ", ".join(f'"{site.base}{site.page_path(a)}"' for a in ain)
        (clone / "sources.toml").write_text(
            f'user_agent = "t/1"\n[[source]]\nname = "al-ain"\npages = [{pages}]\ndelay = 0\n'
            f'[[source]]\nname = "sky"\nfeed = "{site.base}/sky/atom.xml"\ndelay = 0\n',
            encoding="utf-8",
        )
        run = subprocess.run(
            [*make, "nightly"], env=env, capture_output=True, text=True, timeout=300
        )
        asked = len(site.requests)
        again = subprocess.run(
            [*make, "nightly"], env=env, capture_output=True, text=True, timeout=300
        )
        second = site.requests[asked:]
    assert run.returncode == 0, run.stdout + run.stderr
    day = clone / "outputs" / "2026-11-20"
    assert len(list((day / "articles").glob("*.json"))) == len(ain) + 1
    assert "Source: al-ain · <http://127.0.0.1:" in (day / "digest.md").read_text()
    assert again.returncode == 0, again.stdout + again.stderr
    assert [path for _, path, _ in second if not path.endswith((".xml", "robots.txt"))] == []
    assert [status for _, path, status in second if path.endswith(".xml")] == [304]
    manifest = json.loads((day / "manifest.json").read_text())
    assert manifest["collect"]["counts"] | {"seen": len(ain)} == manifest["collect"]["counts"]
    assert manifest["collect"]["counts"]["new"] == 0
    assert manifest["counts"]["unchanged"] == len(ain) + 1


def one_source(tmp_path: Path, kind: str, value: str, delay: float = 0) -> Path:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'user_agent = "t/1"\n[[source]]\nname = "one"\n{kind} = {value}\ndelay = {delay}\n',
        encoding="utf-8",
    )
    return sources


def test_a_sitemap_index_is_followed_to_its_news_sitemap(tmp_path):
    with Site() as site:
        sources = one_source(tmp_path, "sitemap", f'"{site.base}/sitemap-index.xml"')
        args = ["collect", "--sources", sources, "--inbox", tmp_path / "in"]
        args += ["--state", tmp_path / "s.sqlite"]
        first = invoke(*args, env=FAST)
        asked = len(site.requests)
        second = invoke(*args, env=FAST)
        again = site.requests[asked:]
    ain = site.articles[:-3]
    assert first.exit_code == 0, first.output
    assert f"one: {len(ain)} new" in first.stdout
    records = inbox_articles(tmp_path / "in")
    assert {r["title"]: r["date"] for r in records.values()} == {a.title: a.date for a in ain}
    assert second.exit_code == 0 and "listing not modified" in second.stdout
    assert [(path, status) for _, path, status in again if path != "/robots.txt"] == [
        ("/sitemap-index.xml", 304)
    ]


def test_max_per_source_leaves_the_rest_for_the_next_run(tmp_path):
    with Site() as site:
        sources = one_source(tmp_path, "feed", f'"{site.base}/sky/atom.xml"')
        args = ["collect", "--sources", sources, "--inbox", tmp_path / "in"]
        args += ["--state", tmp_path / "s.sqlite", "--max-per-source", "1"]
        first = invoke(*args, env=FAST)
        second = invoke(*args, env=FAST)
        third = invoke(*args, env=FAST)
    assert "one: 1 new, 0 seen" in first.stdout
    # the feed was not fully handled: asked again in full (not 304), the next entry fetched
    assert "one: 1 new, 1 seen" in second.stdout
    assert "listing not modified" in third.stdout


def test_the_host_delay_is_kept_between_requests(tmp_path):
    from toolkit.collect.destinations import Destinations
    from toolkit.collect.http import PoliteClient
    from toolkit.collect.limits import CollectLimits

    waits: list[float] = []
    with Site() as site, PoliteClient("t/1", CollectLimits(), sleep=waits.append) as client:
        page = f"{site.base}{site.page_path(site.articles[0])}"
        policy = Destinations.of([page])
        delay = client.host_delay(page, 5.0, policy)  # reads robots.txt: the first request
        client.get(page, delay, policy)
        client.get(page, delay, policy)
    assert delay == 5.0 and len(waits) == 2 and all(4.0 < wait <= 5.0 for wait in waits)


def test_extraction_keeps_what_trafilatura_alone_loses(capsys):
    """The figures behind toolkit.ingest.extract: trafilatura alone (comments on, then off)
    against trafilatura + our reader's recovery, on every page of the site, through our
    debris rules and sentence splitter."""
    import trafilatura

    from toolkit.ingest.clean import clean_document
    from toolkit.ingest.debris import default_rules
    from toolkit.ingest.extract import extract_page
    from toolkit.ingest.readers import RawDocument
    from toolkit.ingest.sentences import split_sentences
    from toolkit.text.arabic import normalize

    def trafilatura_alone(html: str, comments: bool) -> list[str]:
        return (trafilatura.extract(html, include_comments=comments) or "").splitlines()

    methods = {
        "trafilatura": lambda html: trafilatura_alone(html, True),
        "trafilatura, no comments": lambda html: trafilatura_alone(html, False),
        "trafilatura + recovery": lambda html: extract_page(html)[0].paragraphs,
    }
    site, rules, figures = Site(), default_rules(), {}
    for name, method in methods.items():
        found = total = furniture = 0
        for article in site.articles:
            raw = RawDocument(lines=method(article_page(article, "العين")), headline=article.title)
            got = [
                normalize(sentence)
                for clean in clean_document(raw, rules)
                for paragraph in clean.paragraphs
                for sentence in split_sentences(paragraph, rules)
            ]
            total += len(article.sentences)
            found += sum(sentence in got for sentence in article.sentences)
            furniture += sum(sentence not in article.sentences for sentence in got)
        figures[name] = (round(found / total, 3), furniture)
    with capsys.disabled():
        print(f"\nrecall, furniture sentences on {len(site.articles)} pages: {figures}")
    assert figures["trafilatura"][1] > 0  # the comments come through
    assert figures["trafilatura, no comments"][0] < 1  # the linked short paragraph is lost
    assert figures["trafilatura + recovery"] == (1.0, 0)


def test_a_page_that_trickles_is_given_up_at_the_page_time_limit(tmp_path):
    with Site() as site:
        sources = one_source(tmp_path, "pages", f'["{site.base}/slow.html"]')
        result = invoke(
            "collect", "--sources", sources, "--inbox", tmp_path / "in",
            "--state", tmp_path / "s.sqlite",
            env={**FAST, "TOOLKIT_COLLECT_PAGE_SECONDS": "1"},
        )  # fmt: skip
    assert result.exit_code == 1
    assert "slow.html: took more than 1 s (TOOLKIT_COLLECT_PAGE_SECONDS)" in result.stderr


def test_a_bad_limit_setting_is_a_usage_error(tmp_path):
    sources = one_source(tmp_path, "pages", '["http://127.0.0.1:9/a.html"]')
    result = invoke(
        "collect", "--sources", sources, "--inbox", tmp_path / "in",
        env={"TOOLKIT_COLLECT_MAX_REDIRECTS": "many"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "TOOLKIT_COLLECT_MAX_REDIRECTS='many': expected a number above 0" in result.stderr
