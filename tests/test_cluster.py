"""Decoding on a real Dask LocalCluster (2 worker processes on 127.0.0.1) with the tiny model.

The module's cluster is started with its workers in a folder of their own, so a relative
`--model` path names a different folder on the workers than on the driver: that is how a
worker with another model, or with none, is made here.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from conftest import REPO, SHARED_ARTICLES, invoke
from distributed.diagnostics.plugin import WorkerPlugin
from test_layout import article, sentences, stored
from test_nightly import manifest, nightly

from toolkit.errors import ToolkitError
from toolkit.pipeline import Pipeline
from toolkit.translate import DecodingOptions, Engine, Layout, TranslationMemory
from toolkit.translate.cluster import ClusterError, DaskExecutor, WorkerModel
from toolkit.translate.executor import ExecutorSettings


def processes() -> set[int]:
    """This test process's descendants, less multiprocessing's resource tracker (started by
    the first spawned process, it lives as long as this process by design)."""
    return {
        child.pid
        for child in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(child.cmdline())
        and child.status() != psutil.STATUS_ZOMBIE
    }


@dataclass
class Cluster:
    cluster: object
    client: object
    home: Path  # the workers' working folder
    before: set[int]  # processes before the cluster started

    @property
    def address(self) -> str:
        return self.cluster.scheduler_address


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, tiny_model):
    from distributed import Client, LocalCluster

    home = tmp_path_factory.mktemp("workers")
    shutil.copytree(tiny_model, home / "models" / "tiny")
    before, cwd = processes(), os.getcwd()
    os.chdir(home)  # spawned workers start here
    try:
        local = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # health routes only (no bokeh), loopback
        )
    finally:
        os.chdir(cwd)
    client = Client(local, set_as_default=False)
    yield Cluster(local, client, home, before)
    client.close()
    local.close()


@pytest.fixture
def inbox(tmp_path) -> Path:
    """The repo's samples and, when present, the real articles in ../shared/articles."""
    folder = tmp_path / "inbox"
    shutil.copytree(REPO / "inbox", folder)
    if SHARED_ARTICLES.is_dir():
        shutil.copytree(SHARED_ARTICLES, folder / "shared")
    return folder


