"""`toolkit bench`: the product's engine path against raw CTranslate2 and transformers.

One piece of work (toolkit.bench.work: the same segments, each with a forced output length)
is planned into batches by the product's `plan_batches` and shipped to every leg, each in
its own process (toolkit.bench.worker; clean peak RSS):

- `toolkit-int8`: `Engine` + its executor, as the nightly job decodes, at the configured
  layout ($TOOLKIT_LAYOUT, else the default); `--layouts` sweeps it;
- `toolkit-int8-vmap`: the same with the model's vocabulary map (`--vmap`);
- `ct2-int8`, `ct2-float32`: raw CTranslate2, the ceiling, on the very same batches, at
  RAW_LAYOUT;
- `transformers-fp32`: `MarianMTModel.generate` with every core, at the fastest of
  TRANSFORMERS_BATCH_TOKENS (the sweep is reported too).
"""

import json
import os
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path

from toolkit.bench.legs import (
    CT2_FLOAT32,
    CT2_INT8,
    ENGINES,
    TOOLKIT,
    TOOLKIT_VMAP,
    TRANSFORMERS,
    LegResult,
    LegSpec,
)
from toolkit.bench.report import BenchReport, bench_text
from toolkit.bench.work import FORCED_LENGTH_RULE, BenchWork, bench_sentences, make_work
from toolkit.bench.worker import run_in_process
from toolkit.errors import ConfigError
from toolkit.state.settings import setting
from toolkit.translate.options import LAYOUT_ENV, Layout, cpu_threads

__all__ = ["ENGINES", "BenchReport", "bench_text", "run_bench", "select_engines"]

TRANSFORMERS_BATCH_TOKENS = (512, 1024, 2048)


def raw_layout(cores: int, batch_tokens: int) -> Layout:
    """Raw CTranslate2's best layout, measured for int8 and float32 alike (docs/measuring.md):
    one single-threaded worker per core, every batch handed over at once."""
    return Layout(cores, 1, batch_tokens)


def select_engines(text: str | None) -> tuple[str, ...]:
    """`--engines a,b`: those legs, in our order; None: every one."""
    if text is None:
        return ENGINES
    chosen = {name.strip() for name in text.split(",") if name.strip()}
    if not chosen or chosen - set(ENGINES):
        raise ConfigError(f"--engines {text!r}: choose from {', '.join(ENGINES)}")
    return tuple(name for name in ENGINES if name in chosen)


class LegFailed(Exception):
    pass


def run_leg(spec: LegSpec, scratch: Path) -> LegResult:
    path = scratch / "leg.json"
    path.write_text(spec.to_json(), encoding="utf-8")
    process = run_in_process("toolkit.bench.worker", path)
    if process.returncode != 0:
        raise LegFailed((process.stderr.strip().splitlines() or ["failed"])[-1][:200])
    return LegResult.from_json(json.loads(process.stdout.strip().splitlines()[-1]))


class Bench:
    """Runs legs (each `repeat` times in fresh processes, the fastest kept), once per
    engine and layout, and records them in `report`. A layout whose batches and threads
    are those of one already run is not run again (on small work several token budgets
    give the same plan): `skipped` says so."""

    def __init__(self, model_dir, checkpoint, work: BenchWork, repeat: int, scratch: Path, log):
        self.model_dir, self.checkpoint, self.work = model_dir, checkpoint, work
        self.repeat, self.scratch, self.log = repeat, scratch, log
        self.done: dict[tuple[str, str], LegResult | None] = {}
        self.plans: dict[tuple, Layout] = {}  # (engine, workers, threads, batches) → layout
        self.report = BenchReport(machine(), {})

    def leg(self, engine: str, layout: Layout, vmap: str | None = None) -> LegResult | None:
        key = (engine, str(layout))
        if key in self.done:
            return self.done[key]
        batches = self.work.batches(layout.batch_tokens, vmap)
        plan = (engine, layout.workers, layout.threads, tuple(b.members for b in batches))
        self.done[key] = None
        if plan in self.plans:
            self.report.skipped[f"{engine} {layout}"] = f"same batches as {self.plans[plan]}"
            return None
        self.plans[plan] = layout
        spec = LegSpec(
            engine,
            str(self.model_dir),
            str(self.checkpoint) if self.checkpoint else None,
            layout.workers,
            layout.threads,
            layout.batch_tokens,
            batches,
        )
        self.log(f"bench: {engine} {layout} …")
        try:
            runs = [run_leg(spec, self.scratch) for _ in range(self.repeat)]
            self.done[key] = max(runs, key=lambda run: run.tokens_per_s)
        except LegFailed as failure:
            self.report.skipped[f"{engine} {layout}"] = str(failure)
        return self.done[key]

    def sweep(self, engine: str, layouts: list[Layout]) -> LegResult | None:
        """Every layout in `report.sweeps[engine]`; the fastest is returned."""
        rows = [row for layout in layouts if (row := self.leg(engine, layout))]
        if rows:
            self.report.sweeps[engine] = rows
        return max(rows, key=lambda row: row.tokens_per_s, default=None)


