"""Measuring: `toolkit eval` (quality) and `toolkit bench` (speed)."""

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import (
    BeamOption,
    EnforceOption,
    GlossaryOption,
    NoGlossaryOption,
    VmapOption,
    app,
    command,
)
from toolkit.cli.model import Shape
from toolkit.errors import ConfigError


@command(app, "eval")
def eval_command(
    refs: Annotated[
        Path,
        typer.Argument(help="TSV with columns id, arabic, english, terms (comma-separated names)."),
    ],
    models: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            help="CTranslate2 model folder; repeat it to compare models, one row each "
            "[default: $TOOLKIT_MODEL, else the default model's folder].",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    glossary: GlossaryOption = None,
    no_glossary: NoGlossaryOption = False,
    enforce: EnforceOption = "combined",
    beam: BeamOption = 4,
    vmap: VmapOption = False,
    compare: Annotated[
        bool,
        typer.Option("--compare-strategies", help="Score every --enforce strategy, not just one."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The table, every configuration and segment as JSON.")
    ] = False,
) -> None:
    """Models side by side against references: one row per --model.

    Columns: BLEU and chrF (sacrebleu), glossary term accuracy, flag rate (sentences flagged
    untranslated/copy-through, repetition or truncated; each also on its own), target tokens
    per second and peak RSS. Each model runs in its own process, one after the other. Every
    row is translated with the full pipeline, with the glossary (--enforce strategy, or all of
    them with --compare-strategies) and without it, so the glossary's effect on term accuracy
    and fluency shows too. A synthetic model's scores are meaningless and the output says so.
    The repo ships a 45-row development set of its own: toolkit/data/ar-en-sample.tsv
    (`make eval` compares every model under models/ on it).
    """
    from toolkit.evaluate import read_references
    from toolkit.evaluate.compare import EvalSpec, compare_models
    from toolkit.glossary.enforce import STRATEGIES
    from toolkit.model import load_model_info, resolve_model_dir

    references = read_references(refs)
    if enforce not in STRATEGIES:
        raise ConfigError(f"unknown --enforce {enforce!r}: use one of {', '.join(STRATEGIES)}")
    folders = [resolve_model_dir(model) for model in models or [None]]
    for folder in folders:
        load_model_info(folder)  # a missing model is exit 2 before any work
    specs = [
        EvalSpec(
            str(refs),
            str(folder),
            [str(path) for path in glossary] if glossary is not None else None,
            no_glossary,
            enforce,
            beam,
            vmap,
            compare,
        )
        for folder in folders
    ]
    rows = compare_models(specs)
    if as_json:
        document = {
            "refs": str(refs),
            "rows": len(references),
            "meaningful": all(row.meaningful for row in rows),
            "table": [table_row(row) for row in rows],
            "models": [row.to_json() for row in rows],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{refs}: {len(references)} rows, {len(rows)} model(s), beam {beam}")
    typer.echo(models_table(rows))
    if len(rows[0].results) > 1:
        typer.echo("")
        typer.echo(configs_table(rows))
    if not all(row.meaningful for row in rows):
        typer.echo(
            "(synthetic models are marked *: their scores are meaningless; they only "
            "show the plumbing)"
        )


ARCHIVE_SIZES = "2000,20000,100000"  # --stories, --search: articles in the archive
READER_SIZES = "1000,5000"  # --readers: readers.toml entries
EVAL_COLUMNS = (
    ("BLEU", "BLEU", "{:.2f}"),
    ("chrF", "chrF", "{:.2f}"),
    ("terms %", "term_accuracy", "{:.1f}"),
    ("flagged %", "flag_rate", "{:.1f}"),
    ("copy %", "copy_through", "{:.1f}"),
    ("repeat %", "repetition", "{:.1f}"),
    ("trunc %", "truncation", "{:.1f}"),
)


def table_row(row) -> dict:
    """A model's line of the table: its first configuration's scores, speed and memory."""
    first = row.results[0]
    return {
        "model": row.model["path"],
        "name": Path(row.model["path"]).name,  # the folder: a copied model keeps its manifest
        "synthetic": row.model["synthetic"],
        "config": first.config,
        **{key: first.scores[key] for _label, key, _f in EVAL_COLUMNS},
        "tokens_per_s": row.tokens_per_s,
        "peak_rss_mb": row.peak_rss_mb,
    }


def models_table(rows) -> str:
    header = ["model", "config", *(label for label, _k, _f in EVAL_COLUMNS)]
    lines = [
        "| " + " | ".join([*header, "tok/s", "peak RSS MB"]) + " |",
        "|---|---|" + "---:|" * (len(EVAL_COLUMNS) + 2),
    ]
    for row in rows:
        line = table_row(row)
        name = line["name"] + (" *" if line["synthetic"] else "")
        cells = [fmt.format(line[key]) for _label, key, fmt in EVAL_COLUMNS]
        cells += [f"{line['tokens_per_s']:.0f}", f"{line['peak_rss_mb']:.0f}"]
        lines.append("| " + " | ".join([name, line["config"], *cells]) + " |")
    return "\n".join(lines)


def configs_table(rows) -> str:
    lines = [
        "| model | configuration | BLEU | chrF | terms % | flagged % |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = Path(row.model["path"]).name
        for result in row.results:
            s = result.scores
            lines.append(
                f"| {name} | {result.config} | {s['BLEU']:.2f} | {s['chrF']:.2f} "
                f"| {s['term_accuracy']:.1f} | {s['flag_rate']:.1f} |"
            )
    return "\n".join(lines)


@command(app, "bench")
def bench_command(
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="CTranslate2 model [default: a synthetic one of --shape, built if missing "
            "in models/bench-<shape>, with its vmap.txt].",
            show_default=False,
        ),
    ] = None,
    shape: Annotated[
        Shape,
        typer.Option(
            "--shape",
            help="The synthetic model's shape when no --model is given: opus-mt-ar-en or "
            "opus-mt-tc-big-ar-en (transformer-big, ~239 M parameters: minutes to build, "
            "and its transformers leg is slow).",
        ),
    ] = Shape.opus_mt_ar_en,
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
    engines: Annotated[
        str | None,
        typer.Option(
            "--engines",
            help="Comma-separated legs to run [default: all: toolkit-int8, toolkit-int8-vmap, "
            "ct2-int8, ct2-float32, transformers-fp32].",
            show_default=False,
            metavar="ENGINE,…",
        ),
    ] = None,
    layouts: Annotated[
        str | None,
        typer.Option(
            "--layouts",
            help="Also run toolkit-int8 at each of these WORKERSxTHREADS[:BATCH_TOKENS] "
            "layouts, e.g. 2x1:512,2x1:1024,2x1:2048,2x1:4096,1x2:2048 (one row each).",
            show_default=False,
        ),
    ] = None,
    repeat: Annotated[
        int,
        typer.Option("--repeat", min=1, help="Run each leg this many times; keep the fastest run."),
    ] = 1,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Machine, settings, engines, sweeps, skipped, ratios."),
    ] = False,
    stories: Annotated[
        bool,
        typer.Option(
            "--stories",
            help="Instead: time adding one day of articles to synthetic archives of --sizes "
            "articles (story clustering); JSON: machine, settings, rows.",
        ),
    ] = False,
    sizes: Annotated[
        str | None,
        typer.Option(
            "--sizes",
            metavar="N,…",
            help="With --stories or --search: archive sizes [default: 2000,20000,100000]; "
            "with --readers: numbers of readers [default: 1000,5000].",
            show_default=False,
        ),
    ] = None,
    day_articles: Annotated[
        int, typer.Option("--day-articles", min=1, help="With --stories: articles a day.")
    ] = 500,
    search: Annotated[
        bool,
        typer.Option(
            "--search",
            help="Instead: `toolkit search` latency over synthetic archive databases of "
            "--sizes articles: median and p95 ms.",
        ),
    ] = False,
    readers: Annotated[
        bool,
        typer.Option(
            "--readers",
            help="Instead: `toolkit send --readers --dry-run` for --sizes readers of a "
            "synthetic day (alerts and every message built): seconds, CPU ms per reader.",
        ),
    ] = False,
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help="Instead: what people, places and quotes add to the brief, in ms per "
            "article, over inbox/ and ../shared/articles (the fastest of --repeat runs).",
        ),
    ] = False,
) -> None:
    """The toolkit's own engine path against raw CTranslate2 and transformers, same work.

    Same segments (from inbox/, ../shared/articles when present, the dev set, cut like the
    engine cuts them), each with its own output length forced in every leg (1.3 × source
    tokens + 2, rounded up to a multiple of 8; random weights would make lengths
    arbitrary), batched by the product's planner. Legs: toolkit-int8 (Engine + executor,
    as the nightly job runs, at $TOOLKIT_LAYOUT or the default layout), toolkit-int8-vmap
    (the same with the vocabulary map: speed only, it can change translations), ct2-int8
    and ct2-float32 (raw CTranslate2 on the same batches, the ceiling) and
    transformers-fp32 (at its fastest of 512, 1,024 and 2,048 source tokens per batch; all
    three are reported). Each leg runs in its own process: load time, target tokens/s,
    peak RSS, ratios to transformers.
    """
    if stories:
        bench_stories(archive_sizes(sizes or ARCHIVE_SIZES), day_articles, as_json)
        return
    if names:
        from toolkit.bench.names import names_bench_text, run_names_bench

        report = run_names_bench(max(repeat, 3))
        typer.echo(json.dumps(report, indent=2) if as_json else names_bench_text(report))
        return
    if search:
        from toolkit.archive.bench import measure_search, search_bench_text

        chosen_sizes = archive_sizes(sizes or ARCHIVE_SIZES)
        rows = measure_search(chosen_sizes, log=lambda line: typer.echo(line, err=True))
        typer.echo(json.dumps(rows, indent=2) if as_json else search_bench_text(rows))
        return
    if readers:
        from toolkit.deliver.bench import measure_readers, readers_bench_text

        chosen_sizes = archive_sizes(sizes or READER_SIZES)
        rows = measure_readers(chosen_sizes, log=lambda line: typer.echo(line, err=True))
        typer.echo(json.dumps(rows, indent=2) if as_json else readers_bench_text(rows))
        return
    from toolkit.bench import bench_text, run_bench, select_engines
    from toolkit.translate.options import Layout

    chosen = select_engines(engines)
    sweep = tuple(Layout.parse(text) for text in layouts.split(",")) if layouts else ()
    bench_shape = None
    if model is None:
        bench_shape = shape.value
        model, checkpoint = default_bench_model(bench_shape, checkpoint)
    report = run_bench(
        model,
        checkpoint,
        sentences,
        beam,
        engines=chosen,
        layouts=sweep,
        repeat=repeat,
        shape=bench_shape,
        log=lambda line: typer.echo(line, err=True),
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        typer.echo(bench_text(report, dt.date.today().isoformat()))


def archive_sizes(sizes: str) -> list[int]:
    from toolkit.errors import ConfigError

    try:
        chosen = [int(size) for size in sizes.split(",")]
    except ValueError:
        raise ConfigError(f"--sizes {sizes!r}: give counts, e.g. 2000,20000") from None
    if not chosen or min(chosen) < 1:
        raise ConfigError(f"--sizes {sizes!r}: give positive counts")
    return chosen


def bench_stories(sizes: list[int], day_articles: int, as_json: bool) -> None:
    from toolkit.bench.stories import run_stories_bench, stories_bench_text

    report = run_stories_bench(sizes, day_articles, log=lambda line: typer.echo(line, err=True))
    typer.echo(json.dumps(report, indent=2) if as_json else stories_bench_text(report))


def default_bench_model(shape: str, checkpoint: Path | None) -> tuple[Path, Path]:
    """models/bench-<shape> with its checkpoint and vmap.txt, built when missing."""
    from toolkit.model.store import MODELS_DIR
    from toolkit.model.vmap import build_vmap, vmap_path

    model = MODELS_DIR / f"bench-{shape}"
    checkpoint = checkpoint or MODELS_DIR / f"bench-{shape}-checkpoint"
    if not (model / "model.bin").is_file() or not (checkpoint / "config.json").is_file():
        from toolkit.model.synth import synthesize

        typer.echo(f"bench: building the synthetic {shape}-shaped model", err=True)
        synthesize(shape, model, checkpoint=checkpoint)
    if not vmap_path(model).is_file():
        build_vmap(model)
    return model, checkpoint
