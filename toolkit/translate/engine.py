"""CTranslate2 decoding of Marian (opus-mt) models: tokenize, batch, decode, detokenize.

The model is loaded once per Engine. Known traps handled here:
- Transformers-converted Marian models need `</s>` at the end of the source tokens, or
  they repeat themselves until the decoding limit; other models (Argos Translate packages)
  get their special source tokens from CTranslate2, as their config.json says
  (`source_suffix`);
- the model has 512 positions: no segment fed to it is longer (long sentences are cut at
  clause boundaries by `segment.split_for_model` and the outputs joined);
- `max_decoding_length` grows with the input, and a hypothesis that reaches it is reported
  as truncated rather than passed off as complete.
"""

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.model.store import HOW_TO_GET_ONE, MARIAN_SPM, ModelInfo, load_model_info, spm_files
from toolkit.translate.segment import split_for_model

MODEL_POSITIONS = 512
EOS = "</s>"


@dataclass(frozen=True)
class DecodingOptions:
    beam_size: int = 4
    # Source tokens per segment, `</s>` included. 512 is the model's hard limit; shorter
    # segments leave room for the (usually longer) English side within 512 positions too.
    max_source_tokens: int = 256
    # max_decoding_length = ratio × source tokens + margin, capped at the model's positions
    decoding_ratio: float = 2.0
    decoding_margin: int = 10
    # Measured on 2 cores (opus-mt-ar-en shape, beam 4): 512 → 228 target tok/s, 373 MB RSS;
    # 2048 → 140 tok/s, 779 MB: big batches × beams × a 62,834-way softmax cost more than they save.
    max_batch_tokens: int = 512
    # n-best list per segment (the glossary re-ranks it); must not exceed beam_size
    num_hypotheses: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.beam_size <= 16:
            raise ConfigError(f"--beam must be between 1 and 16, not {self.beam_size}")
        if not 1 <= self.num_hypotheses <= self.beam_size:
            raise ConfigError(f"num_hypotheses must be within 1..beam size ({self.beam_size})")
        if not 8 <= self.max_source_tokens <= MODEL_POSITIONS:
            raise ConfigError(f"max_source_tokens must be within 8..{MODEL_POSITIONS}")

    def decoding_limit(self, source_tokens: int) -> int:
        wanted = int(self.decoding_ratio * source_tokens) + self.decoding_margin
        return min(wanted, MODEL_POSITIONS)


@dataclass
class Hypothesis:
    tokens: list[str]
    text: str
    score: float  # mean log-probability per target token


@dataclass
class Segment:
    source_tokens: list[str]
    hypotheses: list[Hypothesis]  # best first; the glossary stage may re-rank them
    limit: int  # the max_decoding_length it was decoded with

    @property
    def best(self) -> Hypothesis:
        return self.hypotheses[0]

    @property
    def target_tokens(self) -> list[str]:
        return self.best.tokens

    @property
    def truncated(self) -> bool:
        return len(self.best.tokens) >= self.limit


@dataclass
class Translation:
    """One input text: its segments (one unless it was cut), each with its hypotheses."""

    segments: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(segment.best.text for segment in self.segments)

    @property
    def score(self) -> float | None:
        """Mean log-probability per target token over the segments; None for empty input."""
        if not self.segments:
            return None
        weights = [max(len(segment.best.tokens), 1) for segment in self.segments]
        total = sum(seg.best.score * w for seg, w in zip(self.segments, weights, strict=True))
        return total / sum(weights)

    @property
    def truncated(self) -> bool:
        return any(segment.truncated for segment in self.segments)

    def rerank(self, key: Callable[[Hypothesis], object]) -> None:
        """Put the hypothesis with the highest key first in every segment (ties: decoder order)."""
        for segment in self.segments:
            segment.hypotheses.sort(key=key, reverse=True)


def source_suffix(model_dir: Path) -> tuple[str, ...]:
    """Special tokens the engine appends to the SentencePiece pieces of every source text.

    CTranslate2 adds `bos_token`/`eos_token` to the source itself when the model's config.json
    says `add_source_bos`/`add_source_eos` (its Marian and Fairseq converters set
    `add_source_eos`), so the engine never adds those a second time. TransformersConverter
    writes both keys as false for Marian, because Hugging Face's MarianTokenizer appends `</s>`
    itself: a source.spm/target.spm model gets that `</s>` from the engine. A model with one
    shared sentencepiece.model (Argos Translate, OpenNMT-py) is fed the pieces alone, as
    Argos Translate feeds it.
    """
    config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    marian = spm_files(model_dir)[0].name == MARIAN_SPM[0]
    if marian and not config.get("add_source_eos", False):
        return (config.get("eos_token", EOS),)
    return ()


