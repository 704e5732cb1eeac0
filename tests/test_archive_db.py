"""OUTPUTS/archive.sqlite: written by the nightly, rebuilt by `toolkit archive --rebuild` with
the same content, a cache of the day folders that is set aside and rebuilt when unusable."""

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke
from test_nightly import nightly

from toolkit.archive import open_archive, update_archive
from toolkit.archive.database import NAME

# Fictional events, written for these tests.
ARTICLES = {
    "telegram-closures": (
        "الفجر",
        "السلطات تغلق مئات القنوات على تيليغرام",
        "أعلنت الشرطة في مدينة الواحة إغلاق ثلاثمئة قناة على تيليغرام.\n\n"
        "وقالت الشرطة إن القنوات كانت تروج لعمليات احتيال مالي.",
    ),
    "court-transfers": (
        "الساحل",
        "محكمة الواحة تنظر في قضية تحويلات مالية",
        "بدأت محكمة الواحة محاكمة خمسة متهمين بتحويل أموال إلى الخارج.\n\n"
        "وطالب الادعاء بسجن المتهمين عشر سنوات.",
    ),
    "fraud-arrests": (
        "الفجر",
        "الشرطة تعتقل مديري قنوات احتيال",
        "اعتقلت الشرطة ثلاثة أشخاص يديرون قنوات للاحتيال.\n\n"
        "واستعان المحققون بالحاسوب لتتبع الأموال.",
    ),
}


def days_ago(n: int) -> str:
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def write_input(inbox: Path, name: str) -> None:
    outlet, title, text = ARTICLES[name]
    record = {"title": title, "text": text, "source": outlet, "url": f"https://example.org/{name}"}
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def two_nights(root: Path, model: Path) -> Path:
    """Outputs of two nightly runs (four and one days ago), without glossary: the English
    holds no canonical name that the Arabic does not."""
    inbox, outputs = root / "inbox", root / "outputs"
    write_input(inbox, "telegram-closures")
    write_input(inbox, "court-transfers")
    result = nightly(inbox, outputs, model, "--no-glossary", date=days_ago(4))
    assert result.exit_code == 0, result.output
    write_input(inbox, "fraud-arrests")
    result = nightly(inbox, outputs, model, "--no-glossary", date=days_ago(1))
    assert result.exit_code == 0, result.output
    return outputs


@pytest.fixture(scope="module")
def nights(tiny_model, tmp_path_factory) -> Path:
    return two_nights(tmp_path_factory.mktemp("nights"), tiny_model)


@pytest.fixture
def outputs(nights, tmp_path) -> Path:
    """A private copy of the two nights' outputs, to change."""
    return Path(shutil.copytree(nights, tmp_path / "outputs"))


def article_records(outputs: Path) -> dict[str, dict]:
    return {
        f"{path.parent.parent.name}/{path.stem}": json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(outputs.glob("????-??-??/articles/*.json"))
    }


def dump(path: Path) -> dict[str, list]:
    """Every table's rows, without the internal row numbers, in a fixed order."""
    conn = sqlite3.connect(path)
    try:
        tables = {
            "articles": "key, id, day, outlet, url, date, headline_ar, headline_en, story, "
            "entities",
            "sentences": "article, n, ar, ar_normalized, en, terms",
            "entities": "article, english, kind, count",
            "stories": "*",
            "story_members": "*",
            "days": "day, articles",
        }
        rows = {
            table: sorted(conn.execute(f"SELECT {columns} FROM {table}"), key=repr)
            for table, columns in tables.items()
        }
        rows["fts"] = conn.execute(
            "SELECT s.article, s.n FROM sentences_fts "
            "JOIN sentences s ON s.id = sentences_fts.rowid "
            "WHERE sentences_fts MATCH 'ar_normalized : شرطه OR en : the' ORDER BY 1, 2"
        ).fetchall()
        conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
        return rows
    finally:
        conn.close()


def test_the_nightly_writes_every_article(nights):
    records = article_records(nights)
    assert len(records) == 3
    rows = dump(nights / NAME)
    assert [row[0] for row in rows["articles"]] == list(records)
    by_key = {row[0]: row for row in rows["articles"]}
    for key, data in records.items():
        day, _ = key.split("/")
        _, id_, row_day, outlet, url, _, ar, en, story, _ = by_key[key]
        assert (id_, row_day, ar, en) == (
            data["id"],
            day,
            data["headline"]["ar"],
            data["headline"]["en"],
        )
        assert outlet == data["source"]["outlet"] and url == data["source"]["url"]
        assert story == data["story"]  # the nightly's story id
        sentences = [row for row in rows["sentences"] if row[0] == key]
        assert [s[2] for s in sentences] == [data["headline"]["ar"]] + [
            s["ar"] for s in data["sentences"]
        ]
        assert [s[4] for s in sentences] == [data["headline"]["en"]] + [
            s["en"] for s in data["sentences"]
        ]
    assert {row[0] for row in rows["stories"]} == {data["story"] for data in records.values()}
    assert rows["fts"]  # الشرطة is in two articles