def articles(outputs: Path) -> dict[str, bytes]:
    folder = outputs / "2026-11-23" / "articles"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_dask_workers_give_the_local_engines_outputs(cluster, tiny_model, inbox, tmp_path):
    local, spawned, shared = (tmp_path / name for name in ("local", "spawned", "shared"))
    assert nightly(inbox, local, tiny_model).exit_code == 0

    before = processes()
    result = nightly(inbox, spawned, tiny_model, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert processes() <= before  # its local cluster is gone
    result = nightly(inbox, shared, tiny_model, "--scheduler", cluster.address)
    assert result.exit_code == 0, result.output

    expected = articles(local)
    assert len(expected) >= 6
    assert articles(spawned) == expected and articles(shared) == expected

    batches = sum(manifest(local)["batches"].values())
    assert manifest(local)["batches"] == {"local": batches}
    for outputs, scheduler in ((spawned, None), (shared, cluster.address)):
        run = manifest(outputs)
        assert run["settings"]["executor"] == {
            "kind": "dask",
            "workers": 2,
            "scheduler": scheduler,
        }
        assert sum(run["batches"].values()) == batches
        assert all(worker.startswith("tcp://127.0.0.1:") for worker in run["batches"])

    # the executor changes speed, not results: the local engine finds Dask's outputs current
    again = nightly(inbox, shared, tiny_model)
    assert again.exit_code == 0 and manifest(shared)["counts"]["unchanged"] == len(
        list(inbox.rglob("*.*"))
    )


def test_an_unreachable_scheduler_is_exit_2_within_seconds(tiny_model, inbox, tmp_path):
    with socket.socket() as probe:  # a loopback port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    result = invoke(
        "nightly",
        "--inbox",
        inbox,
        "--outputs",
        tmp_path / "outputs",
        "--model",
        tiny_model,
        "--quiet",
        env={"TOOLKIT_SCHEDULER": address},
    )
    assert result.exit_code == 2
    assert time.monotonic() - started < 20
    (error,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert address in error and "dask scheduler" in error


def test_workers_and_scheduler_together_are_a_usage_error(tiny_model, inbox, tmp_path):
    result = nightly(inbox, tmp_path, tiny_model, "--workers", "2", "--scheduler", "tcp://x:1")
    assert result.exit_code == 2 and "pass one" in result.stderr


def test_a_worker_without_the_drivers_model_is_exit_2(
    cluster, tiny_model, inbox, tmp_path, monkeypatch
):
    # the driver's models/tiny is another model; the workers' is the tiny model
    monkeypatch.chdir(tmp_path)
    result = invoke("model", "synth", "--shape", "tiny", "--seed", "7", "-o", "models/tiny")
    assert result.exit_code == 0
    run = nightly(inbox, tmp_path / "outputs", Path("models/tiny"), "--scheduler", cluster.address)
    assert run.exit_code == 2
    (error,) = [line for line in run.stderr.splitlines() if "error" in line]
    assert "worker tcp://127.0.0.1:" in error and "models/tiny" in error
    assert "not the driver's" in error

    # the workers have nothing at models/copy
    shutil.copytree(tiny_model, tmp_path / "models" / "copy")
    run = nightly(inbox, tmp_path / "outputs", Path("models/copy"), "--scheduler", cluster.address)
    assert run.exit_code == 2
    (error,) = [line for line in run.stderr.splitlines() if "error" in line]
    assert "worker tcp://127.0.0.1:" in error and "no usable model at models/copy" in error


class KillingAWorker:
    """Passes results through; after the first, SIGKILLs a worker with batches in flight."""

    def __init__(self, inner: DaskExecutor):
        self.inner, self.settings = inner, inner.settings
        self.killed: int | None = None
        self.indexes: list[int] = []
        self.after_kill = 0

    def run(self, batches):
        client = self.inner.client
        for result in self.inner.run(batches):
            if self.killed is None:
                busy = [worker for worker, keys in client.processing().items() if keys]
                pids = client.run(os.getpid)
                self.killed = pids[(busy or list(pids))[0]]
                os.kill(self.killed, signal.SIGKILL)
            else:
                self.after_kill += 1
            self.indexes.append(result.index)
            yield result


def test_a_worker_killed_mid_run_costs_nothing_but_time(cluster, tiny_model, tmp_path):
    engine = Engine(tiny_model, layout=Layout(1, 1, batch_tokens=64))  # many small batches
    texts = sentences(120)
    groups = lambda: [[article(texts[i : i + 30], f"a{i}")] for i in range(0, 120, 30)]  # noqa: E731
    options = DecodingOptions(beam_size=2)

    model = WorkerModel(str(tiny_model), engine.info.model_sha256)
    killing = KillingAWorker(
        DaskExecutor(cluster.client, model, ExecutorSettings("dask", 2, cluster.address))
    )
    memory = tmp_path / "tm.sqlite"
    pipeline = Pipeline(engine, options, memory=TranslationMemory(memory), executor=killing)
    on_dask = groups()
    counts = pipeline.run(on_dask)

    assert not psutil.pid_exists(killing.killed) or (
        psutil.Process(killing.killed).status() == psutil.STATUS_ZOMBIE
    )
    assert killing.after_kill > 0
    # every batch came back once, and every sentence was decoded once into the memory
    assert sorted(killing.indexes) == list(range(len(killing.indexes)))
    assert sum(c.decoded for c in counts) == stored(memory) == len(texts)

    local = groups()
    Pipeline(engine, options).run(local)
    english = lambda groups: [s.en for g in groups for a in g for s in a.all_sentences()]  # noqa: E731
    assert all(english(on_dask)) and english(on_dask) == english(local)


@pytest.fixture
def empty_scheduler():
    """A scheduler on 127.0.0.1 with no worker; gone, with anything that joined, at the end."""
    from distributed import LocalCluster

    before = processes()
    local = LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    )
    yield local.scheduler_address
    local.close()
    assert processes() <= before


