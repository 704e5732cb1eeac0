"""Marian checkpoint (Hugging Face layout) → CTranslate2 model folder with a manifest.

`model fetch`, `model convert` and `model synth` all end here, so a synthetic model is
built by exactly the code that builds the real one.
"""

from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.fsutil import staged_dir
from toolkit.model.store import ModelInfo

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "bfloat16", "float32")
SPM_FILES = ("source.spm", "target.spm")


def convert_checkpoint(
    checkpoint: Path,
    output: Path,
    *,
    quantization: str = "int8",
    source: str | None = None,
    revision: str | None = None,
    synthetic: bool = False,
    shape: str | None = None,
) -> ModelInfo:
    """Convert `checkpoint` into `output` (replaced only once the new model is complete)."""
    checkpoint, output = Path(checkpoint), Path(output)
    if quantization not in QUANTIZATIONS:
        raise ConfigError(
            f"unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}"
        )
    missing = [name for name in ("config.json", *SPM_FILES) if not (checkpoint / name).is_file()]
    if missing:
        raise ConfigError(f"{checkpoint}: not a Marian checkpoint (missing {', '.join(missing)})")
    from ctranslate2.converters import TransformersConverter

    # int8 keeps the unquantized weights in the checkpoint's type: float16 for the tc-big
    # repos, which CTranslate2 then converts back on every CPU load (with a warning)
    weights = "int8_float32" if quantization == "int8" else quantization
    with staged_dir(output) as staging:
        converter = TransformersConverter(str(checkpoint), copy_files=list(SPM_FILES))
        converter.convert(str(staging), quantization=weights, force=True)
        info = ModelInfo.describe(
            staging,
            name=output.name,
            source=source or str(checkpoint),
            revision=revision,
            quantization=quantization,
            synthetic=synthetic,
            shape=shape,
        )
        info.write(staging)
    return info
