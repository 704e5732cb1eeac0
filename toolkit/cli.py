"""`toolkit` command line: a thin typer layer over the stage modules."""

import datetime as dt
import functools
import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit import __version__
from toolkit.errors import ToolkitError

app = typer.Typer(
    help="Offline Arabic→English translation and briefing (opus-mt-ar-en on CTranslate2).\n\n"
    "Stages: ingest → glossary → translate → brief → publish. Results go to stdout or files; "
    "progress and warnings go to stderr. Exit codes: 0 done, 1 some inputs failed, "
    "2 usage or configuration error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
model_app = typer.Typer(help="Get, build and inspect translation models.", no_args_is_help=True)
app.add_typer(model_app, name="model")
glossary_app = typer.Typer(help="Check glossary files and find their terms.", no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")


def command(group: typer.Typer, name: str | None = None):
    """Register a command whose ToolkitErrors become one stderr line and their exit code."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except ToolkitError as error:
                typer.echo(f"toolkit: error: {error}", err=True)
                raise typer.Exit(error.exit_code) from None

        group.command(name)(run)
        return function

    return decorate


def warn(message: str) -> None:
    typer.echo(f"toolkit: warning: {message}", err=True)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    pass


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="CTranslate2 model folder [default: $TOOLKIT_MODEL, else models/opus-mt-ar-en].",
        show_default=False,
    ),
]
BeamOption = Annotated[int, typer.Option("--beam", min=1, max=16, help="Beam size.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--glossary",
        help="Glossary TSV (repeatable). [default: every glossaries/*.tsv]",
        show_default=False,
        metavar="PATH",
    ),
]
NoGlossaryOption = Annotated[
    bool, typer.Option("--no-glossary", help="Translate without glossary.")
]
EnforceOption = Annotated[
    str,
    typer.Option(
        "--enforce",
        help="How glossary terms are enforced: combined (inject English into the source + "
        "4-best re-ranking + suppress known variants + post-edit), inject, placeholder, rerank, "
        "suppress, post-edit or none. Every choice verifies terms and flags misses.",
    ),
]


class OutputFormat(StrEnum):
    md = "md"
    txt = "txt"
    json = "json"


def progress_bar(description: str, quiet: bool):
    from toolkit.progress import progress_bar as bar

    return bar(description, quiet)


def load_glossary_option(paths: list[Path] | None, disabled: bool):
    from toolkit.glossary import default_glossary_files, load_glossary

    if disabled:
        return None
    files = paths or default_glossary_files()
    if not files:
        warn("no glossary found (glossaries/*.tsv): translating without one")
        return None
    return load_glossary(files)


def make_pipeline(model, beam, glossary, no_glossary, enforce):
    """Check everything that can be wrong in the set-up before loading the model."""
    from toolkit.errors import ConfigError
    from toolkit.glossary.enforce import STRATEGIES
    from toolkit.pipeline import Pipeline
    from toolkit.translate import DecodingOptions

    if enforce not in STRATEGIES:
        raise ConfigError(f"unknown --enforce {enforce!r}: use one of {', '.join(STRATEGIES)}")
    options = DecodingOptions(beam_size=beam)
    loaded = load_glossary_option(glossary, no_glossary)
    return Pipeline(load_engine(model), options, loaded, STRATEGIES[enforce])


def open_memory(path: Path):
    from toolkit.translate import TranslationMemory

    return TranslationMemory(path)


def load_engine(model: Path | None):
    from toolkit.model import resolve_model_dir
    from toolkit.translate import Engine

    engine = Engine(resolve_model_dir(model))
    if engine.info.synthetic:
        warn(
            f"model {engine.model_dir} is SYNTHETIC (random weights, shape {engine.info.shape}): "
            "its translations are meaningless; outputs are marked synthetic: true"
        )
    return engine


@command(app, "translate")
def translate_command(
    file: Annotated[
        str, typer.Argument(help="Arabic article file, or - for stdin.", metavar="FILE|-")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (atomically) instead of stdout."),
    ] = None,
    to: Annotated[
        OutputFormat | None,
        typer.Option(
            "--to",
            help="md (front matter + Markdown), txt (plain English) or json (sentence pairs with "
            "scores and flags). [default: from the -o suffix, else txt]",
            show_default=False,
        ),
    ] = None,
    model: ModelOption = None,
    glossary: GlossaryOption = None,
    no_glossary: NoGlossaryOption = False,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    tm: Annotated[
        Path | None,
        typer.Option("--tm", help="Translation memory (SQLite) to reuse and fill [default: none]."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Translate every article in one file on demand, sentence by sentence."""
    from toolkit.fsutil import atomic_write_text
    from toolkit.ingest import ingest_file
    from toolkit.publish.article import article_json, article_markdown, article_text

    fmt = to or _format_from_suffix(output)
    ingested = ingest_file(file)
    pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce)
    engine = pipeline.engine
    if tm is not None:
        pipeline.memory = open_memory(tm)
    articles = ingested.articles
    with progress_bar("translating", quiet) as update:
        pipeline.run(articles, update)
    if fmt is OutputFormat.json:
        document = {
            "source": ingested.source,
            "encoding": ingested.encoding,
            "articles": [article_json(article, engine.info) for article in articles],
        }
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        render = article_markdown if fmt is OutputFormat.md else article_text
        text = "\n".join(render(article, engine.info) for article in articles)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)


