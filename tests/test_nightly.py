"""Nightly runs with real SQLite and real decoding on the tiny synthetic model."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, invoke

from toolkit.glossary import Matcher, load_glossary
from toolkit.ingest import ingest_file
from toolkit.runner import run_lock

INBOX = REPO / "inbox"
SHIPPED_GLOSSARY = REPO / "glossaries" / "ar-en-security.tsv"
NEW_ARTICLE = """غرامة روسية جديدة على تيليغرام
فرضت محكمة في موسكو غرامة على تطبيق تيليغرام لعدم حذف قنوات متطرفة.
وقالت هيئة روسكومنادزور إن التطبيق لم يلتزم بطلبات الحذف.
"""


def nightly(inbox: Path, outputs: Path, model: Path, *extra, date="2026-11-23", env=None):
    return invoke(
        "nightly",
        "--inbox",
        inbox,
        "--outputs",
        outputs,
        "--date",
        date,
        "--model",
        model,
        "--beam",
        "2",
        "--quiet",
        *extra,
        env=env,
    )


def nightly_command(inbox: Path, outputs: Path, model: Path) -> list[str]:
    """The nightly as its own process (to be killed)."""
    return [sys.executable, "-m", "toolkit", "nightly", "--inbox", str(inbox)] + [
        "--outputs",
        str(outputs),
        "--date",
        "2026-11-23",
        "--model",
        str(model),
        "--quiet",
    ]


def manifest(outputs: Path, date="2026-11-23") -> dict:
    return json.loads((outputs / date / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(INBOX, folder)
    return folder


def test_second_run_decodes_nothing_and_publishes_everything(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    first = nightly(inbox, outputs, tiny_model)
    assert first.exit_code == 0, first.output
    counts = manifest(outputs)["counts"]
    assert counts["new"] == 3 and counts["decoded"] == counts["sentences"] > 0
    day = outputs / "2026-11-23"
    for name in ("digest.md", "digest.html", "feed.xml", "manifest.json"):
        assert (day / name).is_file(), name
    assert len(list((day / "articles").glob("*.json"))) == 3
    assert "3 new, 0 unchanged, 0 failed" in first.stdout and "digest.html" in first.stdout

    second = nightly(inbox, outputs, tiny_model)
    assert second.exit_code == 0
    again = manifest(outputs)
    assert again["counts"]["decoded"] == 0 and again["counts"]["unchanged"] == 3
    assert {r["status"] for r in again["files"]} == {"unchanged"}
    assert again["model"]["synthetic"] is True and again["glossary"]["entries"] >= 100


def test_a_new_article_decodes_only_its_own_sentences(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    (inbox / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    run = manifest(outputs)
    (new,) = [r for r in run["files"] if r["file"].endswith("new.txt")]
    assert new["status"] == "new" and new["sentences"] == 3
    assert run["counts"]["decoded"] == 3 and run["counts"]["unchanged"] == 3


def test_editing_one_glossary_entry_redecodes_only_the_sentences_it_touches(
    tiny_model, inbox, tmp_path
):
    outputs = tmp_path / "outputs"
    glossary = tmp_path / "glossary.tsv"
    shutil.copy(SHIPPED_GLOSSARY, glossary)
    assert nightly(inbox, outputs, tiny_model, "--glossary", glossary).exit_code == 0
    total = manifest(outputs)["counts"]["sentences"]

    # a new variant to rewrite and to suppress: only sentences naming Western Union change
    text = glossary.read_text(encoding="utf-8")
    edited = text.replace(
        "Western Unión|Westerns Union", "Western Unión|Westerns Union|Western-Union"
    )
    assert edited != text
    glossary.write_text(edited, encoding="utf-8")
    matcher = Matcher(load_glossary([glossary]))
    touched = sum(
        any(m.entry.english == "Western Union" for m in matcher.find(s.original))
        for path in inbox.iterdir()
        for article in ingest_file(str(path)).articles
        for s in article.all_sentences()
    )
    assert touched == 1  # the hawala-trial sample names ويسترن يونيون once

    assert nightly(inbox, outputs, tiny_model, "--glossary", glossary).exit_code == 0
    counts = manifest(outputs)["counts"]
    assert counts["decoded"] == touched
    assert counts["from_memory"] == total - touched


def test_another_model_redecodes_everything(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    other = tmp_path / "other-model"
    assert invoke("model", "synth", "--shape", "tiny", "--seed", "7", "-o", other).exit_code == 0
    assert nightly(inbox, outputs, other).exit_code == 0
    counts = manifest(outputs)["counts"]
    assert counts["decoded"] == counts["sentences"] and counts["new"] == 3


def test_a_broken_file_fails_alone(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    (inbox / "broken.txt").write_bytes(bytes(range(256)) * 4)
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr
    run = manifest(outputs)
    (broken,) = [r for r in run["files"] if r["status"] == "failed"]
    assert broken["file"].endswith("broken.txt") and "binary" in broken["reason"]
    assert run["counts"]["new"] == 3
    assert len(list((outputs / "2026-11-23" / "articles").glob("*.json"))) == 3


def test_a_second_run_on_the_same_outputs_is_refused(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    with run_lock(outputs, wait=False):
        result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 2
    assert "in use by another run" in result.stderr and "--wait" in result.stderr
    assert not (outputs / "2026-11-23").exists()


def test_an_article_published_yesterday_is_not_published_again(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model, date="2026-11-22").exit_code == 0
    (inbox / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert nightly(inbox, outputs, tiny_model, date="2026-11-23").exit_code == 0
    run = manifest(outputs)
    assert run["counts"]["published_earlier"] == 3 and run["counts"]["new"] == 1
    assert [p.name for p in (outputs / "2026-11-23" / "articles").glob("*.json")] == ["new-1.json"]


def test_a_changed_file_replaces_its_outputs(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    (inbox / "two.txt").write_text(
        NEW_ARTICLE + "\n\n\n" + NEW_ARTICLE.replace("غرامة", "عقوبة"), encoding="utf-8"
    )
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    articles = outputs / "2026-11-23" / "articles"
    assert (articles / "two-2.json").is_file()
    (inbox / "two.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    assert (articles / "two-1.json").is_file() and not (articles / "two-2.json").exists()
    assert [r["status"] for r in manifest(outputs)["files"] if r["file"].endswith("two.txt")] == [
        "updated"
    ]


def big_inbox(folder: Path, files: int) -> Path:
    folder.mkdir()
    sentences = [line for line in NEW_ARTICLE.splitlines()[1:]]
    for number in range(files):
        body = "\n".join(
            f"{s[:-1]} في اليوم {number} والساعة {k}." for k in range(4) for s in sentences
        )
        (folder / f"{number:03d}.txt").write_text(
            f"خبر رقم {number} عن تيليغرام\n{body}\n", encoding="utf-8"
        )
    return folder


def memory_rows(path: Path) -> int:
    """Rows committed so far, read without creating or locking anything."""
    if not path.exists():
        return 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def test_kill_9_midway_then_the_rerun_finishes_without_redecoding(tiny_model, tmp_path):
    inbox, outputs = big_inbox(tmp_path / "inbox", 40), tmp_path / "outputs"
    command = nightly_command(inbox, outputs, tiny_model)
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while memory_rows(outputs / "tm.sqlite") == 0 and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.05)
        # while it runs, a second run is refused
        second = nightly(inbox, outputs, tiny_model)
        assert second.exit_code == 2 and "in use by another run" in second.stderr
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    stored = memory_rows(outputs / "tm.sqlite")
    assert stored > 0
    assert not (outputs / "2026-11-23" / "manifest.json").exists()  # the run did not finish

    rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    counts = manifest(outputs)["counts"]
    expected = sum(
        len(a.all_sentences()) for p in inbox.iterdir() for a in ingest_file(str(p)).articles
    )
    assert counts["decoded"] + counts["from_memory"] == counts["sentences"] == expected
    # every sentence is distinct: what was committed before the kill is reused, the rest
    # (at most the batches in flight, see test_layout) is decoded once
    assert counts["from_memory"] == stored
    assert memory_rows(outputs / "tm.sqlite") == expected
    for path in (outputs / "2026-11-23" / "articles").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    assert not list((outputs / "2026-11-23").rglob("*.tmp"))


def test_a_night_resumed_after_sigterm_publishes_what_an_uninterrupted_one_does(
    tiny_model, tmp_path
):
    """A batch's decoding limit comes from its longest input, so translations depend on how
    the night is cut into batches: the resumed night plans the batches of the night it
    resumes (kept in the memory) and decodes those with something missing."""
    inbox = big_inbox(tmp_path / "inbox", 150)  # more than one plan window of segments
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"

    command = lambda outputs: nightly_command(inbox, outputs, tiny_model)  # noqa: E731

    def articles(outputs: Path) -> dict[str, bytes]:
        folder = outputs / "2026-11-23" / "articles"
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}

    def planned(outputs: Path) -> int:
        with sqlite3.connect(outputs / "tm.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM planned").fetchone()[0]

    run = subprocess.run(command(whole), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert planned(whole) == 0  # a finished night forgets its plan

    process = subprocess.Popen(
        command(resumed), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while memory_rows(resumed / "tm.sqlite") == 0 and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGTERM
    assert not (resumed / "2026-11-23" / "manifest.json").exists()
    assert planned(resumed) > memory_rows(resumed / "tm.sqlite")  # what is left to resume

    rerun = subprocess.run(command(resumed), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert manifest(resumed)["counts"]["from_memory"] > 0  # it did resume
    assert len(articles(whole)) == 150 and articles(resumed) == articles(whole)
    assert planned(resumed) == 0
