import re
from pathlib import Path

import pytest
from conftest import REPO, invoke

from toolkit.errors import ConfigError
from toolkit.glossary import lint, load_glossary

HEADER = "arabic\tenglish\tkind\tvariants\tcontext\tnote\n"


def test_shipped_glossary_is_clean_and_covers_the_beat():
    files = sorted((REPO / "glossaries").glob("*.tsv"))
    entries, problems = lint(files)
    assert problems == []
    assert len(entries) >= 100
    english = {(e.arabic, e.context): e.english for e in entries}
    for arabic, context, name in [
        ("داعش", "", "ISIS"),
        ("الدولة الإسلامية", "quoted", "ISIS"),
        ("تنظيم الدولة", "", "ISIS"),
        ("تويتر", "", "Twitter"),
        ("ويسترن يونيون", "", "Western Union"),
        ("إنتربول", "", "Interpol"),
        ("الشرق الأوسط", "quoted", "Asharq Al-Awsat"),
        ("منطقة الشرق الأوسط", "", "Middle East"),
        ("يوروبول", "", "Europol"),
        ("روسكومنادزور", "", "Roskomnadzor"),
        ("رويترز", "", "Reuters"),
    ]:
        assert english[(arabic, context)] == name
    kinds = {e.kind for e in entries}
    assert kinds >= {"organization", "platform", "publication", "person", "place"}


def write(tmp_path, rows: str, name="g.tsv") -> Path:
    path = tmp_path / name
    path.write_text(rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        ("arabic\tenglish\tkind\n", 1, "header must be"),
        (HEADER + "داعش\tISIS\torganization\t\n", 2, "4 columns, expected 6"),
        (HEADER + "# comment\n\tISIS\torganization\t\t\t\n", 3, "empty arabic"),
        (HEADER + "داعش\t\torganization\t\t\t\n", 2, "empty english"),
        (HEADER + "داعش\tISIS\tgroup\t\t\t\n", 2, "unknown kind 'group'"),
        (HEADER + "داعش\tISIS\torganization\t\tinside\t\n", 2, "unknown context 'inside'"),
        (HEADER + "داعشX\tISIS\torganization\t\t\t\n", 2, "Latin letters in arabic"),
        (HEADER + "داعش\tISIS داعش\torganization\t\t\t\n", 2, "Arabic letters in english"),
        (
            HEADER + "داعش\tISIS\torganization\t\t\t\nداعش\tISIL\torganization\t\t\t\n",
            3,
            "is 'ISIL' here but 'ISIS'",
        ),
        (
            HEADER + "داعش\tISIS\torganization\tTwitter\t\t\nتويتر\tTwitter\tplatform\t\t\t\n",
            2,
            "variant 'Twitter' is the canonical name of another entry",
        ),
    ],
)
def test_errors_name_file_and_line(tmp_path, rows, line, message):
    path = write(tmp_path, rows)
    _entries, problems = lint([path])
    errors = [p for p in problems if p.level == "error"]
    assert errors and str(errors[0]).startswith(f"{path}:{line}: error: ")
    assert message in errors[0].message
    result = invoke("glossary", "lint", path)
    assert result.exit_code == 2 and f"{path}:{line}: error" in result.stderr
    with pytest.raises(ConfigError, match=re.escape(f"{path}:{line}:")):
        load_glossary([path])


def test_warnings_do_not_fail(tmp_path):
    path = write(
        tmp_path, HEADER + "داعش\tISIS\torganization\t\t\t\nداعش\tISIS\torganization\tISIS\t\t\n"
    )
    result = invoke("glossary", "lint", path)
    assert result.exit_code == 0
    assert f"{path}:3: warning: duplicate of {path}:2" in result.stderr
    assert "equals the canonical name" in result.stderr


def test_a_malformed_glossary_stops_a_run_with_file_and_line(tmp_path, tiny_model):
    path = write(tmp_path, HEADER + "داعش\tISIS\tgroup\t\t\t\n")
    article = write(tmp_path, "عنوان الخبر\nقال داعش.\n", "a.txt")
    result = invoke("translate", article, "--model", tiny_model, "--glossary", path)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"toolkit: error: {path}:2: error: unknown kind")
    assert result.stderr.count("\n") == 1 and result.stdout == ""
