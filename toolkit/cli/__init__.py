"""`toolkit` command line: one thin module per command group, over the stage modules.

base       the app, shared options, error handling and set-up helpers
translate  translate, ingest, batch, nightly
publish    brief, archive, send
stories    stories
measure    eval, bench
glossary   glossary lint|match
model      model fetch|convert|synth|info
"""

# The import order is the order of `toolkit --help`.
# isort: off
from toolkit.cli import translate, publish, stories, measure  # noqa: F401  (they register commands)

# isort: on
from toolkit.cli.base import app
from toolkit.cli.glossary import glossary_app
from toolkit.cli.model import model_app

app.add_typer(model_app, name="model")
app.add_typer(glossary_app, name="glossary")


def main() -> None:
    app()
