"""`toolkit` command line: one thin module per command group, over the stage modules.

base       the app, shared options, error handling and set-up helpers
translate  translate, ingest, batch, nightly
collect    collect
publish    brief, archive, send
stories    stories
alerts     alerts
search     search (the archive database)
names      names (the people across the archive)
measure    eval, bench
glossary   glossary lint|match
model      model fetch|convert|synth|info
docs       not a command: `python -m toolkit.cli.docs` writes docs/cli.md from every --help
"""

# The import order is the order of `toolkit --help`.
# isort: off
from toolkit.cli import (  # noqa: F401
    translate,
    collect,
    publish,
    stories,
    search,
    names,
    alerts,
    measure,
)

# isort: on
from toolkit.cli.base import app
from toolkit.cli.glossary import glossary_app
from toolkit.cli.model import model_app

app.add_typer(model_app, name="model")
app.add_typer(glossary_app, name="glossary")


def main() -> None:
    app()
