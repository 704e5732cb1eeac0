"""Every `--help` reads cleanly: nothing eaten as markup, paragraphs filled, arguments named."""

import re

import pytest
import typer.main
from conftest import invoke

from toolkit.cli import app
from toolkit.cli.docs import command_paths

WIDTH = 80
SECTIONS = ("Arguments:", "Options:", "Commands:")
BOX = set("╭╮╰╯│─")  # rich panels


def description(text: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first section, as lists of lines."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:]:
        if line.strip().startswith(SECTIONS) or line.strip()[:1] in BOX:
            break
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


@pytest.fixture(scope="module")
def helps() -> dict[tuple[str, ...], str]:
    found = {}
    for path in command_paths(typer.main.get_command(app)):
        result = invoke(*path, "--help", env={"COLUMNS": str(WIDTH), "TERM": "dumb"})
        assert result.exit_code == 0, (path, result.output)
        found[path] = result.stdout
    return found


def test_every_command_is_walked(helps):
    assert {"translate", "bench", "glossary", "model"} <= {path[0] for path in helps if path}
    assert ("model", "info") in helps and ("glossary", "lint") in helps


def test_nothing_in_help_text_is_eaten_as_markup(helps):
    for path, text in helps.items():
        # "[default: …]" read as a markup tag left "CTranslate2 model ." behind
        assert not re.search(r"\w \.(\s|$)", text), (path, text)
        assert text.count("[") == text.count("]"), (path, text)
        assert not set(text) & BOX, path


def test_description_paragraphs_are_filled_not_broken_where_the_docstring_was(helps):
    for path, text in helps.items():
        for paragraph in description(text):
            for line, following in zip(paragraph, paragraph[1:], strict=False):
                next_word = following.split()[0]
                assert len(line) + 1 + len(next_word) > WIDTH - 2, (path, line)


def test_arguments_are_shown_in_capitals_as_the_docstrings_name_them(helps):
    for path, text in helps.items():
        usage = next(line for line in text.splitlines() if line.strip().startswith("Usage:"))
        assert not re.search(r"[{\[][a-z_]+[}\]]", usage), (path, usage)
