"""The archive database: `toolkit search`."""

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import GlossaryOption, app, command, warn


@command(app, "search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words, Arabic or English; glossary names.")],
    outputs: Annotated[
        Path, typer.Option("--outputs", help="Root of the dated output folders.")
    ] = Path("outputs"),
    since: Annotated[
        int | None,
        typer.Option(
            "--since",
            min=0,
            help="Only days from DAYS days ago on (0: today only) [default: every day].",
            show_default=False,
            metavar="DAYS",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help="At most this many stories.")
    ] = 20,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="XX",
            help="Only articles with a place in this country (ISO 3166 alpha-2, e.g. SO).",
            show_default=False,
        ),
    ] = None,
    glossary: GlossaryOption = None,
    no_glossary: Annotated[
        bool, typer.Option("--no-glossary", help="Search names as plain words.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="{query, terms, since, country, matched, stories: [...]} (docs/archive.md).",
        ),
    ] = False,
) -> None:
    """Full-text search of OUTPUTS/archive.sqlite, Arabic or English, grouped by story.

    An article matches when it holds every word of QUERY. A glossary name finds all its
    forms: "Telegram" also finds تيليغرام and تلغرام, and داعش also finds ISIS. Arabic words
    match with or without a proclitic (والشرطة, الشرطة, شرطة). A person's English spelling
    (as `toolkit names` lists it) also finds their Arabic mentions. Quotes and operators are
    searched for as text. Stories come newest first, each with its matching articles (day,
    outlet, headline, a snippet with the matched words in [ ]). The archive is brought up to
    date with the day folders first (built when missing).
    """
    import sqlite3

    from toolkit.archive import archive_path, open_archive, refresh_archive, search
    from toolkit.archive.search import Names
    from toolkit.errors import ConfigError
    from toolkit.glossary import default_glossary_files, load_glossary

    if not outputs.is_dir():
        raise ConfigError(f"{outputs}: no such folder (the root of the dated output folders)")
    files = [] if no_glossary else glossary or default_glossary_files()
    names = Names(load_glossary(files) if files else None)
    synced = refresh_archive(outputs, warn)  # a read-only archive is searched as it is
    for reason in synced.failures.values() if synced else ():
        warn(f"left out of the archive: {reason}")
    first = (dt.date.today() - dt.timedelta(days=since)).isoformat() if since is not None else None
    try:
        conn = open_archive(outputs, warn)
        try:
            result = search(conn, query, names, first, limit, country)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise ConfigError(
            f"{archive_path(outputs)}: cannot search the archive ({error}); "
            "`toolkit archive --rebuild` rebuilds it"
        ) from None
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    articles = sum(len(story.articles) for story in result.stories)
    typer.echo(
        f"{len(result.stories)} stor{'y' if len(result.stories) == 1 else 'ies'}, "
        f"{articles} article(s) for {' + '.join(result.terms)}"
        + (f" since {first}" if first else "")
        + (f" in {result.country}" if result.country else "")
        + (f" (of {result.matched} matching articles)" if result.matched > articles else "")
    )
    for story in result.stories:
        typer.echo(
            f"\n{story.headline}  [{story.id}: {story.reports} report(s), "
            f"first seen {story.first_seen}, last seen {story.last_seen}]"
        )
        for hit in story.articles:
            typer.echo(f"  {hit.day}  {hit.outlet or '—'}  {hit.headline['en']}")
            if hit.snippet:
                typer.echo(f"      {hit.snippet}")
