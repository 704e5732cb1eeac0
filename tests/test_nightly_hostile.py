"""The nightly job over hostile input and damaged state: good parts published, bad parts named."""

import json
import shutil
import sqlite3

import pytest
from test_hostile_input import ARTICLE, GOOD, blob, record
from test_nightly import INBOX, manifest, nightly

DAY = "2026-11-23"


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(INBOX, folder)
    return folder


def warnings_in(stderr: str) -> list[str]:
    """Warnings other than the tiny model's own (it is synthetic)."""
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("toolkit: warning: ") and "SYNTHETIC" not in line
    ]


def test_a_corrupt_memory_is_set_aside_and_the_night_goes_on(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "tm.sqlite").write_bytes(b"\x00garbage" * 512)
    first = nightly(inbox, outputs, tiny_model)
    assert first.exit_code == 0, first.output
    (warning,) = [w for w in warnings_in(first.stderr) if "tm.sqlite" in w]
    assert "not a usable translation memory" in warning and "moved aside" in warning
    assert len(list(outputs.glob("tm.sqlite.corrupt-*"))) == 1
    assert manifest(outputs)["counts"]["new"] == 3

    (outputs / DAY / "manifest.json").unlink()  # force a rerun: everything from the new memory
    again = nightly(inbox, outputs, tiny_model)
    assert again.exit_code == 0 and "tm.sqlite" not in again.stderr
    counts = manifest(outputs)["counts"]
    assert counts["decoded"] == 0 and counts["from_memory"] == counts["sentences"] > 0


@pytest.mark.parametrize(
    "damage",
    ['{"files": [', "[]", '{"model": {}, "glossary": null, "files": [{"file": 1}]}', "\xff"],
    ids=["cut-short", "not-an-object", "bad-record", "not-utf8"],
)
def test_an_unusable_manifest_is_ignored_with_a_warning_and_rewritten(
    tiny_model, inbox, tmp_path, damage
):
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    path = outputs / DAY / "manifest.json"
    path.write_bytes(damage.encode("latin-1"))
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 0, result.output
    (warning,) = warnings_in(result.stderr)
    assert f"{path}: not a usable run record" in warning
    run = manifest(outputs)  # rewritten: valid, and it says what it replaced
    assert run["warnings"] == [warning.removeprefix("toolkit: warning: ")]
    assert run["counts"]["new"] == 3 and run["counts"]["decoded"] == 0
    assert warnings_in(nightly(inbox, outputs, tiny_model).stderr) == []


def test_a_mixed_inbox_publishes_every_good_part_and_names_every_bad_one(
    tiny_model, inbox, tmp_path
):
    outputs = tmp_path / "outputs"
    (outputs / "2026-11-22").mkdir(parents=True)
    (outputs / "2026-11-22" / "manifest.json").write_text("{", encoding="utf-8")
    (outputs / "tm.sqlite").write_bytes(b"not a database" * 300)
    (inbox / "feed.jsonl").write_text(
        f"{record(GOOD[0])}\n{{oops\n{record(GOOD[1])}\n", encoding="utf-8"
    )
    (inbox / "list.json").write_text(json.dumps([GOOD[0], "x", GOOD[1]]), encoding="utf-8")
    (inbox / "utf16.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    (inbox / "nul.txt").write_bytes(ARTICLE.replace("سبعة", "سبعة\x00").encode())
    (inbox / "blob.txt").write_text(
        f"عنوان عن الرمز\nقال المتحدث إن الرمز هو {blob()} في البيان.\nونفى الدفاع التهم.\n",
        encoding="utf-8",
    )
    (inbox / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))

    result = nightly(inbox, outputs, tiny_model, date=DAY)
    assert result.exit_code == 1
    run = manifest(outputs)
    by_name = {r["file"].rsplit("/", 1)[1]: r for r in run["files"]}
    # every good article and record is published
    assert by_name["feed.jsonl"]["articles"] == ["feed-1", "feed-2"]
    assert by_name["list.json"]["articles"] == ["list-1", "list-2"]
    for name in ("utf16.txt", "nul.txt", "blob.txt", *(p.name for p in INBOX.iterdir())):
        assert by_name[name]["status"] == "new" and by_name[name]["articles"], name
    articles = outputs / DAY / "articles"
    assert len(list(articles.glob("*.json"))) == 3 + 2 + 2 + 3
    blob_article = json.loads((articles / "blob-1.json").read_text(encoding="utf-8"))
    assert [s["flags"] for s in blob_article["sentences"]][0] == ["not-text"]
    # every bad part is named, on stderr and in the manifest
    named = {
        "feed.jsonl": f"{inbox}/feed.jsonl:2: invalid JSON",
        "list.json": f"{inbox}/list.json: item 2: expected an object",
        "blob.txt": f"{inbox}/blob.txt: blob-1, sentence 1: skipped: not text",
    }
    for name, problem in named.items():
        (recorded,) = by_name[name]["problems"]
        assert recorded.startswith(problem)
        assert f"toolkit: error: {recorded}" in result.stderr
    assert by_name["photo.txt"]["status"] == "failed" and "photo.txt" in result.stderr
    assert by_name["nul.txt"]["warnings"] and "nul.txt: dropped 1 stray" in result.stderr
    assert run["counts"]["problems"] == 3 and run["counts"]["failed"] == 1
    # and no state file is left unusable
    warned = " ".join(warnings_in(result.stderr))
    assert "tm.sqlite" in warned and "2026-11-22/manifest.json" in warned
    db = sqlite3.connect(outputs / "tm.sqlite")
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] > 0
    db.close()

    again = nightly(inbox, outputs, tiny_model, date=DAY)
    assert again.exit_code == 1  # the bad parts are still there, and still named
    rerun = manifest(outputs)
    assert rerun["counts"]["unchanged"] == 8 and rerun["counts"]["decoded"] == 0
    assert rerun["counts"]["problems"] == 3
    assert "tm.sqlite" not in " ".join(warnings_in(again.stderr))
