"""Glossaries: `toolkit glossary lint|match|import|export`."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import (
    GlossaryOption,
    command,
    exit_on_problems,
    load_glossary_option,
    warn,
)

glossary_app = typer.Typer(
    help="Check glossary files, find their terms, import and export them.", no_args_is_help=True
)


class ImportFormat(StrEnum):
    tbx = "tbx"
    tmx = "tmx"
    csv = "csv"
    tsv = "tsv"


class ExportFormat(StrEnum):
    tbx = "tbx"
    csv = "csv"


@command(glossary_app, "lint")
def glossary_lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Glossary or topics files [default: every glossaries/*.tsv].", show_default=False
        ),
    ] = None,
) -> None:
    """Check glossary files: header, columns, kinds, contexts, scripts, conflicts (exit 2 on error).

    Errors: bad header or column count, empty arabic/english/kind, unknown kind or context,
    Latin letters in arabic, Arabic in english, the same (arabic, context) with different
    English, a variant that is another entry's canonical name. Duplicates are warnings.
    A topics file (header `topic label patterns exclude note`, glossaries/topics.tsv) is checked
    as one: known columns, topic names, a label, non-empty patterns, no duplicate topic.
    """
    from toolkit.glossary import default_glossary_files, lint
    from toolkit.glossary.topics import default_topics_file, is_topics_file, lint_topics

    files = paths or [*default_glossary_files(), *filter(None, [default_topics_file()])]
    entries, problems = lint(files)  # skips topics files
    topics = []
    for topics_file in filter(is_topics_file, files):
        found, more = lint_topics(topics_file)
        topics += found
        problems += more
    for problem in problems:
        typer.echo(str(problem), err=True)
    errors = sum(problem.level == "error" for problem in problems)
    typer.echo(
        f"{len(files)} file(s), {len(entries)} entries"
        + (f", {len(topics)} topics" if topics else "")
        + f", {errors} error(s), "
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


@command(glossary_app, "import")
def glossary_import(
    file: Annotated[Path, typer.Argument(help="TBX, TMX, CSV or TSV glossary of another tool.")],
    file_format: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            help="tbx (ISO 30042, TBX-Basic/TBX-Core), tmx (Amazon Translate), csv or tsv "
            "(DeepL rows source,target, or AWS with a header row of language codes) "
            "[default: from the suffix].",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="Kind of the imported entries when the file does not say (organization, "
            "platform, person, place, publication, other).",
        ),
    ] = "other",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Glossary TSV to write, e.g. glossaries/NAME.tsv [default: stdout].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Convert a glossary of a CAT tool, DeepL or Amazon Translate into our TSV.

    Arabic terms are brought to their base form (a proclitic such as the ل of لداعش is taken
    off, with a warning), duplicates are merged, and the same Arabic with two English names
    is an error naming both places (exit 2, nothing written). XML is parsed without entities
    or DTDs. The result passes `toolkit glossary lint`.
    """
    from toolkit.errors import ConfigError
    from toolkit.fsutil import atomic_write_text
    from toolkit.glossary import default_glossary_files, lint
    from toolkit.glossary.formats import detect_format, format_tsv, import_glossary

    chosen = detect_format(file, file_format.value if file_format else None)
    target = output.resolve() if output else None
    shipped, _problems = lint([f for f in default_glossary_files() if f.resolve() != target])
    result = import_glossary(file, chosen, kind, known=shipped)
    for problem in result.problems:
        typer.echo(str(problem), err=True)
    if result.errors:
        raise ConfigError(f"{file}: {len(result.errors)} error(s) above; nothing written")
    text = format_tsv(
        result.entries,
        f"Imported from {file.name} ({chosen}) by `toolkit glossary import`; "
        "check with `toolkit glossary lint`.",
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
    typer.echo(f"{len(result.entries)} entries from {file}", err=True)


@command(glossary_app, "export")
def glossary_export(
    file_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="tbx: TBX-Basic (ISO 30042), every field kept, for CAT tools. csv: AWS custom "
            "terminology (header ar,en), Arabic and canonical English only.",
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    glossary: GlossaryOption = None,
) -> None:
    """Write our glossary for other tools (TBX for CAT tools, CSV for Amazon Translate/DeepL)."""
    from toolkit.errors import ConfigError
    from toolkit.fsutil import atomic_write_text
    from toolkit.glossary.formats import format_csv, format_tbx

    loaded = load_glossary_option(glossary, disabled=False)
    if loaded is None:
        raise ConfigError("no glossary to export: pass --glossary PATH")
    names = ", ".join(path.name for path in loaded.files)
    if file_format is ExportFormat.tbx:
        text = format_tbx(loaded.entries, f"Exported by toolkit glossary export from {names}")
        written = len(loaded.entries)
    else:
        text, left_out = format_csv(loaded.entries)
        written = len(loaded.entries) - len(left_out)
        for entry in left_out:
            warn(f"{entry.where}: {entry.arabic!r} ({entry.context}) left out: CSV has no context")
    atomic_write_text(output, text)
    typer.echo(f"{written} entries → {output}", err=True)
