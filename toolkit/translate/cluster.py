"""Decoding on a Dask cluster: local worker processes (`--workers N`) or an existing
scheduler (`--scheduler ADDRESS`, env TOOLKIT_SCHEDULER).

Only decoding goes out. The driver keeps ingest, the glossary, the translation memory,
every output, the manifest and the lock; it ships the batch plan's `Batch` objects and
gets `BatchResult`s back as they finish. Each worker process loads the model once (keyed
by path and sha256), from the same path as the driver's `--model`, and refuses a model
whose sha256 is not the driver's. A lost worker costs only its batches in flight: Dask
runs them again elsewhere, and each batch is yielded — and stored — once.

When the cluster cannot go on, the run ends with one line, and what was decoded stays in
the translation memory (files already complete are published): workers that died decoding
the same batch again and again (Dask's KilledWorker) and a scheduler left without workers
for TOOLKIT_WORKER_WAIT seconds are exit 1; a scheduler with no workers at the start, and
workers that cannot import the toolkit or load the driver's model, are exit 2.
"""

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from toolkit import __version__
from toolkit.errors import ConfigError, ToolkitError
from toolkit.model.store import load_model_info
from toolkit.state.settings import default, setting
from toolkit.translate.executor import ExecutorSettings, batch_result, decode_batch
from toolkit.translate.options import Layout, cpu_threads
from toolkit.translate.plan import Batch, BatchResult

SCHEDULER_ENV = "TOOLKIT_SCHEDULER"
CONNECT_TIMEOUT_S = 5
# How long a scheduler may have no worker: `dask worker` started beside the nightly joins in
# seconds, a node added by an autoscaler in a minute or two; past that none is coming.
WORKER_WAIT_ENV = "TOOLKIT_WORKER_WAIT"
WORKER_WAIT = default(WORKER_WAIT_ENV)
SHARED_MODEL = (
    "every worker must see the driver's model folder at the same path "
    "(shared storage, or --model with a path that is valid on the workers)"
)


@dataclass(frozen=True)
class WorkerModel:
    """The model every worker decodes with: the path as given to the driver and its sha256."""

    path: str
    sha256: str
    compute_type: str = "default"


# this worker process's translators: one per model (and thread count), loaded on first use
_translators: dict[tuple[WorkerModel, int], object] = {}
_loading = threading.Lock()


def decode_on_worker(batch: Batch, model: WorkerModel) -> BatchResult:
    """The Dask task: one batch through this worker's translator."""
    from distributed import get_worker

    worker = get_worker()
    translator = _translator(model, worker.state.nthreads, worker.address)
    return batch_result(batch, decode_batch(translator, batch), worker.address)


def _translator(model: WorkerModel, threads: int, worker: str):
    """One single-threaded CTranslate2 replica per Dask thread (the engine's measured layout:
    a replica per core), so the worker's tasks never wait for one another or fight for cores."""
    with _loading:
        key = (model, threads)
        if key not in _translators:
            _translators[key] = _load(model, threads, worker)
        return _translators[key]


