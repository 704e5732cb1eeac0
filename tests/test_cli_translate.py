import json
import subprocess
import sys

import pytest
from conftest import REPO, invoke, markdown_lists
from typer.main import get_command

from toolkit.cli import app

ARTICLE = """محاكمة شبكة تمويل في بروكسل
بدأت محكمة في بروكسل محاكمة سبعة أشخاص. وقال الادعاء إن الشبكة عملت سنوات!
ونفى محامو الدفاع التهم؟
"""
BODY_SENTENCES = [
    "بدأت محكمة في بروكسل محاكمة سبعة أشخاص.",
    "وقال الادعاء إن الشبكة عملت سنوات!",
    "ونفى محامو الدفاع التهم؟",
]


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "trial.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_has_one_entry_per_source_sentence_in_order(tiny_model, article):
    result = invoke("translate", article, "--model", tiny_model, "--to", "json", "--beam", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (entry,) = document["articles"]
    assert entry["id"] == "trial-1"
    assert entry["headline"]["ar"] == "محاكمة شبكة تمويل في بروكسل" and entry["headline"]["en"]
    assert [s["ar"] for s in entry["sentences"]] == BODY_SENTENCES
    assert [s["paragraph"] for s in entry["sentences"]] == [0, 0, 1]
    assert all(s["en"] and isinstance(s["score"], float) for s in entry["sentences"])
    assert entry["model"]["synthetic"] is True
    assert "SYNTHETIC" in result.stderr


def test_output_file_format_follows_its_suffix(tiny_model, article, tmp_path):
    out = tmp_path / "out" / "trial.en.md"
    result = invoke("translate", article, "--model", tiny_model, "-o", out, "--beam", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    front = text.split("---")[1]
    assert "\nsynthetic: true\n" in front and 'id: "trial-1"' in front
    assert "SYNTHETIC MODEL" in text
    assert [p.name for p in out.parent.iterdir()] == ["trial.en.md"]  # no temp file left


def test_plain_text_says_it_is_synthetic(tiny_model, article):
    result = invoke("translate", article, "--model", tiny_model, "--to", "txt", "--beam", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("[SYNTHETIC MODEL")


def test_stdin_to_stdout_through_real_pipes(tiny_model):
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "translate",
            "-",
            "--model",
            str(tiny_model),
            "--to",
            "json",
            "--beam",
            "1",
        ],
        input=ARTICLE.encode("utf-8"),
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr
    document = json.loads(process.stdout)
    assert document["source"] == "<stdin>"
    assert [s["ar"] for s in document["articles"][0]["sentences"]] == BODY_SENTENCES


def test_unreadable_input_exits_1_naming_the_file(tiny_model, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = invoke("translate", binary, "--model", tiny_model)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("binary file (NUL bytes), not an article")
    assert str(binary) in result.stderr


def test_batch_writes_good_files_and_names_the_broken_one(tiny_model, article, tmp_path):
    inbox = article.parent
    (inbox / "broken.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "run"
    result = invoke("batch", inbox, "-o", out, "--model", tiny_model, "--beam", "1")
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr
    written = sorted(p.name for p in (out / "articles").iterdir())
    assert written == ["trial-1.en.md", "trial-1.html", "trial-1.json"]
    assert json.loads((out / "articles" / "trial-1.json").read_text())["model"]["synthetic"] is True


def all_commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from all_commands(sub, (*path, name))


def test_every_command_explains_itself():
    for path, command in all_commands(get_command(app)):
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert command.help and len(command.help) > 20, path
        assert "Usage:" in result.stdout


def test_the_bullets_of_a_seed_article_stay_bullets_in_the_english(tiny_model, shared_articles):
    (path,) = shared_articles.glob("000_*")
    result = invoke("translate", path, "--model", tiny_model, "--to", "md", "--beam", "1")
    assert result.exit_code == 0, result.output
    assert markdown_lists(result.stdout) == [("bullet", 3)]
