"""Translating: `toolkit translate`, `ingest`, `batch` and `nightly`."""

import datetime as dt
import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import (
    BeamOption,
    EnforceOption,
    GlossaryOption,
    ModelOption,
    NoGlossaryOption,
    QuietOption,
    SchedulerOption,
    VmapOption,
    WaitOption,
    WorkersOption,
    app,
    command,
    decoding_on,
    exit_on_problems,
    make_pipeline,
    memory_option,
    open_memory,
    progress_bar,
    warn,
)


class OutputFormat(StrEnum):
    md = "md"
    txt = "txt"
    json = "json"
    docx = "docx"


@command(app, "translate")
def translate_command(
    file: Annotated[
        str | None,
        typer.Argument(
            help="Arabic article file, or - for stdin. A single line is plain text.",
            metavar="FILE|-",
            show_default=False,
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text", help="Translate this text (a word, a phrase, sentences) instead of a file."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (atomically) instead of stdout."),
    ] = None,
    to: Annotated[
        OutputFormat | None,
        typer.Option(
            "--to",
            help="md (front matter + Markdown), txt (plain English), json (sentence pairs with "
            "scores and flags) or docx (Word: headings, paragraphs and tables as in the source; "
            "needs -o). [default: from the -o suffix, else txt]",
            show_default=False,
        ),
    ] = None,
    model: ModelOption = None,
    glossary: GlossaryOption = None,
    no_glossary: NoGlossaryOption = False,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    vmap: VmapOption = False,
    tm: Annotated[
        Path | None,
        typer.Option("--tm", help="Translation memory (SQLite) to reuse and fill [default: none]."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Translate every article in one file on demand, sentence by sentence.

    An input of one line (`echo مرحبا | toolkit translate -`) or --text is plain text: no
    headline or page-furniture rules, just its sentences. A bad record (a JSONL line that is
    not JSON) or a part past the size limits is named on stderr and the rest is translated
    (exit 1). A .pdf or .docx is one article; `-o OUT.docx` writes the English as Word with
    the same headings, paragraphs and tables.
    """
    from toolkit.errors import ConfigError
    from toolkit.fsutil import atomic_write_bytes, atomic_write_text
    from toolkit.ingest import ingest_file, ingest_plain
    from toolkit.pipeline import skipped_sentences
    from toolkit.publish.article import article_json, article_markdown, article_text

    if (file is None) == (text is None):
        raise ConfigError("give one input: FILE, - for stdin, or --text TEXT")
    if output is not None and output.is_dir():
        raise ConfigError(f"-o {output}: is a folder; give a file name (e.g. {output}/out.md)")
    fmt = to or _format_from_suffix(output)
    if fmt is OutputFormat.docx and output is None:
        raise ConfigError("--to docx writes a file: give -o OUT.docx")
    ingested = ingest_plain(text) if text is not None else ingest_file(file, one_line_as_text=True)
    for message in ingested.warnings:
        warn(message)
    pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce, vmap)
    engine = pipeline.engine
    if tm is not None:
        pipeline.memory = open_memory(tm)
    articles = ingested.articles
    with progress_bar("translating", quiet) as update:
        pipeline.run([articles], update)
    if fmt is OutputFormat.docx:
        from toolkit.publish.docx import articles_docx

        atomic_write_bytes(output, articles_docx(articles, engine.info))
        exit_on_problems([*ingested.problems, *skipped_sentences(articles)])
        return
    if fmt is OutputFormat.json:
        document = {
            "source": ingested.source,
            "encoding": ingested.encoding,
            "articles": [article_json(article, engine.info) for article in articles],
        }
        rendered = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        render = article_markdown if fmt is OutputFormat.md else article_text
        rendered = "\n".join(render(article, engine.info) for article in articles)
    if output is None:
        sys.stdout.write(rendered)
    else:
        atomic_write_text(output, rendered)
    exit_on_problems([*ingested.problems, *skipped_sentences(articles)])


@command(app, "ingest")
def ingest_command(
    file: Annotated[str, typer.Argument(help="Article file, or - for stdin.", metavar="FILE|-")],
    as_json: Annotated[bool, typer.Option("--json", help="The JSON of DESIGN.md.")] = False,
) -> None:
    """Show what ingest sees: articles, headline, paragraphs → sentences, dropped lines.

    Formats: .txt (first headline-like line is the headline), .md, .html, .json, .jsonl,
    .pdf and .docx (one document, one article: headings, paragraphs, table cells; a PDF page
    without text is OCR'd when tesseract is installed).
    Encodings: UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1256. Page furniture rules
    (widgets, bylines, photo credits, abbreviations) live in toolkit/data/debris.tsv.
    Bad records and articles past the size limit are named on stderr (exit 1).
    """
    from toolkit.ingest import ingest_file
    from toolkit.publish.article import ingest_json, ingest_text

    result = ingest_file(file)
    for message in result.warnings:
        warn(message)
    if as_json:
        typer.echo(json.dumps(ingest_json(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(ingest_text(result))
    exit_on_problems(result.problems)


@command(app, "batch")
def batch_command(
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of article files (searched recursively).")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Writes OUT_DIR/articles/<id>.{json,en.md} and manifest.json."
        ),
    ],
    model: ModelOption = None,
    glossary: GlossaryOption = None,
    no_glossary: NoGlossaryOption = False,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    vmap: VmapOption = False,
    tm: Annotated[Path | None, memory_option("outputs/tm.sqlite")] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
) -> None:
    """Translate every article file under INPUT_DIR into OUT_DIR, incrementally.

    Files whose outputs are current are skipped; sentences already in the translation memory
    are not decoded again; a broken file is named and skipped (exit 1).
    """
    from toolkit.runner import finish, run_lock

    started = time.monotonic()
    with run_lock(output, wait):
        pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce, vmap)
        report = translate_folder(
            "batch",
            pipeline,
            tm or Path("outputs/tm.sqlite"),
            input_dir,
            output,
            quiet,
            executor=(workers, scheduler),
        )
        finish(report, output, started)
    close_run(report, "batch")


@command(app, "nightly")
def nightly_command(
    inbox: Annotated[Path, typer.Option("--inbox", help="Folder of new article files.")] = Path(
        "inbox"
    ),
    outputs: Annotated[
        Path, typer.Option("--outputs", help="Root of the dated output folders.")
    ] = Path("outputs"),
    date: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD [default: today].", show_default=False)
    ] = None,
    model: ModelOption = None,
    glossary: GlossaryOption = None,
    no_glossary: NoGlossaryOption = False,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    vmap: VmapOption = False,
    tm: Annotated[Path | None, memory_option("OUTPUTS/tm.sqlite")] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    wait: WaitOption = False,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Collect from these outlets into the inbox first (`toolkit collect`; state in "
            "OUTPUTS/collect.sqlite); the manifest counts each source.",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """The main job: what is new in the inbox → OUTPUTS/<date>/ with digest, feed and manifest.

    Incremental: files already published for this date with the same model, glossary and
    settings are skipped, files published on an earlier date are not published again, and
    sentences in the translation memory are not decoded again. Safe to kill and rerun; one
    run at a time per OUTPUTS (a second exits 2, or waits with --wait). With --workers or
    --scheduler only decoding runs on a Dask cluster; everything else stays in this process.
    Each article then joins a story of the last 7 days or starts one (its JSON `story`), and
    the digest is written by story. The digest opens with the alerts of $TOOLKIT_READERS
    (else ./readers.toml) and of ./watchlists.toml ($TOOLKIT_WATCHLISTS) when they exist.
    """
    from toolkit.alerts import watch_setup
    from toolkit.archive import refresh_archive
    from toolkit.cli.collect import run_collect
    from toolkit.errors import ConfigError
    from toolkit.publish import publish_archive, publish_digest
    from toolkit.runner import finish, published_before, run_lock
    from toolkit.stories import assign_day

    try:
        day = dt.date.fromisoformat(date).isoformat() if date else dt.date.today().isoformat()
    except ValueError:
        raise ConfigError(f"--date {date!r} is not a date: use YYYY-MM-DD") from None
    watch_setup()  # a bad readers.toml or watchlists.toml stops the night before it translates
    started = time.monotonic()
    folder = outputs / day
    with run_lock(outputs, wait):
        pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce, vmap)
        collected = None
        if sources is not None:
            collected = run_collect(sources, inbox, outputs / "collect.sqlite", None, quiet)
        report = translate_folder(
            "nightly",
            pipeline,
            tm or outputs / "tm.sqlite",
            inbox,
            folder,
            quiet,
            executor=(workers, scheduler),
            published_earlier=published_before(outputs, day, warn),
        )
        grouping = time.monotonic()
        assign_day(outputs, day)  # before the digest: it is written by story
        report.timings["stories_s"] = round(time.monotonic() - grouping, 3)
        publishing = time.monotonic()
        publish_digest(folder, day)
        publish_archive(outputs)
        refresh_archive(outputs, warn)
        report.date, report.digest = day, str(folder / "digest.html")
        report.timings["publish_s"] = round(time.monotonic() - publishing, 3)
        report.collect = collected.to_json() if collected else None
        finish(report, folder, started)
    for line in collected.failures if collected else []:
        typer.echo(f"toolkit: error: collect: {line}", err=True)
    close_run(report, f"nightly {day}", failed=bool(collected and collected.failures))


def translate_folder(
    command,
    pipeline,
    tm: Path,
    inputs: Path,
    out_dir: Path,
    quiet: bool,
    executor: tuple[int | None, str | None],
    **options,
):
    """What batch and nightly share: the translation memory, where decoding runs (`executor`
    is --workers and --scheduler), progress or log lines, the run."""
    from toolkit.runner import plain_log, run_folder

    pipeline.memory = open_memory(tm)
    with decoding_on(pipeline, *executor), progress_bar("translating", quiet) as update:
        report = run_folder(
            command,
            pipeline,
            inputs,
            out_dir,
            progress=update,
            log=plain_log(quiet),
            warn=warn,
            **options,
        )
    if pipeline.memory.warning:  # the memory was set aside or left out: the manifest says so
        report.warnings.append(pipeline.memory.warning)
    return report


def close_run(report, label: str, failed: bool = False) -> None:
    for record in report.files:
        for error in [record.reason] if record.status == "failed" else record.problems:
            typer.echo(f"toolkit: error: {error}", err=True)
    typer.echo(f"{label}: {report.summary()}")
    if failed or report.count("failed") or report.counts["problems"]:
        raise typer.Exit(1)


def _format_from_suffix(output: Path | None) -> OutputFormat:
    suffix = output.suffix.lstrip(".") if output else ""
    return OutputFormat(suffix) if suffix in OutputFormat.__members__ else OutputFormat.txt
