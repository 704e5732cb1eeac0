"""Random-weight Marian models for offline tests and benchmarks.

`synthesize` trains source/target SentencePiece models on a small corpus, builds a MarianMT
checkpoint of the requested shape with random weights, and hands it to `convert_checkpoint`,
the code path real models take. Its translations are meaningless; its cost is the real one.
With `argos=True` it trains one SentencePiece model for both sides and writes the converted
model as an Argos Translate package instead (for `toolkit model import`).
"""

import io
import itertools
import json
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.fsutil import replace_dir
from toolkit.model.argos import write_package
from toolkit.model.convert import convert_checkpoint
from toolkit.model.store import ModelInfo
from toolkit.text.arabic import BLOCK_CHARACTER

MARIAN_SPECIAL = ("</s>", "<unk>")
PAD = "<pad>"


@dataclass(frozen=True)
class MarianShape:
    layers: int  # encoder and decoder alike
    d_model: int
    heads: int
    ffn: int
    pieces_per_side: int  # SentencePiece vocabulary asked for (a small corpus may give fewer)
    vocab_size: int | None = None  # pad the shared vocabulary to this size (with <pad>)
    activation: str = "swish"
    positions: int = 512  # max_position_embeddings
    eos_id: int = 0  # where </s> (then <unk>) sits in vocab.json; <pad> is always last

    @property
    def parameters(self) -> int | None:
        """MarianMTModel's parameter count (shared embeddings, final_logits_bias), from the
        dimensions alone; None when the vocabulary size depends on the corpus."""
        if self.vocab_size is None:
            return None
        d, f, v = self.d_model, self.ffn, self.vocab_size
        attention, norm, ffn = 4 * (d * d + d), 2 * d, 2 * d * f + f + d
        encoder = attention + ffn + 2 * norm
        decoder = 2 * attention + ffn + 3 * norm
        return v * d + self.layers * (encoder + decoder) + v


SHAPES = {
    "tiny": MarianShape(layers=2, d_model=64, heads=4, ffn=128, pieces_per_side=400),
    # Helsinki-NLP/opus-mt-ar-en's config.json: 6+6 layers, d_model 512, 8 heads, FFN 2048,
    # swish, 512 positions, one vocabulary of 62,834 entries shared by encoder, decoder and
    # output projection, </s> = 0, <pad> = 62,833 (docs/choosing-a-model.md).
    "opus-mt-ar-en": MarianShape(
        layers=6, d_model=512, heads=8, ffn=2048, pieces_per_side=8000, vocab_size=62834
    ),
    # Helsinki-NLP/opus-mt-tc-big-ar-en (transformer-big): 6+6 layers, d_model 1024, 16 heads,
    # FFN 4096, relu, 1,024 positions, one shared vocabulary of 61,109 entries with </s> = 25,894
    # and <pad> = 61,108 (its config.json and generation_config.json): ~239 M parameters.
    "opus-mt-tc-big-ar-en": MarianShape(
        layers=6,
        d_model=1024,
        heads=16,
        ffn=4096,
        pieces_per_side=8000,
        vocab_size=61109,
        activation="relu",
        positions=1024,
        eos_id=25894,
    ),
}


def default_corpus() -> list[Path]:
    return [Path(str(resources.files("toolkit") / "data" / "ar-en-sample.tsv"))]


