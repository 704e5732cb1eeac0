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
    ModelOption,
    VmapOption,
    app,
    command,
    make_pipeline,
)


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
    vmap: VmapOption = False,
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
    base = make_pipeline(model, beam, glossary, False, enforce, vmap)
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
            "built if missing in models/bench-opus-mt-ar-en, with its vmap.txt].",
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
        str,
        typer.Option("--sizes", help="With --stories: archive sizes, comma-separated."),
    ] = "2000,20000,100000",
    day_articles: Annotated[
        int, typer.Option("--day-articles", min=1, help="With --stories: articles a day.")
    ] = 500,
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
        bench_stories(sizes, day_articles, as_json)
        return
    from toolkit.bench import bench_text, run_bench, select_engines
    from toolkit.translate.options import Layout

    chosen = select_engines(engines)
    sweep = tuple(Layout.parse(text) for text in layouts.split(",")) if layouts else ()
    if model is None:
        model, checkpoint = default_bench_model(checkpoint)
    report = run_bench(
        model,
        checkpoint,
        sentences,
        beam,
        engines=chosen,
        layouts=sweep,
        repeat=repeat,
        log=lambda line: typer.echo(line, err=True),
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        typer.echo(bench_text(report, dt.date.today().isoformat()))


def bench_stories(sizes: str, day_articles: int, as_json: bool) -> None:
    from toolkit.bench.stories import run_stories_bench, stories_bench_text
    from toolkit.errors import ConfigError

    try:
        chosen = [int(size) for size in sizes.split(",")]
    except ValueError:
        raise ConfigError(f"--sizes {sizes!r}: give article counts, e.g. 2000,20000") from None
    if not chosen or min(chosen) < 1:
        raise ConfigError(f"--sizes {sizes!r}: give positive article counts")
    report = run_stories_bench(chosen, day_articles, log=lambda line: typer.echo(line, err=True))
    typer.echo(json.dumps(report, indent=2) if as_json else stories_bench_text(report))


def default_bench_model(checkpoint: Path | None) -> tuple[Path, Path]:
    """models/bench-opus-mt-ar-en with its checkpoint and vmap.txt, built when missing."""
    from toolkit.model.vmap import build_vmap, vmap_path

    model = Path("models/bench-opus-mt-ar-en")
    checkpoint = checkpoint or Path("models/bench-opus-mt-ar-en-checkpoint")
    if not (model / "model.bin").is_file() or not (checkpoint / "config.json").is_file():
        from toolkit.model.synth import synthesize

        typer.echo("bench: building the synthetic opus-mt-ar-en-shaped model", err=True)
        synthesize("opus-mt-ar-en", model, checkpoint=checkpoint)
    if not vmap_path(model).is_file():
        build_vmap(model)
    return model, checkpoint
