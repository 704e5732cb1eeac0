"""Marian checkpoint (Hugging Face layout) → CTranslate2 model folder with a manifest.

`model fetch`, `model convert` and `model synth` all end here, so a synthetic model is
built by exactly the code that builds the real one.
"""

import datetime as dt
import tempfile
from pathlib import Path

from toolkit import __version__
from toolkit.errors import ConfigError
from toolkit.fsutil import replace_dir, sha256_file
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

    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        converter = TransformersConverter(str(checkpoint), copy_files=list(SPM_FILES))
        converter.convert(str(staging), quantization=quantization, force=True)
        info = ModelInfo(
            name=output.name,
            source=source or str(checkpoint),
            revision=revision,
            quantization=quantization,
            model_sha256=sha256_file(staging / "model.bin"),
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            synthetic=synthetic,
            shape=shape,
            toolkit_version=__version__,
        )
        info.write(staging)
        replace_dir(staging, output)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    return info