def cpu_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Engine:
    """One loaded model. `translate` takes plain Arabic strings and returns English."""

    def __init__(
        self, model_dir: Path, *, compute_type: str = "default", threads: int | None = None
    ):
        import ctranslate2
        import sentencepiece as spm

        self.model_dir = Path(model_dir)
        self.info: ModelInfo = load_model_info(self.model_dir)
        try:
            self.translator = ctranslate2.Translator(
                str(self.model_dir),
                device="cpu",
                compute_type=compute_type,
                inter_threads=1,
                intra_threads=threads or cpu_threads(),
            )
            source, target = spm_files(self.model_dir)
            self.source_spm = spm.SentencePieceProcessor(model_file=str(source))
            self.target_spm = spm.SentencePieceProcessor(model_file=str(target))
            self.source_suffix = source_suffix(self.model_dir)
        except (RuntimeError, OSError, ValueError) as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ConfigError(
                f"model at {self.model_dir} cannot be loaded ({message}): {HOW_TO_GET_ONE}"
            ) from error

    @functools.cached_property
    def target_vocabulary(self) -> frozenset[str]:
        for name in ("shared_vocabulary.json", "target_vocabulary.json"):
            path = self.model_dir / name
            if path.is_file():
                return frozenset(json.loads(path.read_text(encoding="utf-8")))
        return frozenset()

    def tokenize(self, text: str) -> list[str]:
        return [*self.source_spm.encode(text, out_type=str), *self.source_suffix]

    def detokenize(self, tokens: list[str]) -> str:
        # SentencePiece keeps "▁" in pieces it does not know (e.g. source-side pieces of a
        # shared vocabulary): those are word boundaries too.
        return " ".join(self.target_spm.decode_pieces(tokens).replace("▁", " ").split())

    def translate(
        self,
        texts: list[str],
        options: DecodingOptions = DecodingOptions(),
        progress: Callable[[int, int], None] | None = None,
        suppress: list[list[str]] | None = None,
    ) -> list[Translation]:
        """Translate each text; `progress(done, total)` counts segments after each batch.

        `suppress[i]` lists English phrases the decoder must never produce for text i
        (CTranslate2's suppress_sequences; texts with the same list share batches).
        """
        count = lambda text: len(self.tokenize(text))  # noqa: E731
        owners: list[int] = []
        sources: list[list[str]] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            for piece in split_for_model(text, count, options.max_source_tokens):
                owners.append(index)
                sources.append(self.tokenize(piece))
        forbidden = [self._suppress_sequences(suppress[o] if suppress else []) for o in owners]

        decoded = self._decode(sources, forbidden, options, progress)
        per_text: list[list[Segment]] = [[] for _ in texts]
        for owner, segment in zip(owners, decoded, strict=True):
            per_text[owner].append(segment)
        return [Translation(segments) for segments in per_text]

    def _suppress_sequences(self, phrases: list[str]) -> tuple[tuple[str, ...], ...]:
        # a phrase the vocabulary cannot spell cannot be produced as such: nothing to forbid
        encoded = (tuple(self.target_spm.encode(phrase, out_type=str)) for phrase in phrases)
        return tuple(sorted(seq for seq in encoded if set(seq) <= self.target_vocabulary))

    def _decode(
        self,
        sources: list[list[str]],
        forbidden: list[tuple[tuple[str, ...], ...]],
        options: DecodingOptions,
        progress: Callable[[int, int], None] | None,
    ) -> list[Segment]:
        """Length-sorted batches of at most max_batch_tokens, each with its own decoding limit."""
        results: list[Segment | None] = [None] * len(sources)
        done = 0

        def flush(batch: list[int], suppress: tuple[tuple[str, ...], ...]) -> None:
            nonlocal done
            limit = options.decoding_limit(len(sources[batch[-1]]))
            outputs = self.translator.translate_batch(
                [sources[i] for i in batch],
                beam_size=options.beam_size,
                max_decoding_length=limit,
                num_hypotheses=options.num_hypotheses,
                suppress_sequences=[list(seq) for seq in suppress] or None,
                return_scores=True,
            )
            for i, output in zip(batch, outputs, strict=True):
                hypotheses = [
                    Hypothesis(tokens=tokens, text=self.detokenize(tokens), score=score)
                    for tokens, score in zip(output.hypotheses, output.scores, strict=True)
                ]
                results[i] = Segment(source_tokens=sources[i], hypotheses=hypotheses, limit=limit)
            done += len(batch)
            if progress:
                progress(done, len(sources))

        for suppress in sorted(set(forbidden)):
            group = sorted(
                (i for i in range(len(sources)) if forbidden[i] == suppress),
                key=lambda i: len(sources[i]),
            )
            batch: list[int] = []
            for i in group:
                if batch and (len(batch) + 1) * len(sources[i]) > options.max_batch_tokens:
                    flush(batch, suppress)
                    batch = []
                batch.append(i)
            if batch:
                flush(batch, suppress)
        return results  # type: ignore[return-value]
