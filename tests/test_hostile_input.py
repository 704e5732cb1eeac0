"""Hostile and broken input: bad records, odd encodings, stray controls, blobs, one-word input,
corrupt state. Good parts are kept, bad parts are named, nothing costs minutes."""

import codecs
import json
import random
import sqlite3

import pytest
from conftest import invoke

from toolkit.errors import InputError
from toolkit.ingest import ingest_file
from toolkit.ingest.decode import decode_bytes
from toolkit.translate.memory import TranslationMemory

HEADLINE = "محاكمة شبكة تمويل في بروكسل"
ARTICLE = f"""{HEADLINE}
بدأت محكمة في بروكسل محاكمة سبعة أشخاص. وقال الادعاء إن الشبكة عملت سنوات!
ونفى محامو الدفاع التهم؟
"""
GOOD = [
    {"title": "غرامة على تيليغرام", "text": "فرضت محكمة في موسكو غرامة على تطبيق تيليغرام."},
    {"title": "محاكمة في بروكسل", "text": "بدأت محكمة في بروكسل محاكمة سبعة أشخاص."},
]


def record(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False)


def blob(characters: int = 40_000) -> str:
    """The worst input we met: a 40 KB run of letters with no space or full stop in it."""
    letters = random.Random(1)
    return "".join(letters.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(characters))


# 1. one bad record does not lose the feed


