"""Publishing and delivery: `toolkit brief`, `archive` and `send`."""

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import app, command


@command(app, "brief")
def brief_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder holding articles/*.json.")],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date in the title [default: the folder name, else today].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """(Re)build digest.md, digest.html and feed.xml from OUT_DIR/articles/*.json alone.

    No model is needed: a reader-facing fix is published without re-translating.
    """
    from toolkit.publish import publish_digest

    result = publish_digest(out_dir, date)
    for reason in result.failures.values():
        typer.echo(f"toolkit: error: {reason}", err=True)
    typer.echo(f"digest of {result.articles} article(s): {out_dir / 'digest.html'}")
    if result.failures:
        raise typer.Exit(1)


@command(app, "archive")
def archive_command(
    outputs: Annotated[Path, typer.Argument(help="Root of the dated output folders.")] = Path(
        "outputs"
    ),
) -> None:
    """(Re)build OUTPUTS/index.html (every day, newest first) and OUTPUTS/feed.xml.

    feed.xml is one Atom feed over the last 30 days, with ids that stay the same across
    rebuilds: the one URL readers subscribe to. `toolkit nightly` runs this after each run.
    """
    from toolkit.errors import ConfigError
    from toolkit.publish import publish_archive

    if not outputs.is_dir():
        raise ConfigError(f"{outputs}: no such folder (the root of the dated output folders)")
    result = publish_archive(outputs)
    for reason in result.failures.values():
        typer.echo(f"toolkit: error: {reason}", err=True)
    typer.echo(
        f"archive of {result.days} day(s), {result.entries} feed entries: {outputs / 'index.html'}"
    )
    if result.failures:
        raise typer.Exit(1)
