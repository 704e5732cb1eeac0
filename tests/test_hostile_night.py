"""The third hostile battery (issue 22): never read outside the inbox, never lose a valid
sentence, never stop the night over one file or a state file, one line for every failure."""

import errno
import json
import os
import random
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO, invoke
from markdown_it import MarkdownIt
from test_nightly import INBOX, manifest, nightly

from toolkit.deliver.recipients import read_recipients
from toolkit.glossary import Matcher, load_glossary
from toolkit.ingest import ingest_file
from toolkit.translate.segment import split_for_model

DAY = "2026-11-23"
SECRET = "SECRET-smtp-password-4f1d9"
# drop root's power to read any file, so that mode 000 means unreadable (the test runs as root)
NO_DAC = [
    "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search",
]
CLAUSE_WORDS = [
    "قال",
    "المسؤول",
    "إن",
    "الحكومة",
    "قررت",
    "تمديد",
    "العمل",
    "بالإجراءات",
    "الأمنية",
    "في",
    "المدينة",
    "بعد",
    "الهجوم",
    "الذي",
    "استهدف",
    "مقر",
    "الشرطة",
    "وأسفر",
    "عن",
    "سقوط",
    "عدد",
    "من",
    "الجرحى",
    "بين",
    "المدنيين",
]


def run_on(words: int) -> str:
    """One paragraph of `words` words: clauses chained by ، and و, no full stop until the end."""
    rng = random.Random(7)
    out: list[str] = []
    while len(out) < words:
        clause = [rng.choice(CLAUSE_WORDS) for _ in range(rng.randint(6, 12))]
        clause[0] = ("و" if rng.random() < 0.6 else "") + clause[0]
        clause[-1] += "،" if rng.random() < 0.5 else ""
        out += clause
    return " ".join(out[:words]) + "."


def good_text(n: int = 0) -> str:
    return sorted(INBOX.iterdir())[n].read_text(encoding="utf-8")


def unprivileged() -> list[str]:
    """A command prefix under which mode 000 is unreadable; skip when there is none."""
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["setpriv", *NO_DAC, "cat", "/proc/self/status"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop root's file permissions here: {probe.stderr.decode()[:80]}")
    return ["setpriv", *NO_DAC]


def toolkit(*args, prefix=(), env=None) -> subprocess.CompletedProcess:
    command = [*prefix, sys.executable, "-m", "toolkit", *map(os.fsencode, args)]
    return subprocess.run(command, capture_output=True, cwd=REPO, env=env, timeout=600)


def every_file(folder: Path) -> list[Path]:
    return [Path(top) / name for top, _, names in os.walk(folder) for name in names]


@pytest.fixture
def hostile_inbox(tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    (tmp_path / "secret").write_text(f"{SECRET}\nكلمة السر\n", encoding="utf-8")
    (inbox / "n.txt").symlink_to(tmp_path / "secret")  # out of the inbox
    (inbox / "alias.txt").symlink_to(sorted(INBOX.iterdir())[0].name)  # inside: read once
    (inbox / "locked.txt").write_text(good_text(1), encoding="utf-8")
    (inbox / "locked.txt").chmod(0)
    (inbox / os.fsdecode(b"x\xff.txt")).write_text(good_text(2), encoding="utf-8")
    (inbox / "new\nline.txt").write_text(good_text(0).replace("\n", " جديد\n", 1), "utf-8")
    os.mkfifo(inbox / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inbox / "sock.txt"))
    server.close()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "runon.txt").write_text(f"خطاب طويل للوزير\n{run_on(6000)}\n", encoding="utf-8")
    return inbox


BAD = {
    "n.txt": "a link to outside the inbox, not read",
    "locked.txt": "cannot read (permission denied)",
    "pipe.txt": "a FIFO, not a regular file: not opened",
    "sock.txt": "a socket, not a regular file: not opened",
    "empty.txt": "empty file",
}