def is_arabic(text: str) -> bool:
    arabic = len(BLOCK_CHARACTER.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return arabic > latin


def corpus_cells(files: Iterable[Path]) -> Iterator[str]:
    """Every non-empty tab-separated field of every line, NFC-normalized."""
    for path in files:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read corpus file ({error})") from error
        for line in text.splitlines():
            for cell in line.split("\t"):
                cell = unicodedata.normalize("NFC", cell.strip())
                if cell:
                    yield cell


def split_corpus(files: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Every tab-separated field of every line goes to the Arabic or the English side by script."""
    arabic, english = [], []
    for cell in corpus_cells(files):
        (arabic if is_arabic(cell) else english).append(cell)
    if not arabic or not english:
        raise ConfigError("synth corpus needs both Arabic and English text")
    return arabic, english


def train_sentencepiece(lines: list[str], pieces: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=pieces,
        hard_vocab_limit=False,  # a small corpus yields what it can
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,  # deterministic
        minloglevel=2,
    )
    return model.getvalue()


def pseudo_word(number: int) -> str:
    """A distinct pronounceable SentencePiece word for each number: ▁ka, ▁keba, …"""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = []
    while True:
        number, rest = divmod(number, len(consonants) * len(vowels))
        syllables.append(consonants[rest // len(vowels)] + vowels[rest % len(vowels)])
        if number == 0:
            return "▁" + "".join(syllables)
        number -= 1


def shared_vocabulary(spm_models: list[bytes], size: int | None, eos_id: int = 0) -> list[str]:
    """Marian's vocab.json order: the pieces of both sides with </s>, <unk> at `eos_id`
    (0 for opus-mt-ar-en, mid-vocabulary for the tc-big models), then <pad> last."""
    import sentencepiece as spm

    tokens: list[str] = []
    seen = set(MARIAN_SPECIAL)
    for proto in spm_models:
        processor = spm.SentencePieceProcessor(model_proto=proto)
        for index in range(processor.get_piece_size()):
            piece = processor.id_to_piece(index)
            if piece not in seen and piece not in ("<s>", "<unk>", "</s>"):
                seen.add(piece)
                tokens.append(piece)
    if size is not None:
        if len(tokens) + len(MARIAN_SPECIAL) + 1 > size:
            raise ConfigError(f"corpus gives {len(tokens)} pieces, more than the shape's {size}")
        # padding pieces are made-up words, so that random output reads as words, not one blob
        filler = (piece for n in itertools.count() if (piece := pseudo_word(n)) not in seen)
        tokens.extend(itertools.islice(filler, size - 1 - len(MARIAN_SPECIAL) - len(tokens)))
    at = min(eos_id, len(tokens))
    return [*tokens[:at], *MARIAN_SPECIAL, *tokens[at:], PAD]


def build_checkpoint(
    shape: MarianShape, corpus: list[Path], seed: int, directory: Path, *, shared_spm: bool = False
) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    arabic, english = split_corpus(corpus)
    if shared_spm:
        source_spm = target_spm = train_sentencepiece(arabic + english, 2 * shape.pieces_per_side)
    else:
        source_spm = train_sentencepiece(arabic, shape.pieces_per_side)
        target_spm = train_sentencepiece(english, shape.pieces_per_side)
    (directory / "source.spm").write_bytes(source_spm)
    (directory / "target.spm").write_bytes(target_spm)
    tokens = shared_vocabulary([source_spm, target_spm], shape.vocab_size, shape.eos_id)
    vocab = {token: index for index, token in enumerate(tokens)}
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    pad_id = vocab[PAD]
    config = MarianConfig(
        vocab_size=len(tokens),
        decoder_vocab_size=len(tokens),
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.positions,
        activation_function=shape.activation,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=vocab["</s>"],
        forced_eos_token_id=vocab["</s>"],
        bos_token_id=vocab["</s>"],
    )
    torch.manual_seed(seed)
    MarianMTModel(config).save_pretrained(directory)
    tokenizer = MarianTokenizer(
        source_spm=str(directory / "source.spm"),
        target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"),
        source_lang="ar",
        target_lang="en",
    )
    tokenizer.save_pretrained(directory)


def synthesize(
    shape_name: str,
    output: Path,
    *,
    corpus: list[Path] | None = None,
    seed: int = 0,
    quantization: str = "int8",
    checkpoint: Path | None = None,
    argos: bool = False,
) -> ModelInfo:
    """Build and convert; `checkpoint`, if given, keeps the Hugging Face checkpoint there;
    `argos` writes an Argos package (a folder, or a zip if `output` ends in .argosmodel)."""
    if shape_name not in SHAPES:
        raise ConfigError(f"unknown shape {shape_name!r}: use one of {', '.join(SHAPES)}")
    with tempfile.TemporaryDirectory(prefix="toolkit-synth-") as scratch:
        folder = Path(scratch) / "checkpoint"
        folder.mkdir()
        build_checkpoint(
            SHAPES[shape_name], corpus or default_corpus(), seed, folder, shared_spm=argos
        )
        info = convert_checkpoint(
            folder,
            Path(scratch) / "ct2" if argos else output,
            quantization=quantization,
            source=f"synthetic:{shape_name}:seed={seed}",
            synthetic=True,
            shape=shape_name,
        )
        if argos:
            write_argos_package(Path(scratch) / "ct2", output, shape_name)
        if checkpoint is not None:
            staging = Path(checkpoint).with_name(f".{Path(checkpoint).name}.tmp")
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(folder, staging)
            replace_dir(staging, Path(checkpoint))
        return info


def write_argos_package(model_dir: Path, output: Path, shape_name: str) -> None:
    """Package a converted synthetic model as Argos Translate would ship it.

    Argos feeds the model the SentencePiece pieces alone, while a Marian model was trained
    with `</s>` after the source: as CTranslate2's own Marian converter does, config.json
    says `add_source_eos`, and CTranslate2 appends it.
    """
    config_path = model_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config_path.write_text(json.dumps({**config, "add_source_eos": True}, indent=2) + "\n")
    metadata = {
        "package_version": "0.0",
        "argos_version": "1.9",
        "from_code": "ar",
        "from_name": "Arabic",
        "to_code": "en",
        "to_name": "English",
        "synthetic": True,  # random weights: `model import` marks the model synthetic
        "shape": shape_name,
    }
    write_package(model_dir, model_dir / "source.spm", output, metadata)
