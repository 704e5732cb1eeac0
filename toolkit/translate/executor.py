"""Executors run a batch plan and hand results back as batches finish.

The seam between the driver (which owns ingest, the glossary, the translation memory and
every output) and whatever decodes: `LocalExecutor` is this process's CTranslate2
translator; a Dask executor ships the same `Batch` objects to worker processes.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Protocol

from toolkit.translate.plan import Batch, BatchResult


@dataclass(frozen=True)
class ExecutorSettings:
    """Who decodes, as the manifest records it (`settings.executor`)."""

    kind: str  # local | dask
    workers: int  # this process's CTranslate2 workers, or the Dask worker processes
    scheduler: str | None = None  # the Dask scheduler's address

    def to_json(self) -> dict:
        return asdict(self)


class Executor(Protocol):
    settings: ExecutorSettings

    def run(self, batches: Iterable[Batch]) -> Iterator[BatchResult]:
        """Decode every batch; yield each result once, as soon as it is ready."""
        ...


def decode_batch(translator, batch: Batch, *, asynchronous: bool = False):
    """One CTranslate2 call for one batch, every setting taken from the batch."""
    return translator.translate_batch(
        [list(tokens) for tokens in batch.sources],
        beam_size=batch.beam_size,
        num_hypotheses=batch.num_hypotheses,
        max_decoding_length=batch.max_decoding_length,
        min_decoding_length=batch.min_decoding_length,
        suppress_sequences=[list(seq) for seq in batch.suppress] or None,
        return_scores=True,
        use_vmap=batch.use_vmap,
        asynchronous=asynchronous,
    )


def batch_result(batch: Batch, outputs, worker: str = "local") -> BatchResult:
    return BatchResult(
        index=batch.index,
        hypotheses=[list(output.hypotheses) for output in outputs],
        scores=[list(output.scores) for output in outputs],
        worker=worker,
    )


class LocalExecutor:
    """This process's translator. Keeps `workers + 1` batches queued so that no CTranslate2
    worker waits for the next one, and no more: a killed run loses only those."""

    def __init__(self, engine):
        self.engine = engine  # the translator is looked up per run (tests may wrap it)

    @property
    def settings(self) -> ExecutorSettings:
        return ExecutorSettings("local", self.engine.layout.workers)

    def run(self, batches: Iterable[Batch]) -> Iterator[BatchResult]:
        translator = self.engine.translator
        depth = self.engine.layout.workers + 1
        queued: deque[tuple[Batch, list]] = deque()
        for batch in batches:
            queued.append((batch, decode_batch(translator, batch, asynchronous=True)))
            if len(queued) > depth:
                yield self._finish(*queued.popleft())
        while queued:
            yield self._finish(*queued.popleft())

    @staticmethod
    def _finish(batch: Batch, pending: list) -> BatchResult:
        return batch_result(batch, [result.result() for result in pending])