def test_rebuild_gives_the_same_content_as_the_nights(outputs):
    incremental = dump(outputs / NAME)
    result = invoke("archive", outputs, "--rebuild")
    assert result.exit_code == 0, result.output
    assert "archive.sqlite: 2 day(s) written" in result.stdout
    assert dump(outputs / NAME) == incremental


def test_a_rewritten_day_replaces_its_rows(outputs):
    day = days_ago(4)
    folder = outputs / day / "articles"
    first, second = sorted(folder.glob("*.json"))
    data = json.loads(first.read_text(encoding="utf-8"))
    data["story"] = "story-transfers"
    (folder / "new.json.tmp").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "new.json.tmp").replace(first)  # as every toolkit write: a rename
    second.unlink()
    result = invoke("archive", outputs)
    assert result.exit_code == 0, result.output
    rows = dump(outputs / NAME)
    assert [r[0] for r in rows["articles"] if r[2] == day] == [f"{day}/{first.stem}"]
    assert ("story-transfers", f"{day}/{first.stem}", day) in rows["story_members"]
    assert [r[0] for r in rows["stories"]].count("story-transfers") == 1
    assert not [r for r in rows["sentences"] if r[0] == f"{day}/{second.stem}"]
    # and a rebuild agrees
    invoke("archive", outputs, "--rebuild")
    assert dump(outputs / NAME) == rows


def test_a_vanished_day_is_dropped(outputs):
    shutil.rmtree(outputs / days_ago(1))
    result = update_archive(outputs)
    assert result.removed == [days_ago(1)]
    assert {row[2] for row in dump(outputs / NAME)["articles"]} == {days_ago(4)}


def test_a_bad_record_is_left_out_alone(outputs):
    folder = outputs / days_ago(1) / "articles"
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (good,) = [p for p in folder.glob("*.json") if p.name != "broken.json"]
    data = json.loads(good.read_text(encoding="utf-8"))
    hostile = {**data, "id": "hostile", "source": {**data["source"], "outlet": {"a": 1}}}
    (folder / "hostile.json").write_text(json.dumps(hostile), encoding="utf-8")
    (folder / "story.json").write_text(json.dumps({**data, "id": "s", "story": [1]}))
    result = invoke("archive", outputs)
    assert result.exit_code == 1
    for name in ("broken.json", "hostile.json", "story.json"):
        assert name in result.stderr
    assert len(dump(outputs / NAME)["articles"]) == 3


def garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 100)


def folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def wrong_schema(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (x)")
    conn.commit()
    conn.close()


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:8192])


@pytest.mark.parametrize("damage", [garbage, folder, wrong_schema, truncated])
def test_an_unusable_archive_is_set_aside_and_rebuilt(outputs, damage):
    good = dump(outputs / NAME)
    damage(outputs / NAME)
    result = invoke("archive", outputs)
    assert result.exit_code == 0, result.output
    assert "not a usable archive" in result.stderr
    assert "set aside as archive.sqlite.corrupt-" in result.stderr
    assert len(list(outputs.glob(f"{NAME}.corrupt-*"))) == 1
    assert dump(outputs / NAME) == good


def test_an_archive_is_created_when_missing(outputs):
    (outputs / NAME).unlink()
    conn = open_archive(outputs)
    conn.close()
    assert update_archive(outputs).written == [days_ago(4), days_ago(1)]


def test_a_locked_archive_is_a_warning_for_the_night_and_one_line_for_search(outputs, monkeypatch):
    from toolkit.archive import refresh_archive

    monkeypatch.setenv("TOOLKIT_ARCHIVE_BUSY_S", "0.1")
    (outputs / days_ago(1) / "articles" / "extra.json").write_text("{}", encoding="utf-8")
    holder = sqlite3.connect(outputs / NAME)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        warnings = []
        assert refresh_archive(outputs, warnings.append) is None
        assert "not updated (database is locked)" in warnings[0]
        result = invoke("search", "Telegram", "--outputs", outputs)
        assert result.exit_code == 2
        assert "cannot search the archive (database is locked)" in result.stderr
        assert "Traceback" not in result.output
    finally:
        holder.rollback()
        holder.close()
    assert not list(outputs.glob(f"{NAME}.corrupt-*"))  # locked is not corrupt
