"""People: `toolkit names` (the people across the archive, one profile per person)."""

import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import app, command, warn


@command(app, "names")
def names_command(
    outputs: Annotated[Path, typer.Argument(help="Root of the dated output folders.")] = Path(
        "outputs"
    ),
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='[{"id", "english", "variants": [...], "articles": [{"id", "day"}], '
            '"first_seen", "last_seen"}], most articles first (docs/names.md).',
        ),
    ] = False,
) -> None:
    """The people across the archive: id, English spelling, Arabic variants, articles, first
    and last seen; most articles first.

    Read from OUTPUTS/archive.sqlite, brought up to date with the day folders first (built
    when missing), as `toolkit search` does. One profile per person id (toolkit.names keeps
    one id and one English spelling per person across outlets, days and spellings).
    """
    import sqlite3

    from toolkit.archive import archive_path, open_archive, people_profiles, refresh_archive
    from toolkit.errors import ConfigError

    if not outputs.is_dir():
        raise ConfigError(f"{outputs}: no such folder (the root of the dated output folders)")
    synced = refresh_archive(outputs, warn)
    for reason in synced.failures.values() if synced else ():
        warn(f"left out of the archive: {reason}")
    try:
        conn = open_archive(outputs, warn)
        try:
            profiles = people_profiles(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise ConfigError(
            f"{archive_path(outputs)}: cannot read the archive ({error}); "
            "`toolkit archive --rebuild` rebuilds it"
        ) from None
    if as_json:
        document = [profile.to_json() for profile in profiles]
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    width = max((len(profile.english) for profile in profiles), default=0)
    for profile in profiles:
        typer.echo(
            f"{profile.english:<{width}}  {len(profile.articles):>3} article(s)  "
            f"{profile.first_seen} → {profile.last_seen}  [{profile.id}]"
        )
        typer.echo(f"    {' · '.join(profile.variants)}")
    typer.echo(f"{len(profiles)} people", err=True)
