"""The corpus layer: the versioned article record and Corpus(outputs), the one reader of
OUTPUTS/<day>/articles/*.json."""

import json

import pytest
from test_publish import FakeInfo, make_article

from toolkit.corpus import RECORD_VERSION, Corpus, ModelRef, decode, encode, read_record
from toolkit.errors import InputError
from toolkit.ingest import ingest_file


def test_what_collect_knew_reaches_the_article_and_the_record(tmp_path):
    item = {
        "title": "الشرطة تفكك شبكة «القافلة الرقمية»",
        "text": "أعلنت النيابة العامة تفكيك شبكة القافلة الرقمية.",
        "url": "https://example.org/caravan",
        "date": "2026-05-09",
        "source": "وكالة النخيل",
        "outlets": ["وكالة النخيل", "صحيفة الفجر"],
        "author": "سلمى الراشد",
        "language": "ar",
    }
    path = tmp_path / "caravan.json"
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    (article,) = ingest_file(str(path)).articles
    source = article.source
    assert (source.outlet, source.outlets) == ("وكالة النخيل", ["وكالة النخيل", "صحيفة الفجر"])
    assert (source.author, source.language, source.url) == ("سلمى الراشد", "ar", item["url"])
    record = encode(article, ModelRef.of(FakeInfo()))
    assert record["version"] == RECORD_VERSION
    assert (record["outlet"], record["url"], record["date"]) == (
        "وكالة النخيل",
        item["url"],
        "2026-05-09",
    )
    again, _ = decode(json.loads(json.dumps(record)), "x.json")
    assert again.source == source


def test_records_of_version_1_are_read_and_newer_ones_named(tmp_path):
    record = encode(make_article(1), ModelRef.of(FakeInfo()))
    old = {k: v for k, v in record.items() if k not in ("version", "outlet", "url", "date")}
    old["source"] = {k: v for k, v in old["source"].items() if k in ("path", "sha256", "encoding")}
    assert decode(old, "old.json")[0].source.outlets == []
    path = tmp_path / "new.json"
    path.write_text(json.dumps({**record, "version": RECORD_VERSION + 1}), encoding="utf-8")
    with pytest.raises(InputError, match=r"new\.json: article record version \d+ is newer"):
        read_record(path)
    for bad in (
        {**record, "id": 3},
        {**record, "sentences": [{"ar": 1, "en": "x", "paragraph": 0}]},
    ):
        with pytest.raises(InputError, match="bad.json: not an article record"):
            decode(bad, "bad.json")


def test_corpus_reads_days_names_bad_records_and_sets_stories(tmp_path):
    from test_publish import write_day

    write_day(tmp_path / "2026-05-08", [make_article(1)])
    write_day(tmp_path / "2026-05-09", [make_article(2), make_article(3)])
    (tmp_path / "2026-05-09" / "articles" / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    corpus = Corpus(tmp_path)
    assert corpus.days() == ["2026-05-08", "2026-05-09"]
    day = corpus.day("2026-05-09")
    assert [r.id for r in day.records] == ["story-2", "story-3"]
    assert list(day.failures) == [str(tmp_path / "2026-05-09" / "articles" / "broken.json")]
    assert [d.day for d in corpus.window("2026-05-09", "2026-05-31")] == ["2026-05-09"]
    record = day.records[0]
    assert record.story == "story-2"  # a story of its own until the stories stage sets one
    assert corpus.set_story(record, "s-0123456789") and not corpus.set_story(record, "s-0123456789")
    assert Corpus(tmp_path).day("2026-05-09").records[0].story == "s-0123456789"
