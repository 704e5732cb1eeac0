"""Download a Marian model from the Hugging Face hub and convert it: the only networked code."""

import os
import tempfile
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.model.convert import convert_checkpoint
from toolkit.model.store import ModelInfo

DEFAULT_REPO = "Helsinki-NLP/opus-mt-ar-en"
CHECKPOINT_FILES = [
    "config.json",
    "generation_config.json",
    "pytorch_model.bin",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
]


def fetch_model(
    repo: str = DEFAULT_REPO,
    output: Path = Path("models/opus-mt-ar-en"),
    *,
    revision: str | None = None,
    quantization: str = "int8",
) -> ModelInfo:
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "15")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "60")
    try:
        from huggingface_hub import HfApi, snapshot_download
    except ImportError as error:
        raise ConfigError("model fetch needs the conversion extra: run `make setup`") from error

    with tempfile.TemporaryDirectory(prefix="toolkit-fetch-") as download_dir:
        try:
            commit = HfApi().model_info(repo, revision=revision).sha
            checkpoint = snapshot_download(
                repo, revision=commit, local_dir=download_dir, allow_patterns=CHECKPOINT_FILES
            )
        except Exception as error:  # every hub/network failure becomes one line
            reason = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            raise ConfigError(
                f"cannot download {repo} from the Hugging Face hub ({type(error).__name__}: "
                f"{reason[:160]}); offline, copy a converted model and pass --model DIR, "
                "or run `make demo` for a synthetic one"
            ) from error
        return convert_checkpoint(
            Path(checkpoint), output, quantization=quantization, source=repo, revision=commit
        )
