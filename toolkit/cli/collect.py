"""Collecting: `toolkit collect` (nightly collects too when given --sources)."""

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import QuietOption, app, command, progress_bar, warn

SourcesOption = Annotated[
    Path,
    typer.Option("--sources", help="The outlets to collect from (TOML; see sources.example.toml)."),
]
StateOption = Annotated[
    Path,
    typer.Option("--state", help="What was collected before (SQLite; rebuilt if unusable)."),
]
MaxPerSourceOption = Annotated[
    int | None,
    typer.Option(
        "--max-per-source",
        min=1,
        help="New pages fetched per source and run [default: $TOOLKIT_COLLECT_MAX_PER_SOURCE, "
        "else 50].",
        show_default=False,
        metavar="N",
    ),
]


@command(app, "collect")
def collect_command(
    sources: SourcesOption = Path("sources.toml"),
    inbox: Annotated[
        Path, typer.Option("--inbox", help="Where new articles are written (one JSON each).")
    ] = Path("inbox"),
    state: StateOption = Path("outputs/collect.sqlite"),
    max_per_source: MaxPerSourceOption = None,
    quiet: QuietOption = False,
) -> None:
    """Fetch feeds, sitemaps and pages: each new article → INBOX/<date>-<source>-<hash>.json.

    Polite: robots.txt is obeyed, one request per host per `delay` seconds, the User-Agent of
    the sources file; feeds are asked with ETag/Last-Modified (unchanged: one 304), and a
    page is fetched once. Every limit has a TOOLKIT_COLLECT_* setting (docs/collect.md). A
    source or page that fails is named on stderr and the others go on (exit 1).
    """
    report = run_collect(sources, inbox, state, max_per_source, quiet)
    for source in report.sources:
        typer.echo(f"{source.name}: {source.summary()}")
    close_collect(report)


def run_collect(sources: Path, inbox: Path, state: Path, max_per_source: int | None, quiet: bool):
    """Collect with a progress bar (or log lines off a terminal); warnings on stderr."""
    from toolkit.collect import collect_sources
    from toolkit.collect.sources import load_sources
    from toolkit.runner import plain_log

    loaded = load_sources(sources)
    with progress_bar("collecting", quiet) as update:
        report = collect_sources(
            loaded,
            inbox,
            state,
            max_per_source=max_per_source,
            progress=update,
            log=plain_log(quiet),
        )
    for message in report.warnings + [w for s in report.sources for w in s.warnings]:
        warn(message)
    return report


def close_collect(report) -> None:
    """Each failed source and page named on stderr; exit 1 if any."""
    for failure in report.failures:
        typer.echo(f"toolkit: error: {failure}", err=True)
    if report.failures:
        raise typer.Exit(1)