def test_a_hostile_inbox_publishes_every_good_article_and_names_every_bad_file_once(
    tiny_model, hostile_inbox, tmp_path
):
    prefix = unprivileged()
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    args = ("nightly", "--inbox", hostile_inbox, "--outputs", outputs, "--date", DAY)
    for night in range(2):  # the same every night: the unreadable file never sinks the rest
        result = toolkit(*args, "--model", tiny_model, "--beam", "1", prefix=prefix)
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 1, stderr
        assert "Traceback" not in stderr
        errors = [line for line in stderr.splitlines() if line.startswith("toolkit: error: ")]
        for name, why in BAD.items():
            named = [line for line in errors if f"{hostile_inbox}/{name}" in line]
            assert named == [f"toolkit: error: {hostile_inbox}/{name}: {why}"], (night, named)
        assert len(errors) == len(BAD), errors

    run = manifest(outputs)
    by_name = {record["file"].rsplit("/", 1)[1]: record for record in run["files"]}
    assert {name for name, r in by_name.items() if r["status"] == "failed"} == set(BAD)
    assert "alias.txt" not in by_name  # a link to a file in the inbox: read once, as itself
    good = [p.name for p in INBOX.iterdir()] + ["x\\xff.txt", "new\\nline.txt", "runon.txt"]
    articles = outputs / DAY / "articles"
    for name in good:
        (article_id,) = by_name[name]["articles"]
        assert (articles / f"{article_id}.json").is_file(), name
    assert run["counts"]["failed"] == len(BAD) and run["counts"]["problems"] == 0

    # the run-on paragraph is translated in full, every piece of it
    runon = json.loads((articles / "runon-1.json").read_text(encoding="utf-8"))
    (sentence,) = runon["sentences"]
    assert "not-text" not in sentence["flags"]
    assert len(sentence["en"].split()) > 1000  # 6,000 Arabic words, every piece decoded
    assert runon["headline"]["ar"] == "خطاب طويل للوزير"

    # every link of the digest reaches its article, whatever the file was called
    digest = (outputs / DAY / "digest.md").read_text(encoding="utf-8")
    links = [
        token.attrGet("href")
        for block in MarkdownIt("commonmark").parse(digest)
        for token in block.children or []
        if token.type == "link_open" and "articles/" in token.attrGet("href")
    ]
    assert len(links) == len(good)
    assert all((outputs / DAY / unquote(link)).is_file() for link in links), links

    # the secret is nowhere, not even in the translation memory; every output is UTF-8
    for path in every_file(outputs):
        data = path.read_bytes()
        assert SECRET.encode() not in data and "كلمة السر".encode() not in data, path
        if path.suffix in (".json", ".md", ".xml", ".html"):
            data.decode("utf-8")


def test_a_link_inside_the_inbox_is_read_once_and_a_link_to_a_folder_is_not_followed(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "a.txt").write_text(good_text(), encoding="utf-8")
    (inbox / "b.txt").symlink_to("sub/a.txt")
    (inbox / "c.txt").symlink_to("b.txt")
    (inbox / "loop").symlink_to(inbox)  # a folder: its files are reached directly
    (inbox / "out").symlink_to(tmp_path)  # a folder outside: named
    (inbox / "broken.txt").symlink_to(tmp_path / "gone.txt")
    from toolkit.ingest.files import folder_files

    entries = {entry.name.removeprefix(f"{inbox}/"): entry for entry in folder_files(inbox)}
    assert sorted(entries) == ["broken.txt", "out", "sub/a.txt"]
    assert entries["sub/a.txt"].refused is None
    assert "outside the inbox" in entries["out"].refused
    assert "a broken link" in entries["broken.txt"].refused


