"""The bench's results: `BenchReport` (the `toolkit bench --json` document) and its tables."""

from dataclasses import asdict, dataclass, field

from toolkit.bench.legs import TRANSFORMERS, LegResult

BASELINE = TRANSFORMERS


@dataclass
class BenchReport:
    machine: dict
    settings: dict
    engines: list[LegResult] = field(default_factory=list)  # one row per engine
    # every row of a swept engine: transformers' batch sizes, toolkit-int8's --layouts
    sweeps: dict[str, list[LegResult]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def ratios(self) -> dict[str, dict[str, float]]:
        base = next((e for e in self.engines if e.engine == BASELINE), None)
        if base is None:
            return {}
        return {
            e.engine: {
                "tokens_per_s": round(e.tokens_per_s / base.tokens_per_s, 2),
                "peak_rss": round(e.peak_rss_mb / base.peak_rss_mb, 2),
            }
            for e in self.engines
        }

    def to_json(self) -> dict:
        return {
            "machine": self.machine,
            "settings": self.settings,
            "engines": [asdict(e) for e in self.engines],
            "sweeps": {name: [asdict(e) for e in rows] for name, rows in self.sweeps.items()},
            "skipped": self.skipped,
            "ratios": self.ratios(),
        }


def _layout(row: LegResult) -> str:
    return f"{row.workers}×{row.threads}"


def engines_table(report: BenchReport) -> str:
    ratios = report.ratios()
    lines = [
        f"| engine | workers×threads | batch tokens | load s | target tok/s | peak RSS MB "
        f"| tok/s vs {BASELINE} | RSS vs {BASELINE} |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in report.engines:
        ratio = ratios.get(e.engine, {})
        lines.append(
            f"| {e.engine} | {_layout(e)} | {e.batch_tokens} | {e.load_s:.2f} "
            f"| {e.tokens_per_s:.0f} | {e.peak_rss_mb:.0f} "
            f"| {ratio.get('tokens_per_s', '–')}× | {ratio.get('peak_rss', '–')}× |"
        )
    lines += [
        f"| {engine} | skipped: {why} | | | | | | |" for engine, why in report.skipped.items()
    ]
    return "\n".join(lines)


def sweep_table(report: BenchReport, engine: str) -> str:
    rows = report.sweeps[engine]
    best = max(rows, key=lambda row: row.tokens_per_s)
    lines = [
        f"{engine} sweep:",
        "| workers×threads | batch tokens | batches | target tok/s | peak RSS MB | |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {_layout(row)} | {row.batch_tokens} | {row.batches} | {row.tokens_per_s:.0f} "
        f"| {row.peak_rss_mb:.0f} | {'fastest' if row is best else ''} |"
        for row in rows
    ]
    return "\n".join(lines)


def bench_text(report: BenchReport, date: str) -> str:
    m, s = report.machine, report.settings
    lines = [
        f"{date} · {m['cores']} cores · {m['cpu']} · load average {m['load_average']} · "
        f"ctranslate2 {m['ctranslate2']}, torch {m['torch']}, transformers {m['transformers']}",
        f"{s['sentences']} sentences → {s['segments']} segments, {s['target_tokens']} forced "
        f"target tokens ({s['forced_length']}), beam {s['beam']}, best of {s['repeat']}"
        + (" (synthetic model)" if s["synthetic"] else ""),
        "",
        engines_table(report),
    ]
    for engine in report.sweeps:
        lines += ["", sweep_table(report, engine)]
    return "\n".join(lines)