@command(app, "ingest")
def ingest_command(
    file: Annotated[str, typer.Argument(help="Article file, or - for stdin.", metavar="FILE|-")],
    as_json: Annotated[bool, typer.Option("--json", help="The JSON of DESIGN.md.")] = False,
) -> None:
    """Show what ingest sees: articles, headline, paragraphs → sentences, dropped lines.

    Formats: .txt (first headline-like line is the headline), .md, .html, .json, .jsonl.
    Encodings: UTF-8 (BOM or not), UTF-16 with BOM, Windows-1256. Page furniture rules
    (widgets, bylines, photo credits, abbreviations) live in toolkit/data/debris.tsv.
    """
    from toolkit.ingest import ingest_file
    from toolkit.publish.article import ingest_json, ingest_text

    result = ingest_file(file)
    if as_json:
        typer.echo(json.dumps(ingest_json(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(ingest_text(result))


WaitOption = Annotated[
    bool,
    typer.Option("--wait", help="Wait for another run on the same outputs instead of exiting 2."),
]


def memory_option(default: str) -> object:
    return typer.Option(
        "--tm", help=f"Translation memory (SQLite) [default: {default}].", show_default=False
    )


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
    tm: Annotated[Path | None, memory_option("outputs/tm.sqlite")] = None,
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
        pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce)
        report = translate_folder(
            "batch", pipeline, tm or Path("outputs/tm.sqlite"), input_dir, output, quiet
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
    tm: Annotated[Path | None, memory_option("OUTPUTS/tm.sqlite")] = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
) -> None:
    """The main job: what is new in the inbox → OUTPUTS/<date>/ with digest, feed and manifest.

    Incremental: files already published for this date with the same model, glossary and
    settings are skipped, files published on an earlier date are not published again, and
    sentences in the translation memory are not decoded again. Safe to kill and rerun; one
    run at a time per OUTPUTS (a second exits 2, or waits with --wait).
    """
    from toolkit.errors import ConfigError
    from toolkit.publish import publish_digest
    from toolkit.runner import finish, published_before, run_lock

    try:
        day = dt.date.fromisoformat(date).isoformat() if date else dt.date.today().isoformat()
    except ValueError:
        raise ConfigError(f"--date {date!r} is not a date: use YYYY-MM-DD") from None
    started = time.monotonic()
    folder = outputs / day
    with run_lock(outputs, wait):
        pipeline = make_pipeline(model, beam, glossary, no_glossary, enforce)
        report = translate_folder(
            "nightly",
            pipeline,
            tm or outputs / "tm.sqlite",
            inbox,
            folder,
            quiet,
            published_earlier=published_before(outputs, day),
        )
        publishing = time.monotonic()
        publish_digest(folder, day)
        report.date, report.digest = day, str(folder / "digest.html")
        report.timings["publish_s"] = round(time.monotonic() - publishing, 3)
        finish(report, folder, started)
    close_run(report, f"nightly {day}")


def translate_folder(
    command, pipeline, tm: Path, inputs: Path, out_dir: Path, quiet: bool, **options
):
    """What batch and nightly share: the translation memory, progress or log lines, the run."""
    from toolkit.runner import plain_log, run_folder

    pipeline.memory = open_memory(tm)
    with progress_bar("translating", quiet) as update:
        return run_folder(
            command, pipeline, inputs, out_dir, progress=update, log=plain_log(quiet), **options
        )


def close_run(report, label: str) -> None:
    for record in report.files:
        if record.status == "failed":
            typer.echo(f"toolkit: error: {record.reason}", err=True)
    typer.echo(f"{label}: {report.summary()}")
    if report.count("failed"):
        raise typer.Exit(1)


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


@command(app, "eval")
def eval_command(
    refs: Annotated[
        Path,
        typer.Argument(help="TSV with columns id, arabic, english, terms (comma-separated names)."),
    ],
    model: ModelOption = None,
    glossary: GlossaryOption = None,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    compare: Annotated[
        bool,
        typer.Option("--compare-strategies", help="Score every --enforce strategy, not just one."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Scores and per-segment rows as JSON.")
    ] = False,
) -> None:
    """BLEU and chrF (sacrebleu) and glossary term accuracy against references.

    Every row is translated with the full pipeline, with the glossary (--enforce strategy,
    or all of them with --compare-strategies) and without it, so the glossary's effect on
    term accuracy and on fluency shows side by side. With a synthetic model the scores are
    meaningless and the output says so. The repo ships a 45-row development set of its own:
    toolkit/data/ar-en-sample.tsv (`make eval`).
    """
    from dataclasses import asdict

    from toolkit.evaluate import evaluate, read_references
    from toolkit.glossary.enforce import STRATEGIES
    from toolkit.pipeline import Pipeline

    references = read_references(refs)
    base = make_pipeline(model, beam, glossary, False, enforce)
    configs = []
    if base.glossary is not None:
        names = [name for name in STRATEGIES if name != "none"] if compare else [enforce]
        configs = [(f"glossary: {name}", base.glossary, STRATEGIES[name]) for name in names]
    configs.append(("no glossary", None, STRATEGIES["none"]))
    results = [
        evaluate(references, Pipeline(base.engine, base.options, glossary_, strategy), name)
        for name, glossary_, strategy in configs
    ]
    synthetic = base.engine.info.synthetic
    if as_json:
        document = {
            "refs": str(refs),
            "rows": len(references),
            "model": {
                "name": base.engine.info.name,
                "sha256": base.engine.info.model_sha256,
                "synthetic": synthetic,
            },
            "meaningful": not synthetic,
            "results": [asdict(result) for result in results],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{refs}: {len(references)} rows, model {base.engine.info.name}")
    typer.echo(f"{'configuration':<24}{'BLEU':>8}{'chrF':>8}{'terms %':>9}")
    for result in results:
        scores = result.scores
        typer.echo(
            f"{result.config:<24}{scores['BLEU']:>8.2f}{scores['chrF']:>8.2f}{scores['term_accuracy']:>9.1f}"
        )
    if synthetic:
        typer.echo("(synthetic model: these scores are meaningless; they only show the plumbing)")


@command(app, "bench")
def bench_command(
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="CTranslate2 model [default: a synthetic opus-mt-ar-en-shaped one, "
            "built if missing in models/bench-opus-mt-ar-en].",
            show_default=False,
        ),
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="Its Hugging Face checkpoint, for the transformers leg.",
            show_default=False,
        ),
    ] = None,
    sentences: Annotated[
        int, typer.Option("--sentences", min=1, help="How many Arabic sentences.")
    ] = 24,
    beam: BeamOption = 4,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine, settings, engines, ratios as JSON.")
    ] = False,
) -> None:
    """CTranslate2 int8 vs CTranslate2 float32 vs transformers float32 on the same model.

    Same sentences (inbox/, ../shared/articles when present, the dev set), same batches
    (length-sorted, ≤512 source tokens), same beam and threads, and the same output length
    per segment in every engine: L = 1.3 × source tokens + 2, rounded up to a multiple of 8,
    is forced as both the minimum and maximum decoding length (random weights would make
    lengths arbitrary); batches hold segments of one L.
    Each engine runs in its own process; reported: load time, target tokens/s, sentences/s,
    peak RSS, and ratios to transformers.
    """
    from toolkit.bench import bench_table, run_bench

    if model is None:
        model, checkpoint = (
            Path("models/bench-opus-mt-ar-en"),
            checkpoint or Path("models/bench-opus-mt-ar-en-checkpoint"),
        )
        if not (model / "model.bin").is_file() or not (checkpoint / "config.json").is_file():
            from toolkit.model.synth import synthesize

            typer.echo("bench: building the synthetic opus-mt-ar-en-shaped model", err=True)
            synthesize("opus-mt-ar-en", model, checkpoint=checkpoint)
    report = run_bench(
        model, checkpoint, sentences, beam, log=lambda line: typer.echo(line, err=True)
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    m = report.machine
    typer.echo(
        f"{dt.date.today()} · {m['cores']} cores · {m['cpu']} · ctranslate2 {m['ctranslate2']}, "
        f"torch {m['torch']}, transformers {m['transformers']}"
    )
    s = report.settings
    typer.echo(
        f"{s['sentences']} sentences in {s['batches']} batches, beam {s['beam']}, "
        f"{s['threads']} threads, forced length {s['forced_length']}"
        + (" (synthetic model)" if s["synthetic"] else "")
    )
    typer.echo(bench_table(report))


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
        return
    for row in matches:
        typer.echo(f"{row['article']}\t{row['surface']}\t→ {row['english']} ({row['kind']})")
    typer.echo(f"{len(matches)} match(es)", err=True)


def _format_from_suffix(output: Path | None) -> OutputFormat:
    suffix = output.suffix.lstrip(".") if output else ""
    return OutputFormat(suffix) if suffix in OutputFormat.__members__ else OutputFormat.txt


class Shape(StrEnum):
    tiny = "tiny"
    opus_mt_ar_en = "opus-mt-ar-en"


QuantizationOption = Annotated[
    str,
    typer.Option("--quantization", help="CTranslate2 weight type: int8, int16, float16, float32…"),
]


def _report_model(info, directory: Path) -> None:
    kind = "SYNTHETIC" if info.synthetic else "model"
    digest = info.model_sha256[:12]
    typer.echo(f"{kind} {info.source} → {directory} ({info.quantization}, model.bin {digest})")


@command(model_app, "fetch")
def model_fetch(
    repo: Annotated[
        str, typer.Option("--repo", help="Hugging Face hub repository.")
    ] = "Helsinki-NLP/opus-mt-ar-en",
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to create.")] = Path(
        "models/opus-mt-ar-en"
    ),
    revision: Annotated[
        str | None, typer.Option("--revision", help="Branch, tag or commit.")
    ] = None,
    quantization: QuantizationOption = "int8",
) -> None:
    """Download a Marian model from the hub and convert it (the only networked command)."""
    from toolkit.model.fetch import fetch_model

    info = fetch_model(repo, output, revision=revision, quantization=quantization)
    _report_model(info, output)