def test_a_file_over_the_size_limit_is_refused_from_its_size_before_it_is_read(
    tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(inbox / "huge.txt", "wb") as handle:
        handle.truncate(64 * 2**30)  # 64 GB, sparse: reading it would never end
    (inbox / "small.txt").write_text(good_text(), encoding="utf-8")
    from toolkit.ingest.files import folder_files

    huge, small = folder_files(inbox)
    assert huge.refused == f"{inbox}/huge.txt: 65,536.0 MB, over the limit of 20 MB " + (
        "(TOOLKIT_MAX_FILE_MB): not read"
    )
    assert small.refused is None
    monkeypatch.setenv("TOOLKIT_MAX_FILE_MB", "0.001")
    assert "over the limit of 0 MB" in folder_files(inbox)[1].refused
    monkeypatch.setenv("TOOLKIT_MAX_FILE_MB", "lots")
    result = invoke("translate", inbox / "small.txt")
    assert result.exit_code == 2 and "TOOLKIT_MAX_FILE_MB='lots'" in result.stderr


def test_non_utf8_and_newline_names_in_translate_and_batch(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    odd = inbox / os.fsdecode(b"x\xff.txt")
    odd.write_text(good_text(), encoding="utf-8")
    (inbox / "a\nb.txt").write_text(good_text(1), encoding="utf-8")
    out = tmp_path / "out.json"
    result = invoke("translate", odd, "-o", out, "--model", tiny_model, "--beam", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["source"] == f"{inbox}/x\\xff.txt"
    assert [a["id"] for a in document["articles"]] == ["x\\xff-1"]

    batch = invoke("batch", inbox, "-o", tmp_path / "b", "--model", tiny_model, "--beam", "1")
    assert batch.exit_code == 0, batch.output
    names = sorted(p.name for p in (tmp_path / "b" / "articles").glob("*.json"))
    assert names == ["a\\nb-1.json", "x\\xff-1.json"]
    json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))


def test_a_run_on_sentence_is_cut_where_arabic_cuts_it_and_nothing_is_lost(engine):
    text = run_on(6000)
    count = lambda piece: len(engine.tokenize(piece))  # noqa: E731
    pieces = split_for_model(text, count, 256)
    assert " ".join(pieces).split() == text.split()
    assert all(count(piece) <= 256 for piece in pieces)
    words = lambda piece: len(piece.split())  # noqa: E731
    openers = split_for_model("قال الوزير كلاما طويلا ثم غادر القاعة بينما بقي الوفد", words, 6)
    assert openers == ["قال الوزير كلاما طويلا", "ثم غادر القاعة بينما بقي الوفد"]


def test_a_long_line_is_never_chosen_as_headline(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(f"{run_on(600)}\nوقال المتحدث إن التحقيق مستمر.\n", encoding="utf-8")
    (article,) = ingest_file(str(path)).articles
    assert article.headline.ar == ""
    assert article.sentences[0].ar.startswith(run_on(600)[:40])
    records = tmp_path / "titled.jsonl"
    records.write_text(json.dumps({"title": run_on(600), "text": "نص قصير."}), encoding="utf-8")
    (titled,) = ingest_file(str(records)).articles
    assert titled.headline.ar == "" and len(titled.sentences) == 2


def hold_write_lock(path: Path) -> subprocess.Popen:
    """Another process holding the memory in a write transaction until it is killed."""
    code = (
        "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "db.execute('BEGIN EXCLUSIVE'); db.execute('INSERT INTO translations VALUES "
        "(1, 1, 1, 1, 1)'); print('locked', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, path], stdout=subprocess.PIPE)
    assert holder.stdout.readline() == b"locked\n"
    return holder


def test_a_memory_locked_by_another_process_is_left_out_and_the_night_goes_on(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    (inbox / "new.txt").write_text(good_text().replace("\n", " اليوم\n", 1), encoding="utf-8")
    holder = hold_write_lock(outputs / "tm.sqlite")
    try:
        result = nightly(inbox, outputs, tiny_model)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 0, result.output
    assert "tm.sqlite: translation memory not usable (database is locked); going on" in (
        result.stderr
    )
    (new,) = [r for r in manifest(outputs)["files"] if r["file"].endswith("new.txt")]
    assert new["status"] == "new" and (outputs / DAY / "articles" / "new-1.json").is_file()


def test_a_memory_or_a_manifest_that_is_a_folder_never_stops_the_night(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    outputs = tmp_path / "outputs"
    (outputs / "tm.sqlite").mkdir(parents=True)
    (outputs / DAY / "manifest.json").mkdir(parents=True)
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 0, result.output
    assert "tm.sqlite: translation memory not usable" in result.stderr
    assert f"{outputs / DAY / 'manifest.json'}: not a usable run record" in result.stderr
    run = manifest(outputs)
    assert run["counts"]["new"] == 3
    assert any("going on without it" in warning for warning in run["warnings"])
    assert len(list((outputs / DAY).glob("manifest.json.corrupt-*"))) == 1
    assert (outputs / "index.html").is_file() and (outputs / DAY / "digest.html").is_file()


def one_line(result) -> str:
    (line,) = [line for line in result.stderr.splitlines() if "SYNTHETIC" not in line]
    assert line.startswith("toolkit: error: ") and "Traceback" not in result.output
    return line


def test_outputs_that_cannot_be_written_are_one_line(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    a_file = tmp_path / "outputs.txt"
    a_file.write_text("x", encoding="utf-8")
    result = nightly(inbox, a_file, tiny_model)
    assert result.exit_code == 2
    assert (
        one_line(result)
        == f"toolkit: error: {a_file}: cannot write the outputs here (not a folder)"
    )

    folder = tmp_path / "folder"
    folder.mkdir()
    result = invoke("translate", inbox / sorted(os.listdir(inbox))[0], "-o", folder)
    assert result.exit_code == 2 and "is a folder; give a file name" in one_line(result)

    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    args = ("nightly", "--inbox", inbox, "--outputs", read_only, "--model", tiny_model)
    done = toolkit(*args, prefix=unprivileged())
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2 and lines == [
        f"toolkit: error: {read_only}: cannot write the outputs here (permission denied)"
    ]


def test_a_full_disk_is_one_line_and_earlier_outputs_stay_intact(tiny_model, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    before = {path: path.read_bytes() for path in every_file(outputs / DAY)}
    (inbox / "new.txt").write_text(good_text().replace("\n", " اليوم\n", 1), encoding="utf-8")

    def no_space(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 2
    assert one_line(result).endswith("new-1.json: cannot write (no space left on device)")
    for path, data in before.items():
        assert path.read_bytes() == data, path
    assert not list((outputs / DAY).rglob(".*.tmp"))


def test_invisible_joiners_and_persian_letters_do_not_hide_a_name(tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "arabic\tenglish\tkind\tvariants\tcontext\tnote\n"
        "داعش\tISIS\torganization\t\t\t\n"
        "كابل\tKabul\tplace\t\t\t\n"
        "علي خامنئي\tAli Khamenei\tperson\t\t\t\n",
        encoding="utf-8",
    )
    matcher = Matcher(load_glossary([glossary]))
    for text, english in [
        ("هاجم تنظيم دا\u200cعش القرية", "ISIS"),  # ZWNJ
        ("قال لـ«دا\u200dعش»", "ISIS"),  # ZWJ
        ("هاجم داع\u2060ش القرية", "ISIS"),  # word joiner
        ("وصل إلى کابل", "Kabul"),  # Persian kaf
        ("قال علی خامنئی", "Ali Khamenei"),  # Persian yeh
        ("قال على خامنئى", "Ali Khamenei"),  # alef maksura
    ]:
        assert [m.entry.english for m in matcher.find(text)] == [english], text


def test_lint_refuses_a_one_letter_arabic_term(tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "arabic\tenglish\tkind\tvariants\tcontext\tnote\nو\tAnd Corp\torganization\t\t\t\n",
        encoding="utf-8",
    )
    result = invoke("glossary", "lint", glossary)
    assert result.exit_code != 0
    assert "arabic 'و' has fewer than 2 letters" in result.output


def test_a_quoted_display_name_with_a_comma_is_a_recipient(tmp_path):
    path = tmp_path / "recipients.txt"
    path.write_text('"Doe, John" <john@example.org>\nJane Roe <jane@example.org>\n', "utf-8")
    first, second = read_recipients(path)
    assert (first.address, first.name) == ("john@example.org", "Doe, John")
    assert (second.address, second.name) == ("jane@example.org", "Jane Roe")
