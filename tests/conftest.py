import os
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from toolkit.cli import app

REPO = Path(__file__).resolve().parents[1]
SHARED_ARTICLES = REPO.parent / "shared" / "articles"


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, [str(arg) for arg in args], input=input, env=env)


def fresh_clone(tmp_path: Path, *make_args: str) -> tuple[Path, list[str]]:
    """A clone of this checkout and the `make -C clone …` command that reuses this venv
    (skips when there is none): what a fresh clone's `make` target does, without reinstalling."""
    venv = Path(os.environ.get("VIRTUAL_ENV") or REPO / ".venv").resolve()
    if not (venv / "bin" / "toolkit").exists():
        pytest.skip(f"no project venv at {venv}")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--shared", str(REPO), str(clone)], check=True)
    make = [
        shutil.which("make") or "make",
        "-C",
        str(clone),
        "-o",
        f"{venv}/.installed",  # reuse this venv: never rebuild it from the clone
        f"VENV={venv}",
        *make_args,
    ]
    return clone, make


def markdown_lists(markdown: str) -> list[tuple[str, int]]:
    """(bullet or ordered, number of items) of every list in a Markdown document."""
    lists: list[list] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([token.type.split("_")[0], 0])
        elif token.type == "list_item_open":
            lists[-1][1] += 1
    return [(kind, items) for kind, items in lists]


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random-weight Marian model, built once through the real synth → convert code."""
    directory = tmp_path_factory.mktemp("models") / "tiny"
    result = invoke("model", "synth", "--shape", "tiny", "-o", directory)
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="session")
def engine(tiny_model):
    from toolkit.translate import Engine

    return Engine(tiny_model)


@pytest.fixture
def shared_articles() -> Path:
    if not SHARED_ARTICLES.is_dir():
        pytest.skip("../shared/articles is not present beside the checkout")
    return SHARED_ARTICLES


@pytest.fixture(autouse=True)
def send_key(tmp_path_factory, monkeypatch) -> Path:
    """`toolkit send`'s address key, outside every outputs folder: the session's own, never
    the user's ~/.config/toolkit/send.key."""
    path = tmp_path_factory.getbasetemp() / "send.key"
    monkeypatch.setenv("TOOLKIT_SEND_KEY", str(path))
    return path
