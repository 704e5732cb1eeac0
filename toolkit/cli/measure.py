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