def nightly_on(scheduler: str, inbox: Path, outputs: Path, model: Path, wait: str = "1"):
    env = {"TOOLKIT_WORKER_WAIT": wait}
    return nightly(inbox, outputs, model, "--scheduler", scheduler, env=env)


def test_a_scheduler_without_workers_is_one_line_after_a_bounded_wait(
    empty_scheduler, tiny_model, inbox, tmp_path
):
    result = nightly_on(empty_scheduler, inbox, tmp_path / "outputs", tiny_model)
    assert result.exit_code == 2, result.output
    (line,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert f"the Dask scheduler at {empty_scheduler} has no workers (waited 1 s" in line
    assert "TOOLKIT_WORKER_WAIT" in line and "dask worker" in line


def test_a_worker_that_cannot_import_the_toolkit_is_one_line(
    empty_scheduler, tiny_model, inbox, tmp_path
):
    hide = "import sys; sys.modules['toolkit'] = None; "  # `import toolkit` fails there
    code = hide + "from distributed.cli.dask_worker import main; main()"
    worker = subprocess.Popen(
        [sys.executable, "-c", code, empty_scheduler, "--no-nanny", "--nthreads", "1"]
        + ["--host", "127.0.0.1", "--no-dashboard"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = nightly_on(empty_scheduler, inbox, tmp_path / "outputs", tiny_model, "60")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert result.exit_code == 2, result.output
    (line,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert "a Dask worker cannot import what decoding needs" in line and "toolkit" in line


class DyingWhenTold(WorkerPlugin):
    """Once `marker` exists, a worker dies as it starts its next task (the nanny restarts it)."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and os.path.exists(self.marker):
            os._exit(1)


class TellingWorkersToDie:
    """Passes results through; after the first, every task that starts kills its worker."""

    def __init__(self, inner: DaskExecutor, marker: Path):
        self.inner, self.settings, self.marker = inner, inner.settings, marker

    def run(self, batches):
        for result in self.inner.run(batches):
            self.marker.touch()
            yield result


def test_workers_dying_again_and_again_end_the_run_with_the_work_kept(tiny_model, tmp_path):
    import dask
    from distributed import Client, LocalCluster

    before = processes()
    marker = tmp_path / "die"
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),  # one death: KilledWorker
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as local,
        Client(local, set_as_default=False) as client,
    ):
        client.register_plugin(DyingWhenTold(str(marker)))
        engine = Engine(tiny_model, layout=Layout(1, 1, batch_tokens=64))
        model = WorkerModel(str(tiny_model), engine.info.model_sha256)
        dying = TellingWorkersToDie(
            DaskExecutor(client, model, ExecutorSettings("dask", 2, local.scheduler_address)),
            marker,
        )
        memory = tmp_path / "tm.sqlite"
        pipeline = Pipeline(
            engine, DecodingOptions(beam_size=2), memory=TranslationMemory(memory), executor=dying
        )
        published = []
        groups = [[article([text], f"a{n}")] for n, text in enumerate(sentences(120))]
        with pytest.raises(ToolkitError) as caught:
            pipeline.run(groups, on_group=lambda number, _counts: published.append(number))
    assert processes() <= before
    error = caught.value
    assert isinstance(error, ClusterError) and error.exit_code == 1
    assert "\n" not in str(error) and "died again and again decoding batch" in str(error)
    # what was decoded before is kept: in the memory, and its articles were published
    assert 0 < len(published) <= stored(memory) < len(groups)


def test_closing_the_cluster_leaves_no_process_behind(cluster):
    workers = set(cluster.client.run(os.getpid).values())
    assert workers <= processes()
    cluster.client.close()
    cluster.cluster.close()
    assert processes() <= cluster.before
