"""Stories: `toolkit stories` (reports of one event across outlets and days)."""

import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import app, command


@command(app, "stories")
def stories_command(
    outputs: Annotated[Path, typer.Argument(help="Root of the dated output folders.")] = Path(
        "outputs"
    ),
    day: Annotated[
        str | None,
        typer.Option(
            "--day",
            help="Only the stories with a report on YYYY-MM-DD, as they stood that day.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='[{"id", "lead", "first_seen", "last_seen", "developing", "breaking", '
            '"articles": [{"id", "day", "outlet", "url"}], "headline", "entities"}], newest '
            "first (docs/stories.md: lead, developing, breaking).",
        ),
    ] = False,
) -> None:
    """Stories of the outputs folder: the reports of one event across outlets and days.

    Read from each articles/<id>.json `story` (the nightly sets it: a new article joins a
    story seen in the last 7 days, or starts one); ids stay the same across reruns and
    `toolkit brief` rebuilds. An article without one is a story of its own. Each story is
    shown as it stood after its newest report (with --day, as it stood that day).
    """
    import datetime as dt

    from toolkit.errors import ConfigError
    from toolkit.stories import read_stories

    if not outputs.is_dir():
        raise ConfigError(f"{outputs}: no such folder (the root of the dated output folders)")
    if day is not None:
        try:
            day = dt.date.fromisoformat(day).isoformat()
        except ValueError:
            raise ConfigError(f"--day {day!r} is not a date: use YYYY-MM-DD") from None
    stories, failures = read_stories(outputs, day)
    for reason in failures.values():
        typer.echo(f"toolkit: error: {reason}", err=True)
    if as_json:
        document = [story.to_json() for story in stories]
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for story in stories:
            mark = " (developing)" if day and story.developing else ""
            mark += " (BREAKING)" if story.breaking else ""
            typer.echo(
                f"{story.id}  {story.first_seen} → {story.last_seen}{mark}  {story.lead.headline}"
            )
            for report in story.reports:
                where = " · ".join(x for x in (report.outlet, report.url) if x)
                typer.echo(f"    {report.day}  {report.id}  {where}")
        typer.echo(f"{len(stories)} stories", err=True)
    if failures:
        raise typer.Exit(1)
