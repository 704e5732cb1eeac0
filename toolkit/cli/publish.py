"""Publishing: `toolkit brief`."""

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
