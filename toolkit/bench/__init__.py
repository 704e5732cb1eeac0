"""`toolkit bench`: CTranslate2 int8 and float32 against transformers float32, same work.

The plan: Arabic sentences (the sample inbox, ../shared/articles when present, the dev set)
are tokenized once with source.spm (+ `</s>`) and cut to ≤256 tokens like the engine does.
Each segment gets its own output length, L = 1.3 × source tokens + 2 (a typical
English/Arabic token ratio) rounded up to a multiple of 8 so that similar segments can share
batches, forced as both the minimum and the maximum decoding length in
every engine — random weights would otherwise make output lengths arbitrary. Batches hold
segments of one L only (so forcing L per batch is forcing it per segment), length-sorted,
at most 512 source tokens. Each engine runs the same plan in its own process (clean peak
RSS) with the same beam and all cores.
"""

import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError, InputError
from toolkit.translate.engine import EOS, cpu_threads
from toolkit.translate.segment import split_for_model

ENGINES = ("ct2-int8", "ct2-float32", "transformers-fp32")
BASELINE = "transformers-fp32"
MAX_SOURCE_TOKENS = 256
MAX_BATCH_TOKENS = 512
LENGTH_RATIO, LENGTH_MARGIN, LENGTH_STEP = 1.3, 2, 8
SENTENCE_SOURCES = (Path("inbox"), Path("../shared/articles"))


@dataclass
class BenchReport:
    machine: dict
    settings: dict
    engines: list[dict] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def ratios(self) -> dict[str, dict[str, float]]:
        base = next((e for e in self.engines if e["engine"] == BASELINE), None)
        if base is None:
            return {}
        return {
            e["engine"]: {
                "tokens_per_s": round(e["tokens_per_s"] / base["tokens_per_s"], 2),
                "peak_rss": round(e["peak_rss_mb"] / base["peak_rss_mb"], 2),
            }
            for e in self.engines
        }

    def to_json(self) -> dict:
        return {**asdict(self), "ratios": self.ratios()}


def bench_sentences(limit: int) -> list[str]:
    from toolkit.evaluate import read_references
    from toolkit.ingest import ingest_file
    from toolkit.pipeline import article_files

    sentences: list[str] = []
    for folder in SENTENCE_SOURCES:
        if folder.is_dir():
            for path in article_files(folder):
                try:
                    articles = ingest_file(str(path)).articles
                except InputError:
                    continue
                sentences += [s.ar for a in articles for s in a.all_sentences() if s.ar]
    from toolkit.model.synth import default_corpus

    sentences += [r.arabic for r in read_references(default_corpus()[0])]
    return sentences[:limit]


def make_plan(model_dir: Path, checkpoint: Path | None, sentences: list[str], beam: int) -> dict:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    encode = lambda text: [*processor.encode(text, out_type=str), EOS]  # noqa: E731
    pieces = [
        encode(piece)
        for sentence in sentences
        for piece in split_for_model(sentence, lambda t: len(encode(t)), MAX_SOURCE_TOKENS)
    ]

    def forced_length(tokens: list[str]) -> int:
        wanted = LENGTH_RATIO * len(tokens) + LENGTH_MARGIN
        return min(512, LENGTH_STEP * math.ceil(wanted / LENGTH_STEP))

    pieces.sort(key=lambda tokens: (forced_length(tokens), len(tokens)))
    batches: list[list[list[str]]] = []
    current: list[list[str]] = []
    for tokens in pieces:
        full = (len(current) + 1) * len(tokens) > MAX_BATCH_TOKENS
        if current and (full or forced_length(tokens) != forced_length(current[-1])):
            batches.append(current)
            current = []
        current.append(tokens)
    if current:
        batches.append(current)
    return {
        "model_dir": str(model_dir),
        "checkpoint": str(checkpoint) if checkpoint else None,
        "beam": beam,
        "threads": cpu_threads(),
        "batches": [
            {
                "tokens": batch,
                "length": forced_length(batch[0]),
            }
            for batch in batches
        ],
    }


def machine() -> dict:
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
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            versions[package] = None
    return {"cores": cpu_threads(), "cpu": cpu, "python": platform.python_version(), **versions}


def run_bench(
    model_dir: Path, checkpoint: Path | None, sentences: int, beam: int, log=print
) -> BenchReport:
    from toolkit.model.store import load_model_info

    info = load_model_info(model_dir)
    texts = bench_sentences(sentences)
    if not texts:
        raise ConfigError("no Arabic sentences to benchmark (inbox/ is empty)")
    plan = make_plan(model_dir, checkpoint, texts, beam)
    report = BenchReport(
        machine=machine(),
        settings={
            "model": str(model_dir),
            "synthetic": info.synthetic,
            "quantization": info.quantization,
            "sentences": len(texts),
            "segments": sum(len(b["tokens"]) for b in plan["batches"]),
            "batches": len(plan["batches"]),
            "beam": beam,
            "threads": plan["threads"],
            "max_batch_tokens": MAX_BATCH_TOKENS,
            "forced_length": f"{LENGTH_RATIO} x source tokens + {LENGTH_MARGIN}, "
            f"rounded up to a multiple of {LENGTH_STEP}",
        },
    )
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as scratch:
        plan_path = Path(scratch) / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        for engine in ENGINES:
            if engine == BASELINE and not (checkpoint and (checkpoint / "config.json").is_file()):
                report.skipped[engine] = "no Hugging Face checkpoint (--checkpoint DIR)"
                continue
            log(f"bench: {engine} …")
            process = subprocess.run(
                [sys.executable, "-m", "toolkit.bench.worker", engine, str(plan_path)],
                capture_output=True,
                text=True,
                env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
            )
            if process.returncode != 0:
                report.skipped[engine] = (process.stderr.strip().splitlines() or ["failed"])[-1][
                    :200
                ]
                continue
            report.engines.append(json.loads(process.stdout.strip().splitlines()[-1]))
    return report


def bench_table(report: BenchReport) -> str:
    ratios = report.ratios()
    lines = [
        f"| engine | load s | target tok/s | sentences/s | peak RSS MB "
        f"| tok/s vs {BASELINE} | RSS vs {BASELINE} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in report.engines:
        ratio = ratios.get(e["engine"], {})
        lines.append(
            f"| {e['engine']} | {e['load_s']:.2f} | {e['tokens_per_s']:.0f} "
            f"| {e['sentences_per_s']:.2f} | {e['peak_rss_mb']:.0f} "
            f"| {ratio.get('tokens_per_s', '–')}× | {ratio.get('peak_rss', '–')}× |"
        )
    lines += [f"| {engine} | skipped: {why} | | | | | |" for engine, why in report.skipped.items()]
    return "\n".join(lines)
