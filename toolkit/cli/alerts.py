"""Watchlists: `toolkit alerts`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import GlossaryOption, app, command, load_glossary_option


@command(app, "alerts")
def alerts_command(
    day_dir: Annotated[Path, typer.Argument(help="The day folder (outputs/<date>).")],
    readers: Annotated[
        Path | None,
        typer.Option(
            "--readers",
            help="readers.toml [default: $TOOLKIT_READERS, else ./readers.toml if present].",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    watchlists: Annotated[
        Path | None,
        typer.Option(
            "--watchlists",
            help="Global rules [default: $TOOLKIT_WATCHLISTS, else ./watchlists.toml if present].",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    glossary: GlossaryOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='[{"rule", "reader", "story", "lead", "articles", "why", "breaking"}], reader '
            "null for a global rule; lead and breaking are the story's (`toolkit stories`).",
        ),
    ] = False,
) -> None:
    """The day's alerts: every rule of every reader and every global rule, per story.

    A rule fires on a story when its Arabic holds the rule's glossary names, topics
    (glossaries/topics.tsv) and quoted phrases as the expression says; `why` names them.
    A term that is neither a name nor a topic is exit 2, with the nearest names.
    """
    from toolkit.alerts import folder_alerts, watch_setup
    from toolkit.errors import ConfigError

    if not (day_dir / "articles").is_dir():
        raise ConfigError(f"{day_dir}: no articles/ folder (a day folder of toolkit nightly)")
    loaded = load_glossary_option(glossary, disabled=False) if glossary else None
    setup = watch_setup(readers, watchlists, loaded)
    day = folder_alerts(day_dir, setup)
    if as_json:
        typer.echo(json.dumps([a.to_json() for a in day.alerts], ensure_ascii=False, indent=2))
        return
    for alert in day.alerts:
        who = alert.reader.email if alert.reader else "watchlists"
        mark = " [BREAKING]" if alert.story.breaking else ""
        typer.echo(
            f"{alert.rule}\t{who}\t{alert.story.id}{mark}\t{alert.story.lead.headline}\t"
            f"why: {', '.join(alert.why)}"
        )
    typer.echo(
        f"{len(day.alerts)} alert(s) from {len(setup.watch.all_rules)} rule(s) "
        f"over {len(day.stories)} story(ies)",
        err=True,
    )
