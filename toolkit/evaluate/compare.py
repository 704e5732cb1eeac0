"""Models side by side: `toolkit eval REFS.tsv --model A --model B …`.

Each model is evaluated in its own process (`python -m toolkit.evaluate.compare SPEC.json`,
as the bench runs its legs), so that its peak RSS (VmHWM) is its own and no model's memory
or threads weigh on the next one. The process translates every reference row with the full
pipeline in each configuration (the chosen glossary strategy, or all of them, then no
glossary) and reports the scores, the flag rates, its target tokens per second (over every
configuration: tokenizing, glossary and decoding included) and its peak RSS.
"""

import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError, ToolkitError
from toolkit.evaluate import ConfigResult, Segment, evaluate, read_references
from toolkit.glossary.enforce import STRATEGIES
from toolkit.pipeline import Pipeline, load_pipeline, plan_pipeline
from toolkit.processes import peak_rss_mb, run_in_process


@dataclass
class EvalSpec:
    """What one model's process evaluates."""

    refs: str
    model: str
    glossary: list[str] | None = None  # None: the default glossaries
    no_glossary: bool = False
    enforce: str = "combined"
    beam: int = 4
    vmap: bool = False
    compare: bool = False  # every glossary strategy, not just `enforce`


@dataclass
class ModelRow:
    """One model's results: `results[0]` is its row in the table."""

    model: dict  # path, name, sha256, quantization, synthetic, shape
    results: list[ConfigResult] = field(default_factory=list)
    target_tokens: int = 0
    translate_s: float = 0.0
    tokens_per_s: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def meaningful(self) -> bool:
        return not self.model["synthetic"]

    def to_json(self) -> dict:
        return {**asdict(self), "meaningful": self.meaningful}

    @classmethod
    def from_json(cls, data: dict) -> "ModelRow":
        data = {key: value for key, value in data.items() if key != "meaningful"}
        data["results"] = [
            ConfigResult(
                result["config"],
                result["scores"],
                [Segment(**segment) for segment in result["segments"]],
            )
            for result in data["results"]
        ]
        return cls(**data)


class CountingExecutor:
    """The engine's own executor, counting the target tokens of the best hypotheses."""

    def __init__(self, inner):
        self.inner, self.settings, self.tokens = inner, inner.settings, 0

    def run(self, batches):
        for result in self.inner.run(batches):
            self.tokens += sum(len(hypotheses[0]) for hypotheses in result.hypotheses if hypotheses)
            yield result


def evaluate_model(spec: EvalSpec) -> ModelRow:
    """Every configuration of `spec` on one model, in this process."""
    references = read_references(Path(spec.refs))
    glossary = [Path(path) for path in spec.glossary] if spec.glossary is not None else None
    plan = plan_pipeline(
        Path(spec.model), spec.beam, glossary, spec.no_glossary, spec.enforce, spec.vmap, warn
    )
    base = load_pipeline(plan, warn)
    configs = []
    if base.glossary is not None:
        names = [n for n in STRATEGIES if n != "none"] if spec.compare else [spec.enforce]
        configs = [(f"glossary: {name}", base.glossary, STRATEGIES[name]) for name in names]
    configs.append(("no glossary", None, STRATEGIES["none"]))
    counter = CountingExecutor(base.engine.executor)
    info = base.engine.info
    row = ModelRow(
        {
            "path": spec.model,
            "name": info.name,
            "sha256": info.model_sha256,
            "quantization": info.quantization,
            "synthetic": info.synthetic,
            "shape": info.shape,
        }
    )
    base.engine.translator  # noqa: B018 - load it now: loading is not translating
    started = time.perf_counter()
    for name, glossary_, strategy in configs:
        pipeline = Pipeline(base.engine, base.options, glossary_, strategy, executor=counter)
        row.results.append(evaluate(references, pipeline, name))
    row.translate_s = round(time.perf_counter() - started, 3)
    row.target_tokens = counter.tokens
    row.tokens_per_s = round(counter.tokens / row.translate_s, 2) if row.translate_s else 0.0
    row.peak_rss_mb = round(peak_rss_mb(), 1)
    return row


def compare_models(specs: list[EvalSpec]) -> list[ModelRow]:
    """One process per model, one after the other (they would share the cores otherwise)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="toolkit-eval-") as scratch:
        for number, spec in enumerate(specs):
            path = Path(scratch) / f"model-{number}.json"
            path.write_text(json.dumps(asdict(spec)), encoding="utf-8")
            process = run_in_process("toolkit.evaluate.compare", path)
            if process.returncode != 0:
                lines = [line for line in process.stderr.splitlines() if line.strip()]
                why = lines[-1] if lines else f"exit {process.returncode}"
                error = ConfigError if process.returncode == 2 else ToolkitError
                raise error(f"eval of {spec.model} failed: {why.removeprefix('error: ')}")
            rows.append(ModelRow.from_json(json.loads(process.stdout.strip().splitlines()[-1])))
    return rows


def warn(message: str) -> None:
    print(f"toolkit: warning: {message}", file=sys.stderr)


def main() -> None:
    spec = EvalSpec(**json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    try:
        row = evaluate_model(spec)
    except ToolkitError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    print(json.dumps(row.to_json(), ensure_ascii=False))


if __name__ == "__main__":
    main()
