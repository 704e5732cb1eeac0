"""Glossaries: `toolkit glossary lint|match`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import GlossaryOption, command, exit_on_problems, load_glossary_option

glossary_app = typer.Typer(help="Check glossary files and find their terms.", no_args_is_help=True)


@command(glossary_app, "lint")
def glossary_lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Glossary files [default: every glossaries/*.tsv].", show_default=False
        ),
    ] = None,
) -> None:
    """Check glossary files: header, columns, kinds, contexts, scripts, conflicts (exit 2 on error).

    Errors: bad header or column count, empty arabic/english/kind, unknown kind or context,
    Latin letters in arabic, Arabic in english, the same (arabic, context) with different
    English, a variant that is another entry's canonical name. Duplicates are warnings.
    """
    from toolkit.glossary import default_glossary_files, lint

    files = paths or default_glossary_files()
    entries, problems = lint(files)
    for problem in problems:
        typer.echo(str(problem), err=True)
    errors = sum(problem.level == "error" for problem in problems)
    typer.echo(
        f"{len(files)} file(s), {len(entries)} entries, {errors} error(s), "
        f"{len(problems) - errors} warning(s)"
    )
    if errors:
        raise typer.Exit(2)


@command(glossary_app, "match")
def glossary_match(
    file: Annotated[
        str, typer.Argument(help="Arabic article file, or - for stdin.", metavar="FILE|-")
    ],
    glossary: GlossaryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The JSON of DESIGN.md.")] = False,
) -> None:
    """List the glossary terms found in an Arabic file, as they stand (clitics, quotes)."""
    from toolkit.glossary import Matcher, annotate_articles
    from toolkit.ingest import ingest_file

    loaded = load_glossary_option(glossary, disabled=False)
    ingested = ingest_file(file)
    if loaded is not None:
        annotate_articles(ingested.articles, Matcher(loaded))
    matches = [
        {
            "article": article.id,
            "surface": match.surface,
            "arabic": match.entry.arabic,
            "english": match.entry.english,
            "kind": match.entry.kind,
        }
        for article in ingested.articles
        for sentence in article.all_sentences()
        for match in sentence.matches
    ]
    if as_json:
        document = {"source": ingested.source, "matches": matches}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for row in matches:
            typer.echo(f"{row['article']}\t{row['surface']}\t→ {row['english']} ({row['kind']})")
        typer.echo(f"{len(matches)} match(es)", err=True)
    exit_on_problems(ingested.problems)