@command(model_app, "convert")
def model_convert(
    checkpoint: Annotated[
        Path, typer.Argument(help="Local Marian checkpoint (Hugging Face layout).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to create.")],
    quantization: QuantizationOption = "int8",
) -> None:
    """Convert a local Marian checkpoint to CTranslate2, with a toolkit-model.json manifest."""
    from toolkit.model.convert import convert_checkpoint

    info = convert_checkpoint(checkpoint, output, quantization=quantization)
    _report_model(info, output)


@command(model_app, "synth")
def model_synth(
    shape: Annotated[
        Shape,
        typer.Option(
            "--shape",
            help="tiny: seconds to build, for tests. opus-mt-ar-en: the real model's sizes "
            "(6+6 layers, d_model 512, 8 heads, FFN 2048, 62,834 shared vocabulary), "
            "for benchmarks.",
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to create.")],
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="Text/TSV files to train the SentencePiece models on; each field goes to the "
            "Arabic or English side by script. [default: the toolkit's own sample]",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the weights.")] = 0,
    quantization: QuantizationOption = "int8",
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint", help="Also keep the Hugging Face checkpoint here (for bench)."
        ),
    ] = None,
) -> None:
    """Build a random-weight Marian model and convert it like a real one (output meaningless)."""
    from toolkit.model.synth import synthesize

    info = synthesize(
        shape.value,
        output,
        corpus=corpus,
        seed=seed,
        quantization=quantization,
        checkpoint=checkpoint,
    )
    _report_model(info, output)


@command(model_app, "info")
def model_info(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Model folder [default: $TOOLKIT_MODEL, else models/opus-mt-ar-en].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show what a model folder holds: manifest, files and sizes, synthetic or not."""
    from toolkit.model import load_model_info, resolve_model_dir

    directory = resolve_model_dir(directory)
    info = load_model_info(directory)
    files = {p.name: p.stat().st_size for p in sorted(directory.iterdir()) if p.is_file()}
    if as_json:
        typer.echo(
            json.dumps(
                {"path": str(directory), "manifest": info.to_json(), "files": files}, indent=2
            )
        )
        return
    typer.echo(f"path:          {directory}")
    for key, value in info.to_json().items():
        typer.echo(f"{key + ':':<15}{value}")
    for name, size in files.items():
        typer.echo(f"  {name:<24}{size / 1e6:10.1f} MB")
    if info.synthetic:
        warn("SYNTHETIC model: random weights, translations are meaningless")


def main() -> None:
    app()