def test_a_bad_jsonl_line_is_named_and_the_good_records_are_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{record(GOOD[0])}\n{{not json\n{record(GOOD[1])}\n", encoding="utf-8")
    result = ingest_file(str(path))
    assert [a.headline.ar for a in result.articles] == [g["title"] for g in GOOD]
    assert [str(p) for p in result.problems] == [
        f"{path}:2: invalid JSON (Expecting property name enclosed in double quotes)"
    ]


def test_a_bad_item_of_a_json_list_is_named_and_the_others_are_read(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([GOOD[0], 42, {"title": "x"}, GOOD[1]]), encoding="utf-8")
    result = ingest_file(str(path))
    assert len(result.articles) == 2
    assert [str(p) for p in result.problems] == [
        f"{path}: item 2: expected an object with title/headline and text/body",
        f"{path}: item 3: no 'text' or 'body' string",
    ]


def test_a_line_separator_inside_a_jsonl_string_does_not_cut_the_record(tmp_path):
    item = {"title": "عنوان", "text": "جملة أولى.\u2028جملة ثانية."}
    path = tmp_path / "feed.jsonl"
    path.write_text(record(item) + "\n", encoding="utf-8")
    result = ingest_file(str(path))
    assert len(result.articles) == 1 and not result.problems


def test_a_feed_with_no_good_record_fails_naming_its_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("{\n[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:1: invalid JSON .*; {path}:2: expected"):
        ingest_file(str(path))


def test_translate_writes_the_good_records_and_names_the_bad_line(tiny_model, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{record(GOOD[0])}\n{{not json\n{record(GOOD[1])}\n", encoding="utf-8")
    result = invoke("translate", path, "--model", tiny_model, "--to", "json", "--beam", "1")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [a["headline"]["ar"] for a in document["articles"]] == [g["title"] for g in GOOD]
    assert all(a["headline"]["en"] for a in document["articles"])
    assert f"toolkit: error: {path}:2: invalid JSON" in result.stderr


def test_glossary_match_names_the_bad_line_too(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{record(GOOD[0])}\n{{not json\n", encoding="utf-8")
    result = invoke("glossary", "match", path, "--json")
    assert result.exit_code == 1 and f"{path}:2: invalid JSON" in result.stderr
    assert {m["english"] for m in json.loads(result.stdout)["matches"]} == {"Telegram"}


# 2. state files the job owns never stop it


def test_a_corrupt_memory_is_set_aside_with_its_side_files(tmp_path):
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"not a database " * 300)
    (tmp_path / "tm.sqlite-wal").write_bytes(b"stale wal")
    (tmp_path / "tm.sqlite-shm").write_bytes(b"stale shm")
    memory = TranslationMemory(path)
    assert "not a usable translation memory" in memory.warning
    (aside,) = tmp_path.glob("tm.sqlite.corrupt-*[0-9]Z")
    assert aside.read_bytes() == b"not a database " * 300
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"stale wal"
    assert aside.with_name(aside.name + "-shm").is_file()  # shared memory: SQLite rewrites it
    memory.put_many("m", [])
    assert memory.get_many(["x"]) == {}
    memory.close()
    assert TranslationMemory(path).warning is None  # the new one is fine next time


def healthy_memory(path, rows: int = 3000) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE translations (key, model_sha256, source, result, created)")
    db.executemany(
        "INSERT INTO translations VALUES (?, 'm', 'ar', ?, 't')",
        [(str(i), "x" * 500) for i in range(rows)],
    )
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 3],  # truncated (disk full, copy cut short)
        lambda data: data[: len(data) // 2] + bytes(8192) + data[len(data) // 2 + 8192 :],
    ],
    ids=["truncated", "zeroed-pages"],
)
def test_a_damaged_memory_is_found_when_opened_not_midway(tmp_path, damage):
    path = tmp_path / "tm.sqlite"
    healthy_memory(path)
    path.write_bytes(damage(path.read_bytes()))
    memory = TranslationMemory(path)
    assert memory.warning and list(tmp_path.glob("tm.sqlite.corrupt-*"))
    memory.put_many("m", [])


def test_a_memory_of_another_shape_is_set_aside(tmp_path):
    path = tmp_path / "tm.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE translations (key TEXT PRIMARY KEY, english TEXT)")
    db.close()
    assert "columns key, english" in TranslationMemory(path).warning


def test_a_memory_that_cannot_be_opened_is_left_out_with_a_warning_and_not_moved(tmp_path):
    folder = tmp_path / "tm.sqlite"
    folder.mkdir()  # not a damaged file: a wrong path; nothing to set aside
    warned = []
    memory = TranslationMemory(folder, warned.append)
    assert memory.db is None and "going on without it" in warned[0]
    memory.put_many("m", [])
    assert memory.get_many(["x"]) == {}
    assert folder.is_dir() and not list(tmp_path.glob("*.corrupt-*"))


# 3. encodings and stray control characters

TEXT = "قالت الشرطة إن 3 رجال اعتقلوا.\nوأضافت أن التحقيق مستمر."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_as_arabic(encoding):
    decoded = decode_bytes(TEXT.encode(encoding), "a.txt")
    assert decoded.encoding == encoding and decoded.text == TEXT and not decoded.warnings


def test_utf16_without_bom_that_is_not_arabic_is_still_refused():
    with pytest.raises(InputError, match="binary file"):
        decode_bytes("The police said three men were arrested.".encode("utf-16-le"), "a.txt")


@pytest.mark.parametrize("stray", ["\x00", "\x1b", "\x1c", "\x7f"])
def test_a_stray_control_character_is_dropped_with_a_warning_naming_its_line(stray):
    data = TEXT.replace("التحقيق", f"التحقيق{stray}").encode("utf-8")
    decoded = decode_bytes(data, "inbox/a.txt")
    assert decoded.text == TEXT
    assert decoded.warnings == [
        f"inbox/a.txt: dropped 1 stray control character(s): U+{ord(stray):04X} on line 2"
    ]


def test_a_stray_nul_in_an_article_costs_nothing_but_a_warning(tiny_model, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.replace("سبعة", "سبعة\x00").encode("utf-8"))
    result = invoke("translate", path, "--model", tiny_model, "--to", "json", "--beam", "1")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)["articles"]
    assert article["sentences"][0]["ar"] == "بدأت محكمة في بروكسل محاكمة سبعة أشخاص."
    assert f"toolkit: warning: {path}: dropped 1 stray control character(s)" in result.stderr


def test_bom_files_get_the_same_stray_control_treatment():
    decoded = decode_bytes(codecs.BOM_UTF8 + "نص\x00 عربي".encode(), "a.txt")
    assert decoded.text == "نص عربي" and decoded.warnings


# 4. limits: garbage is skipped and named, not decoded for minutes


def test_garbage_is_told_from_text_by_its_shape_not_its_length():
    from toolkit.translate.segment import not_text

    assert not_text(blob()) == "40,000 characters without a space"
    assert not_text("aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZGF0YQ==") == "base64-like"
    assert not_text("ا " * 100) == "one word repeated"
    assert not_text("!" * 90) == "one character repeated"
    # long valid text is text, however long; so is a sentence with one long URL in it
    assert not_text(" ".join([ARTICLE.splitlines()[1]] * 300)) is None
    rng = random.Random(2)
    path = "".join(rng.choice("abcdefghij/-_0123") for _ in range(300))
    assert not_text(f"وقال إن الرابط هو https://example.org/{path} في البيان.") is None


def test_an_article_past_the_size_limit_is_skipped_and_named_the_others_kept(tmp_path):
    from toolkit.limits import MAX_ARTICLE_CHARS

    huge = "\n".join(f"وقال المتحدث إن التحقيق رقم {n} مستمر." for n in range(2000))
    path = tmp_path / "two.txt"
    path.write_text(f"{ARTICLE}\n\n\nعنوان طويل جدا\n{huge}\n", encoding="utf-8")
    result = ingest_file(str(path))
    assert [a.headline.ar for a in result.articles] == [HEADLINE]
    (problem,) = result.problems
    assert str(problem).startswith(f"{path}: article «عنوان طويل جدا» skipped: too long (")
    assert f"limit {MAX_ARTICLE_CHARS:,}" in str(problem)


def test_a_40kb_line_is_skipped_as_not_text_and_the_rest_translated(tiny_model, tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text(
        f"{HEADLINE}\nوقال المتحدث إن الرمز هو {blob()} في البيان.\nونفى محامو الدفاع التهم.\n",
        encoding="utf-8",
    )
    result = invoke("translate", path, "--model", tiny_model, "--to", "json", "--beam", "4")
    assert result.exit_code == 1
    (article,) = json.loads(result.stdout)["articles"]
    skipped, good = article["sentences"]
    assert skipped["flags"] == ["not-text"] and skipped["en"] == "[skipped: not text]"
    assert skipped["score"] is None
    assert good["en"] and "not-text" not in good["flags"]
    assert (
        f"toolkit: error: {path}: blob-1, sentence 1: skipped: not text (40,000 characters "
        "without a space;" in result.stderr
    )


# 5. a word or a phrase on demand


def test_one_word_on_stdin_translates_as_plain_text(tiny_model):
    result = invoke("translate", "-", "--model", tiny_model, "--beam", "1", input="مرحبا\n")
    assert result.exit_code == 0, result.output
    english = result.stdout.split("\n\n", 1)[1]  # after the synthetic-model notice
    assert english.strip() and "\n" not in english.strip()


def test_text_option_translates_sentences_without_a_headline(tiny_model):
    result = invoke(
        "translate", "--text", "مرحبا بكم. كيف الحال؟", "--model", tiny_model, "--to", "json"
    )
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)["articles"]
    assert article["headline"]["ar"] == ""
    assert [s["ar"] for s in article["sentences"]] == ["مرحبا بكم.", "كيف الحال؟"]
    assert all(s["en"] for s in article["sentences"])


def test_a_single_line_json_file_is_still_json(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(record(GOOD[0]), encoding="utf-8")
    (article,) = ingest_file(str(path), one_line_as_text=True).articles
    assert article.headline.ar == GOOD[0]["title"]


def test_translate_takes_a_file_or_text_not_both(tiny_model, tmp_path):
    assert invoke("translate", "--model", tiny_model).exit_code == 2
    both = invoke("translate", tmp_path / "a.txt", "--text", "مرحبا", "--model", tiny_model)
    assert both.exit_code == 2 and "one input" in both.stderr


def test_help_explains_plain_text():
    help_text = " ".join(invoke("translate", "--help").stdout.split())
    assert "--text" in help_text and "plain text" in help_text
