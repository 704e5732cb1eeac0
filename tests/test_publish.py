"""Per-article records, digest, HTML and feed, rebuilt from articles/*.json alone."""

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, invoke, markdown_lists

from toolkit.document import Article, Brief, Entity, Figure, Sentence, Source, TermCheck
from toolkit.publish import publish_digest
from toolkit.publish.article import (
    ModelRef,
    article_from_json,
    article_json,
    article_markdown,
    article_text,
)
from toolkit.publish.html import render_html

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = (
    'Police <script>document.body.dataset.pwned="1"</script> arrest *three* '
    "[men](javascript:alert(1)) | x"
)


class FakeInfo:  # the fields of ModelInfo that publishing reads
    name, model_sha256, quantization, synthetic = "opus-mt-ar-en", "ab" * 32, "int8", False


def make_article(number: int, headline_en: str = "Police arrest five over ISIS funding") -> Article:
    return Article(
        id=f"story-{number}",
        source=Source(
            path=f"inbox/story{number}.txt",
            sha256=f"{number:064x}",
            encoding="utf-8",
            url="https://example.org/a",
            date="2026-11-20",
        ),
        headline=Sentence(
            ar="الشرطة تعتقل خمسة بتهمة تمويل داعش",
            en=headline_en,
            paragraph=-1,
            terms=[TermCheck("داعش", "ISIS", True)],
        ),
        sentences=[
            Sentence(
                ar="اعتقلت الشرطة خمسة أشخاص.",
                en="Police arrested five people.",
                paragraph=0,
                score=-0.4,
            ),
            Sentence(
                ar="أرسلوا الأموال عبر ويسترن يونيون.",
                en="They sent the money via Western.",
                paragraph=1,
                score=-1.2,
                flags=["glossary"],
                terms=[TermCheck("ويسترن يونيون", "Western Union", False)],
            ),
        ],
        brief=Brief(
            bluf="Police arrested five people.",
            key_points=["They sent the money via Western."],
            figures=[Figure("count", "5", "خمسة أشخاص", "people")],
            entities=[
                Entity("ISIS", "organization", 1),
                Entity("Western Union", "organization", 1),
            ],
        ),
    )


def write_day(folder: Path, articles: list[Article]) -> Path:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    for article in articles:
        record = article_json(article, FakeInfo())
        (folder / "articles" / f"{article.id}.json").write_text(
            json.dumps(record, ensure_ascii=False), encoding="utf-8"
        )
    return folder


def test_article_record_round_trips():
    article = make_article(1)
    again, model = article_from_json(
        json.loads(json.dumps(article_json(article, FakeInfo()))), "x.json"
    )
    assert again == replace(article, story=article.id)  # no story yet: a story of its own
    assert model == ModelRef("opus-mt-ar-en", "ab" * 32, "int8", False)
    record = article_json(article, FakeInfo())
    assert record["glossary"] == {"matched": 2, "respected": 1}
    assert set(record) == {"id", "source", "headline", "sentences", "brief", "glossary", "model"}
    article.story = "s-0123456789"
    record = article_json(article, FakeInfo())
    assert record["story"] == "s-0123456789"
    assert article_from_json(json.loads(json.dumps(record)), "x.json")[0] == article


def test_list_items_stay_list_items_in_the_english():
    article = make_article(1)
    item = Sentence(ar="تجميد الأصول.", en="Assets frozen.", paragraph=2, bullet="-")
    other = Sentence(ar="ترحيل المتهمين.", en="Defendants deported.", paragraph=3, bullet="-")
    step = Sentence(ar="إغلاق الحسابات.", en="Accounts closed.", paragraph=5, bullet="1.")
    after = Sentence(ar="والتحقيق مستمر.", en="The inquiry goes on.", paragraph=6)
    article.sentences += [item, other, step, after]
    markdown = article_markdown(article, FakeInfo())
    assert markdown_lists(markdown) == [("bullet", 2), ("ordered", 1)]
    assert "\n- Assets frozen.\n- Defendants deported.\n" in markdown
    assert "\n- " in article_text(article, FakeInfo())
    again, _ = article_from_json(json.loads(json.dumps(article_json(article, FakeInfo()))), "x")
    assert [s.bullet for s in again.sentences] == ["", "", "-", "-", "1.", ""]


