"""Models: `toolkit model fetch|convert|synth|import|info`."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.base import command, warn
from toolkit.model.store import DEFAULT_MODEL_DIR, DEFAULT_REPO, model_folder

model_app = typer.Typer(help="Get, build and inspect translation models.", no_args_is_help=True)


class Shape(StrEnum):
    tiny = "tiny"
    opus_mt_ar_en = "opus-mt-ar-en"
    opus_mt_tc_big_ar_en = "opus-mt-tc-big-ar-en"


class SynthFormat(StrEnum):
    ct2 = "ct2"
    argos = "argos"


QuantizationOption = Annotated[
    str,
    typer.Option("--quantization", help="CTranslate2 weight type: int8, int16, float16, float32…"),
]

ModelDirArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Model folder [default: $TOOLKIT_MODEL, else the default model's folder "
        f"{DEFAULT_MODEL_DIR}].",
        show_default=False,
    ),
]


def _report_model(info, directory: Path) -> None:
    kind = "SYNTHETIC" if info.synthetic else "model"
    digest = info.model_sha256[:12]
    typer.echo(f"{kind} {info.source} → {directory} ({info.quantization}, model.bin {digest})")


@command(model_app, "fetch")
def model_fetch(
    repo: Annotated[
        str, typer.Option("--repo", help="Hugging Face hub repository.")
    ] = DEFAULT_REPO,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Model folder to create [default: models/<repo name>].",
            show_default=False,
        ),
    ] = None,
    revision: Annotated[
        str | None, typer.Option("--revision", help="Branch, tag or commit.")
    ] = None,
    quantization: QuantizationOption = "int8",
) -> None:
    """Download a Marian model from the hub and convert it.

    Networked commands: model fetch (the hub), collect (the outlets; also nightly --sources)
    and send (the SMTP server); every other command works offline.
    """
    from toolkit.model.fetch import fetch_model

    output = output or model_folder(repo)
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
            "for benchmarks. opus-mt-tc-big-ar-en: transformer-big (6+6 layers, d_model "
            "1024, 16 heads, FFN 4096, 61,109 shared vocabulary, ~239 M parameters; about "
            "1 GB of RAM and minutes to build).",
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
    package_format: Annotated[
        SynthFormat,
        typer.Option(
            "--format",
            help="ct2: a toolkit model folder. argos: an Argos Translate ar→en package (one "
            "shared SentencePiece model) for `toolkit model import`: a folder, or a zip if -o "
            "ends in .argosmodel.",
        ),
    ] = SynthFormat.ct2,
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
        argos=package_format is SynthFormat.argos,
    )
    _report_model(info, output)


@command(model_app, "import")
def model_import(
    package: Annotated[
        Path,
        typer.Argument(
            help="Argos Translate ar→en package: a translate-ar_en-*.argosmodel file, or an "
            "installed package folder such as ~/.local/share/argos-translate/packages/ar_en."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to create.")],
) -> None:
    """Import an Argos Translate ar→en package as a toolkit model (exit 2 if it is unusable).

    Checks from_code ar and to_code en and that the model loads; copies the CTranslate2 model,
    sentencepiece.model and metadata.json (not stanza/) and writes toolkit-model.json with
    source argos, the package version and the model's sha256.
    """
    from toolkit.model.argos import import_package

    info = import_package(package, output)
    _report_model(info, output)


@command(model_app, "info")
def model_info(
    directory: ModelDirArgument = None,
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
    typer.echo(f"{'path:':<17}{directory}")
    for key, value in info.to_json().items():
        typer.echo(f"{key + ':':<17}{value}")
    for name, size in files.items():
        typer.echo(f"  {name:<24}{size / 1e6:10.1f} MB")
    if info.synthetic:
        warn("SYNTHETIC model: random weights, translations are meaningless")


@command(model_app, "vmap")
def model_vmap(
    directory: ModelDirArgument = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="More English text (repeatable): plain lines, or TSV whose Arabic-script "
            "fields are skipped. The more English news it holds, the less --vmap restricts.",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Build DIR/vmap.txt, the vocabulary map that `--vmap` restricts decoding to.

    Allowed: every target piece of the English side of the dev set
    (toolkit/data/ar-en-sample.tsv), the glossary's English names and any --corpus file,
    plus figures, punctuation and glossary placeholders. With --vmap (translate, batch,
    nightly, eval) each decoding step scores only these tokens instead of the full
    62,834-entry vocabulary. It can change translations: only `make eval` on the real model
    shows what it costs in quality.
    """
    from toolkit.model import resolve_model_dir
    from toolkit.model.vmap import build_vmap

    summary = build_vmap(resolve_model_dir(directory), corpus)
    share = summary.tokens / summary.vocabulary
    typer.echo(
        f"{summary.path}: {summary.tokens} of {summary.vocabulary} target tokens allowed "
        f"({share:.1%}), from {summary.lines} English lines; use it with --vmap"
    )