def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("ctranslate2", "torch", "transformers"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "cores": cpu_threads(),
        "cpu": cpu,
        "load_average": [round(load, 2) for load in os.getloadavg()],  # a shared machine?
        "python": platform.python_version(),
        **versions,
    }


def run_bench(
    model_dir: Path,
    checkpoint: Path | None,
    sentences: int,
    beam: int,
    *,
    engines: tuple[str, ...] = ENGINES,
    layouts: tuple[Layout, ...] = (),
    repeat: int = 1,
    shape: str | None = None,
    log: Callable[[str], None] = print,
) -> BenchReport:
    from toolkit.model.store import load_model_info
    from toolkit.model.vmap import vmap_path, vmap_sha256, vmap_tokens

    info = load_model_info(model_dir)
    texts = bench_sentences(sentences)
    if not texts:
        raise ConfigError("no Arabic sentences to benchmark (inbox/ is empty)")
    work = make_work(model_dir, texts, beam)
    cores, product = cpu_threads(), Layout.configured()
    has_vmap = vmap_path(model_dir).is_file()
    has_checkpoint = bool(checkpoint and (checkpoint / "config.json").is_file())
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as scratch:
        bench = Bench(model_dir, checkpoint, work, repeat, Path(scratch), log)
        report = bench.report
        report.settings = {
            "model": str(model_dir),
            "shape": shape or info.shape,
            "synthetic": info.synthetic,
            "quantization": info.quantization,
            "sentences": work.sentences,
            "segments": len(work.segments),
            "target_tokens": work.target_tokens,
            "forced_length": FORCED_LENGTH_RULE,
            "beam": beam,
            "cores": cores,
            "layout": str(product),
            "layout_from": LAYOUT_ENV if setting(LAYOUT_ENV) else "default",
            "raw_layout": str(raw_layout(cores, product.batch_tokens)),
            "transformers_batch_tokens": list(TRANSFORMERS_BATCH_TOKENS),
            "vmap_tokens": vmap_tokens(model_dir) if has_vmap else None,
            "repeat": repeat,
        }
        rows: list[LegResult | None] = []
        if TOOLKIT in engines:
            rows.append(bench.leg(TOOLKIT, product))
            if layouts:
                bench.sweep(TOOLKIT, list(layouts))
        if CT2_INT8 in engines:
            rows.append(bench.leg(CT2_INT8, raw_layout(cores, product.batch_tokens)))
        if TOOLKIT_VMAP in engines:
            if has_vmap:
                rows.append(bench.leg(TOOLKIT_VMAP, product, vmap_sha256(model_dir)))
            else:
                report.skipped[TOOLKIT_VMAP] = f"no vmap.txt: run `toolkit model vmap {model_dir}`"
        if CT2_FLOAT32 in engines:
            rows.append(bench.leg(CT2_FLOAT32, raw_layout(cores, product.batch_tokens)))
        if TRANSFORMERS in engines:
            if has_checkpoint:
                sizes = [Layout(1, cores, tokens) for tokens in TRANSFORMERS_BATCH_TOKENS]
                rows.append(bench.sweep(TRANSFORMERS, sizes))
            else:
                report.skipped[TRANSFORMERS] = "no Hugging Face checkpoint (--checkpoint DIR)"
        report.engines = [row for row in rows if row is not None]
    return report
