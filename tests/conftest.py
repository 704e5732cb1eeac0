from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

REPO = Path(__file__).resolve().parents[1]
SHARED_ARTICLES = REPO.parent / "shared" / "articles"


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, [str(arg) for arg in args], input=input, env=env)


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