def test_digest_has_every_part(tmp_path):
    day = write_day(
        tmp_path / "2026-11-23", [make_article(1), make_article(2, "Telegram closes channels")]
    )
    result = invoke("brief", day)
    assert result.exit_code == 0, result.output
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert digest.startswith("# Arabic press briefing — 2026-11-23")
    assert "SYNTHETIC" not in digest
    assert digest.count("\n## ") == 2 + 4  # overview, 2 stories, entity index, quality, model
    row = (
        "| 1 | [Police arrest five over ISIS funding](#article-1) | 1 | 2026-11-23 "
        "| ISIS, Western Union | glossary |"
    )
    assert row in digest
    assert "**Bottom line:** Police arrested five people." in digest
    assert "| 5 | people | خمسة أشخاص |" in digest
    assert "| ISIS | organization | [1](#article-1), [2](#article-2) |" in digest
    assert "Glossary misses (2)" in digest and "**Western Union** missing" in digest
    assert "[full translation](articles/story-1.html)" in digest


def test_synthetic_records_get_a_banner(tmp_path):
    FakeInfo.synthetic = True
    try:
        day = write_day(tmp_path / "d", [make_article(1)])
    finally:
        FakeInfo.synthetic = False
    publish_digest(day, "2026-11-23")
    assert "SYNTHETIC MODEL" in (day / "digest.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in (day / "digest.html").read_text(encoding="utf-8")
    assert "[SYNTHETIC MODEL" in (day / "feed.xml").read_text(encoding="utf-8")


def test_html_never_passes_article_markup_through():
    html = render_html(f"## 1. {HOSTILE}\n\nراجع «داعش» اليوم\n", "t")
    assert "<script>" not in html.split("</style>")[1]
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<h2 id="article-1">' in html
    assert '<span dir="rtl" lang="ar">راجع «داعش» اليوم</span>' in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "Content-Security-Policy" in html and "script-src" not in html  # default-src 'none'


def test_escaped_markdown_in_the_digest(tmp_path):
    day = write_day(tmp_path / "d", [make_article(1, HOSTILE)])
    publish_digest(day, "2026-11-23")
    html = (day / "digest.html").read_text(encoding="utf-8")
    body = html.split("</style>")[1]
    assert (
        "<script>" not in body and "<em>three</em>" not in body and 'href="javascript' not in body
    )
    assert "*three* [men](javascript:alert(1))" in body  # shown as the text it was


def parse_feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    return root


def test_feed_is_valid_atom_with_stable_ids(tmp_path):
    day = write_day(tmp_path / "2026-11-23", [make_article(1), make_article(2)])
    publish_digest(day)
    root = parse_feed(day / "feed.xml")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        assert entry.find(f"{ATOM}link").get("href").startswith("articles/story-")
    first_ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(first_ids)) == 2
    publish_digest(day)
    assert [
        e.find(f"{ATOM}id").text for e in parse_feed(day / "feed.xml").findall(f"{ATOM}entry")
    ] == first_ids
    assert entries[0].find(f"{ATOM}updated").text == "2026-11-20T00:00:00Z"


def test_a_day_without_articles_is_a_friendly_page(tmp_path):
    day = tmp_path / "2026-11-24"
    result = invoke("brief", day)
    assert result.exit_code == 0
    assert "Nothing new today" in (day / "digest.md").read_text(encoding="utf-8")
    assert "Nothing new today" in (day / "digest.html").read_text(encoding="utf-8")
    assert parse_feed(day / "feed.xml").findall(f"{ATOM}entry") == []


def test_a_broken_record_is_named_and_the_rest_published(tmp_path):
    day = write_day(tmp_path / "d", [make_article(1)])
    (day / "articles" / "bad.json").write_text('{"id": "bad"}', encoding="utf-8")
    (day / "articles" / "worse.json").write_text("{nope", encoding="utf-8")
    result = invoke("brief", day)
    assert result.exit_code == 1
    assert "bad.json: not an article record" in result.stderr and "worse.json" in result.stderr
    assert "digest of 1 article(s)" in result.stdout


@pytest.mark.parametrize("sample", sorted((REPO / "inbox").iterdir()))
def test_inbox_samples_are_real_articles(sample):
    result = invoke("ingest", sample, "--json")
    assert result.exit_code == 0
    (article,) = json.loads(result.stdout)["articles"]
    assert len(article["paragraphs"]) >= 3 and article["dropped"]
