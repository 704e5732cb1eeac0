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

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.model.store import (
    HOW_TO_GET_ONE,
    MARIAN_SPM,
    ModelInfo,
    load_model_info,
    spm_files,
    target_vocabulary,
)
from toolkit.translate.executor import Executor, LocalExecutor
from toolkit.translate.options import MODEL_POSITIONS, DecodingOptions, Layout, cpu_threads
from toolkit.translate.plan import Batch, BatchResult, SegmentInput, plan_batches
from toolkit.translate.segment import split_for_model

__all__ = ["EOS", "MODEL_POSITIONS", "DecodingOptions", "Engine", "Layout", "cpu_threads"]

EOS = "</s>"


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


@contextlib.contextmanager
def _loading(model_dir: Path) -> Iterator[None]:
    """A model file that cannot be loaded is a configuration error (exit 2)."""
    try:
        yield
    except (RuntimeError, OSError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(
            f"model at {model_dir} cannot be loaded ({message}): {HOW_TO_GET_ONE}"
        ) from error


class Engine:
    """One loaded model. `translate` takes plain Arabic strings and returns English.

    For a run over many texts the steps are public: `segment_inputs` (tokenize and cut) per
    text, then `decode` (plan batches, run them on an executor, detokenize) over all of them,
    so a caller can decode one stream across many files.
    """

    def __init__(
        self, model_dir: Path, *, compute_type: str = "default", layout: Layout | None = None
    ):
        import sentencepiece as spm

        self.model_dir = Path(model_dir)
        self.info: ModelInfo = load_model_info(self.model_dir)
        self.layout = layout or Layout.configured()
        self.compute_type = compute_type
        with _loading(self.model_dir):
            source, target = spm_files(self.model_dir)
            self.source_spm = spm.SentencePieceProcessor(model_file=str(source))
            self.target_spm = spm.SentencePieceProcessor(model_file=str(target))
            self.source_suffix = source_suffix(self.model_dir)
        self.executor: Executor = LocalExecutor(self)

    @functools.cached_property
    def translator(self):
        """This process's CTranslate2 translator, loaded on first use: a driver whose batches
        are decoded elsewhere (toolkit.translate.cluster) never loads one."""
        import ctranslate2

        with _loading(self.model_dir):
            return ctranslate2.Translator(
                str(self.model_dir),
                device="cpu",
                compute_type=self.compute_type,
                inter_threads=self.layout.workers,
                intra_threads=self.layout.threads,
            )

    @functools.cached_property
    def target_vocabulary(self) -> frozenset[str]:
        return frozenset(target_vocabulary(self.model_dir))

    def tokenize(self, text: str) -> list[str]:
        return [*self.source_spm.encode(text, out_type=str), *self.source_suffix]

    def detokenize(self, tokens: list[str]) -> str:
        # SentencePiece keeps "▁" in pieces it does not know (e.g. source-side pieces of a
        # shared vocabulary): those are word boundaries too.
        return " ".join(self.target_spm.decode_pieces(tokens).replace("▁", " ").split())

    def segment_inputs(
        self, text: str, options: DecodingOptions, suppress: list[str] | None = None
    ) -> list[SegmentInput]:
        """The model inputs for one text: cut to max_source_tokens, each with `</s>`.

        `suppress` lists English phrases the decoder must never produce for this text
        (CTranslate2's suppress_sequences).
        """
        if not text.strip():
            return []
        forbidden = self._suppress_sequences(suppress or [])
        count = lambda piece: len(self.tokenize(piece))  # noqa: E731
        return [
            SegmentInput(tuple(self.tokenize(piece)), forbidden)
            for piece in split_for_model(text, count, options.max_source_tokens)
        ]

    def decode(
        self,
        inputs: list[SegmentInput],
        options: DecodingOptions,
        executor: Executor | None = None,
        wanted: set[int] | None = None,
    ) -> Iterator[tuple[Batch, list[Segment]]]:
        """Plan `inputs` into batches and decode them (on this engine's translator unless
        another executor is given); yield each batch with its segments as it finishes.
        With `wanted`, only the batches with one of those inputs are decoded."""
        planned: dict[int, Batch] = {}

        def plan() -> Iterator[Batch]:
            for batch in plan_batches(inputs, options, self.layout.batch_tokens):
                if wanted is None or not wanted.isdisjoint(batch.members):
                    planned[batch.index] = batch
                    yield batch

        for result in (executor or self.executor).run(plan()):
            batch = planned.pop(result.index)
            yield batch, self._segments(batch, result)

    def _segments(self, batch: Batch, result: BatchResult) -> list[Segment]:
        return [
            Segment(
                source_tokens=list(source),
                hypotheses=[
                    Hypothesis(tokens=tokens, text=self.detokenize(tokens), score=score)
                    for tokens, score in zip(hypotheses, scores, strict=True)
                ],
                limit=batch.max_decoding_length,
            )
            for source, hypotheses, scores in zip(
                batch.sources, result.hypotheses, result.scores, strict=True
            )
        ]

    def translate(
        self,
        texts: list[str],
        options: DecodingOptions = DecodingOptions(),
        progress: Callable[[int, int], None] | None = None,
        suppress: list[list[str]] | None = None,
    ) -> list[Translation]:
        """Translate each text; `progress(done, total)` counts segments after each batch.

        `suppress[i]` lists English phrases the decoder must never produce for text i.
        """
        owners: list[int] = []
        inputs: list[SegmentInput] = []
        for index, text in enumerate(texts):
            pieces = self.segment_inputs(text, options, suppress[index] if suppress else None)
            owners += [index] * len(pieces)
            inputs += pieces
        decoded: list[Segment | None] = [None] * len(inputs)
        done = 0
        for batch, segments in self.decode(inputs, options):
            for member, segment in zip(batch.members, segments, strict=True):
                decoded[member] = segment
            done += len(batch.members)
            if progress:
                progress(done, len(inputs))
        per_text: list[list[Segment]] = [[] for _ in texts]
        for owner, segment in zip(owners, decoded, strict=True):
            per_text[owner].append(segment)  # type: ignore[arg-type]
        return [Translation(segments) for segments in per_text]

    def _suppress_sequences(self, phrases: list[str]) -> tuple[tuple[str, ...], ...]:
        # a phrase the vocabulary cannot spell cannot be produced as such: nothing to forbid
        encoded = (tuple(self.target_spm.encode(phrase, out_type=str)) for phrase in phrases)
        return tuple(sorted(seq for seq in encoded if set(seq) <= self.target_vocabulary))