def _load(model: WorkerModel, threads: int, worker: str):
    import ctranslate2

    _keep_freed_memory()
    try:
        info = load_model_info(Path(model.path))
    except ConfigError:
        message = f"worker {worker}: no usable model at {model.path}: {SHARED_MODEL}"
        raise ConfigError(message) from None
    if info.model_sha256 != model.sha256:
        raise ConfigError(
            f"worker {worker}: the model at {model.path} is not the driver's (sha256 "
            f"{info.model_sha256[:12]}… ≠ {model.sha256[:12]}…): {SHARED_MODEL}"
        )
    try:
        return ctranslate2.Translator(
            model.path,
            device="cpu",
            compute_type=model.compute_type,
            inter_threads=threads,
            intra_threads=Layout.THREADS_PER_WORKER,
        )
    except (RuntimeError, OSError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(
            f"worker {worker}: the model at {model.path} cannot be loaded ({message})"
        ) from error


# mallopt parameters (malloc.h), and the values that glibc's dynamic thresholds reach by
# themselves on 64-bit (mmap threshold up to 32 MiB, trimming at twice that)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD, TRIM_THRESHOLD = 32 << 20, 64 << 20


def _keep_freed_memory() -> None:
    """Undo the Dask nanny's MALLOC_TRIM_THRESHOLD_=65536 in this process.

    Setting that turns off glibc's dynamic mmap threshold, so every buffer over 128 KiB that
    CTranslate2 allocates and frees at each decoding step becomes an mmap/munmap pair with
    fresh page faults: decoding was 5× slower in Dask workers than in the local engine
    (tiny model, 2 workers). Restoring the thresholds glibc would have reached by itself
    keeps those buffers in the heap.
    """
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: the variable means nothing here
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


class ClusterError(ToolkitError):
    """The cluster stopped decoding mid-run; what was decoded is kept: exit 1."""

    exit_code = 1


class DaskExecutor:
    """Ships batches to a Dask cluster and yields results as they complete.

    At most one batch per Dask thread plus one per worker is submitted ahead (each worker
    has its next batch when one finishes, the cluster is asked again as workers come and
    go): a killed driver loses only those, since everything returned was stored.
    """

    def __init__(
        self,
        client,
        model: WorkerModel,
        settings: ExecutorSettings,
        worker_wait: float = WORKER_WAIT,
    ):
        self.client, self.model, self.settings = client, model, settings
        self.worker_wait = worker_wait

    def run(self, batches: Iterable[Batch]) -> Iterator[BatchResult]:
        from distributed import wait

        planned = iter(batches)
        submitted: dict = {}  # future → its batch

        def top_up() -> None:
            # with no worker (yet), one batch waits for the first to join; when workers
            # leave, more than the capacity may be running
            wanted = max(self._capacity(), 1) - len(submitted)
            for batch in islice(planned, max(wanted, 0)):
                future = self.client.submit(decode_on_worker, batch, self.model, pure=False)
                submitted[future] = batch

        try:
            top_up()
            while submitted:
                try:
                    with self.client.as_current():  # `wait` asks for the current client
                        done = wait(
                            list(submitted), self.worker_wait, return_when="FIRST_COMPLETED"
                        ).done
                except TimeoutError:
                    self._check_workers()
                    top_up()  # workers may have joined
                    continue
                for future in sorted(done, key=lambda f: submitted[f].index):
                    result = self._result(future, submitted.pop(future))
                    future.release()
                    top_up()  # before the driver stores this one, so no worker waits
                    yield result
        finally:
            if submitted:  # failed or interrupted: the cluster stops decoding for us
                self.client.cancel(list(submitted))

    def _check_workers(self) -> None:
        """Nothing finished for `worker_wait` seconds: fine if workers are decoding."""
        if not self.client.nthreads():
            raise ClusterError(
                f"the Dask cluster has had no worker for {self.worker_wait:g} s "
                f"({WORKER_WAIT_ENV}); what was decoded is kept: rerun when workers are up"
            )

    @staticmethod
    def _result(future, batch: Batch) -> BatchResult:
        from distributed import KilledWorker

        try:
            return future.result()  # a worker's ConfigError is raised here
        except KilledWorker:
            raise ClusterError(
                f"Dask workers died again and again decoding batch {batch.index} "
                f"({len(batch.members)} segments, {batch.source_tokens} tokens; the workers' "
                "logs say why, often memory); what was decoded is kept: rerun to go on"
            ) from None
        except ImportError as error:
            raise _cannot_import(error) from None

    def _capacity(self) -> int:
        threads = self.client.nthreads()
        return sum(threads.values()) + len(threads)


@contextmanager
def executor_for(
    engine, workers: int | None, scheduler: str | None
) -> Iterator["DaskExecutor | None"]:
    """The run's executor: Dask with --workers or --scheduler/$TOOLKIT_SCHEDULER, else None
    (the engine's own translator)."""
    scheduler = chosen_scheduler(workers, scheduler)
    if not workers and not scheduler:
        yield None
        return
    model = WorkerModel(str(engine.model_dir), engine.info.model_sha256, engine.compute_type)
    with dask_executor(model, workers, scheduler) as executor:
        yield executor


@contextmanager
def dask_executor(
    model: WorkerModel, workers: int | None = None, scheduler: str | None = None
) -> Iterator[DaskExecutor]:
    """`workers` local worker processes on 127.0.0.1, started and shut down here (also on
    Ctrl-C), or the existing cluster at `scheduler`."""
    from distributed import Client, LocalCluster

    wait = setting(WORKER_WAIT_ENV)
    if workers:
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=max(1, cpu_threads() // workers),
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # health routes only (no bokeh), loopback
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield DaskExecutor(client, model, ExecutorSettings("dask", workers), wait)
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError) as error:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {scheduler} ({error}): check that "
            "`dask scheduler` runs there, the address and port (--scheduler or "
            f"{SCHEDULER_ENV}), and that this machine may connect to it"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=wait)
        except TimeoutError:
            raise ConfigError(
                f"the Dask scheduler at {scheduler} has no workers (waited {wait:g} s, "
                f"{WORKER_WAIT_ENV}): start `dask worker {scheduler}` where decoding runs"
            ) from None
        _check_imports(client)
        count = len(client.scheduler_info()["workers"])
        yield DaskExecutor(client, model, ExecutorSettings("dask", count, scheduler), wait)


def _check_imports(client) -> None:
    """Every worker imports this module: one that cannot would die on its first batch (the
    task is unpickled by module name), leaving the run to wait for workers in vain."""
    try:  # a builtin, so that the check itself needs nothing from the toolkit to unpickle
        client.run(eval, "__import__('toolkit.translate.cluster').__version__")
    except ImportError as error:
        raise _cannot_import(error) from None


def _cannot_import(error: ImportError) -> ConfigError:
    return ConfigError(
        f"a Dask worker cannot import what decoding needs ({error}): install "
        f"toolkit {__version__} and its dependencies on every worker"
    )


def chosen_scheduler(workers: int | None, scheduler: str | None) -> str | None:
    """--scheduler, else $TOOLKIT_SCHEDULER unless --workers asks for a local cluster."""
    if workers and scheduler:
        raise ConfigError("--workers starts a local cluster, --scheduler uses one: pass one")
    if workers:
        return None
    return scheduler or setting(SCHEDULER_ENV)
