"""Where a model lives, what its manifest says, and the one-line error when it is missing."""

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.settings import setting

MODELS_DIR = Path("models")
# The default model: the one place it is chosen (docs/choosing-a-model.md says why). The
# Makefile mirrors it as DEFAULT_REPO; tests/test_model.py checks that they agree.
DEFAULT_REPO = "Helsinki-NLP/opus-mt-tc-big-ar-en"


def model_folder(repo: str) -> Path:
    """Where `make model`/`model fetch` install a hub repo: models/<its name>."""
    return MODELS_DIR / repo.rstrip("/").rsplit("/", 1)[-1]


DEFAULT_MODEL_DIR = model_folder(DEFAULT_REPO)
MANIFEST_NAME = "toolkit-model.json"
REQUIRED_FILES = ("model.bin", "config.json", MANIFEST_NAME)
MARIAN_SPM = ("source.spm", "target.spm")  # Transformers-converted Marian (opus-mt)
SHARED_SPM = "sentencepiece.model"  # Argos Translate packages: one model for both sides
HOW_TO_GET_ONE = (
    "run `make model` (needs the hub) or `make demo` (offline synthetic model), or point at a "
    "model folder: MODEL=DIR with make, --model DIR with toolkit"
)


@dataclass
class ModelInfo:
    """The manifest written beside every converted model (toolkit-model.json)."""

    name: str
    source: str  # hub repo id, local checkpoint path, synthetic:…, or "argos"
    revision: str | None
    quantization: str
    model_sha256: str
    created: str
    synthetic: bool
    shape: str | None = None
    toolkit_version: str | None = None
    package: str | None = None  # the Argos Translate package it was imported from
    package_version: str | None = None

    @classmethod
    def describe(cls, model_dir: Path, **fields) -> "ModelInfo":
        """The manifest of a finished model folder: model.bin's sha256, now, this toolkit."""
        from toolkit import __version__
        from toolkit.fsutil import sha256_file

        return cls(
            model_sha256=sha256_file(Path(model_dir) / "model.bin"),
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            toolkit_version=__version__,
            **fields,
        )

    def to_json(self) -> dict:
        return asdict(self)

    def write(self, model_dir: Path) -> None:
        from toolkit.fsutil import atomic_write_text

        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(Path(model_dir) / MANIFEST_NAME, text)


def resolve_model_dir(option: Path | None) -> Path:
    """--model, else $TOOLKIT_MODEL, else the default model's folder."""
    if option is not None:
        return Path(option)
    env = setting("TOOLKIT_MODEL")
    return Path(env) if env else DEFAULT_MODEL_DIR


def load_model_info(model_dir: Path) -> ModelInfo:
    """Check that `model_dir` holds a usable converted model and return its manifest."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ConfigError(f"no model at {model_dir}: {HOW_TO_GET_ONE}")
    missing = [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]
    if spm_files(model_dir) is None:
        missing.append(f"{' and '.join(MARIAN_SPM)} or {SHARED_SPM}")
    if missing:
        raise ConfigError(
            f"model at {model_dir} is incomplete (missing {', '.join(missing)}): {HOW_TO_GET_ONE}"
        )
    try:
        data = json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return ModelInfo(**data)
    except (ValueError, TypeError) as error:
        raise ConfigError(
            f"{model_dir / MANIFEST_NAME}: unreadable manifest ({error}): {HOW_TO_GET_ONE}"
        ) from error


def spm_files(model_dir: Path) -> tuple[Path, Path] | None:
    """(source, target) SentencePiece models: source.spm/target.spm, or one shared model."""
    marian = tuple(Path(model_dir) / name for name in MARIAN_SPM)
    if all(path.is_file() for path in marian):
        return marian
    shared = Path(model_dir) / SHARED_SPM
    return (shared, shared) if shared.is_file() else None


def target_vocabulary(model_dir: Path) -> list[str]:
    """The converted model's output vocabulary in id order ([] if it has no JSON vocabulary)."""
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        path = Path(model_dir) / name
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return []
