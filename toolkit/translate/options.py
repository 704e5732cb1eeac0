"""What the decoder is asked to do (`DecodingOptions`) and how the machine runs it (`Layout`).

Options change translations and are part of the translation-memory key; the layout only
changes speed: the same batch plan gives the same output under any layout.
"""

import os
import re
from dataclasses import dataclass

from toolkit.errors import ConfigError
from toolkit.state.settings import setting

MODEL_POSITIONS = 512
LAYOUT_ENV = "TOOLKIT_LAYOUT"


@dataclass(frozen=True)
class DecodingOptions:
    beam_size: int = 4
    # Source tokens per segment, `</s>` included. 512 is the model's hard limit; shorter
    # segments leave room for the (usually longer) English side within 512 positions too.
    max_source_tokens: int = 256
    # max_decoding_length = ratio × source tokens + margin, capped at the model's positions
    decoding_ratio: float = 2.0
    decoding_margin: int = 10
    # n-best list per segment (the glossary re-ranks it); must not exceed beam_size
    num_hypotheses: int = 1
    # sha256 of the model folder's vmap.txt when decoding is restricted to it (CTranslate2
    # use_vmap, `--vmap`); None: the full output vocabulary
    vmap: str | None = None

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


def cpu_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Layout:
    """CTranslate2 workers (`inter_threads`), threads per worker, source tokens per batch.

    Measured on 2 cores (opus-mt-ar-en shape, int8, beam 4, forced 1.3× lengths; docs/
    measuring.md): one worker per core beats one worker with every core, because a decoding step
    of one small batch does not keep two threads busy; batches are handed over together so
    both workers always have one. BATCH_TOKENS was swept for that layout on the translate
    path (`toolkit batch` on the five seed articles, synthetic opus-mt-ar-en-shaped model,
    2026-11-24, shared 2-core machine, one run each): 256 → 213 tok/s, 433 MB peak RSS;
    512 → 239 tok/s, 635 MB; 1,024 → 248 tok/s, 1,163 MB; 2,048 → 175 tok/s, 1,700 MB
    (that run saw a busier machine). 512 is within noise of the fastest at half the memory.
    """

    workers: int
    threads: int
    batch_tokens: int

    THREADS_PER_WORKER = 1
    BATCH_TOKENS = 512

    def __post_init__(self) -> None:
        if self.workers < 1 or self.threads < 1 or not 16 <= self.batch_tokens <= 65536:
            raise ConfigError(
                f"bad engine layout {self}: workers and threads ≥ 1, batch tokens 16..65536"
            )

    @classmethod
    def default(cls, cores: int | None = None) -> "Layout":
        cores = cores or cpu_threads()
        threads = min(cls.THREADS_PER_WORKER, cores)
        return cls(max(1, cores // threads), threads, cls.BATCH_TOKENS)

    @classmethod
    def parse(cls, text: str) -> "Layout":
        """WORKERSxTHREADS[:BATCH_TOKENS], e.g. 2x1:2048 or 1x2."""
        found = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*(?::\s*(\d+))?\s*", text)
        if not found:
            raise ConfigError(
                f"{LAYOUT_ENV}={text!r}: use WORKERSxTHREADS[:BATCH_TOKENS], e.g. 2x1:2048"
            )
        workers, threads, tokens = found.groups()
        return cls(int(workers), int(threads), int(tokens) if tokens else cls.BATCH_TOKENS)

    @classmethod
    def configured(cls) -> "Layout":
        """$TOOLKIT_LAYOUT when set, else the measured default for this machine."""
        text = setting(LAYOUT_ENV)
        return cls.parse(text) if text else cls.default()

    def __str__(self) -> str:
        return f"{self.workers}x{self.threads}:{self.batch_tokens}"

    def to_json(self) -> dict:
        return {"workers": self.workers, "threads": self.threads, "batch_tokens": self.batch_tokens}
