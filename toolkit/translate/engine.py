"""CTranslate2 decoding of Marian (opus-mt) models: tokenize, batch, decode, detokenize.

The model is loaded once per Engine. Known traps handled here:
- Transformers-converted Marian models need `</s>` at the end of the source tokens, or
  they repeat themselves until the decoding limit;
- the model has 512 positions: no segment fed to it is longer (long sentences are cut at
  clause boundaries by `segment.split_for_model` and the outputs joined);
- `max_decoding_length` grows with the input, and a hypothesis that reaches it is reported
  as truncated rather than passed off as complete.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.model.store import HOW_TO_GET_ONE, ModelInfo, load_model_info
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

    def __post_init__(self) -> None:
        if not 1 <= self.beam_size <= 16:
            raise ConfigError(f"--beam must be between 1 and 16, not {self.beam_size}")
        if not 8 <= self.max_source_tokens <= MODEL_POSITIONS:
            raise ConfigError(f"max_source_tokens must be within 8..{MODEL_POSITIONS}")

    def decoding_limit(self, source_tokens: int) -> int:
        wanted = int(self.decoding_ratio * source_tokens) + self.decoding_margin
        return min(wanted, MODEL_POSITIONS)


@dataclass
class Segment:
    source_tokens: list[str]
    target_tokens: list[str]
    score: float
    truncated: bool


@dataclass
class Translation:
    text: str
    score: float | None  # mean log-probability per target token; None for empty input
    truncated: bool
    segments: list[Segment]


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
            self.source_spm = spm.SentencePieceProcessor(
                model_file=str(self.model_dir / "source.spm")
            )
            self.target_spm = spm.SentencePieceProcessor(
                model_file=str(self.model_dir / "target.spm")
            )
        except (RuntimeError, OSError, ValueError) as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ConfigError(
                f"model at {self.model_dir} cannot be loaded ({message}): {HOW_TO_GET_ONE}"
            ) from error

    def tokenize(self, text: str) -> list[str]:
        return [*self.source_spm.encode(text, out_type=str), EOS]

    def detokenize(self, tokens: list[str]) -> str:
        return self.target_spm.decode_pieces(tokens).strip()

    def translate(
        self,
        texts: list[str],
        options: DecodingOptions = DecodingOptions(),
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Translation]:
        """Translate each text; `progress(done, total)` counts segments after each batch."""
        count = lambda text: len(self.tokenize(text))  # noqa: E731
        owners: list[int] = []
        sources: list[list[str]] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            for piece in split_for_model(text, count, options.max_source_tokens):
                owners.append(index)
                sources.append(self.tokenize(piece))

        decoded = self._decode(sources, options, progress)
        per_text: list[list[Segment]] = [[] for _ in texts]
        for owner, segment in zip(owners, decoded, strict=True):
            per_text[owner].append(segment)
        return [self._join(segments) for segments in per_text]

    def _decode(
        self,
        sources: list[list[str]],
        options: DecodingOptions,
        progress: Callable[[int, int], None] | None,
    ) -> list[Segment]:
        """Length-sorted batches of at most max_batch_tokens, each with its own decoding limit."""
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        results: list[Segment | None] = [None] * len(sources)
        batch: list[int] = []
        done = 0

        def flush() -> None:
            limit = options.decoding_limit(len(sources[batch[-1]]))
            outputs = self.translator.translate_batch(
                [sources[i] for i in batch],
                beam_size=options.beam_size,
                max_decoding_length=limit,
                return_scores=True,
            )
            for i, output in zip(batch, outputs, strict=True):
                hypothesis = output.hypotheses[0]
                results[i] = Segment(
                    source_tokens=sources[i],
                    target_tokens=hypothesis,
                    score=output.scores[0],
                    truncated=len(hypothesis) >= limit,
                )
            nonlocal done
            done += len(batch)
            if progress:
                progress(done, len(sources))
            batch.clear()

        for i in order:
            if batch and (len(batch) + 1) * len(sources[i]) > options.max_batch_tokens:
                flush()
            batch.append(i)
        if batch:
            flush()
        return results  # type: ignore[return-value]

    def _join(self, segments: list[Segment]) -> Translation:
        if not segments:
            return Translation(text="", score=None, truncated=False, segments=[])
        text = " ".join(self.detokenize(segment.target_tokens) for segment in segments)
        weights = [max(len(segment.target_tokens), 1) for segment in segments]
        score = sum(s.score * w for s, w in zip(segments, weights, strict=True)) / sum(weights)
        return Translation(
            text=text,
            score=score,
            truncated=any(segment.truncated for segment in segments),
            segments=segments,
        )
