"""The bench's results: `BenchReport` (the `toolkit bench --json` document) and its tables."""

from dataclasses import asdict, dataclass, field

from toolkit.bench.legs import CT2_INT8, TOOLKIT, TRANSFORMERS, LegResult

BASELINE = TRANSFORMERS
# A night: 200 articles of about 17 sentences (3,400 sentences) within 30 minutes.
SENTENCES_PER_ARTICLE = 17
NIGHT_ARTICLES, NIGHT_BUDGET_S = 200, 1800
# The product path against the others, per shape (issue #18)
GOAL_SPEEDUP, GOAL_RSS_SHARE, GOAL_RAW_SHARE = 5.0, 1 / 3, 0.9


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

    def row(self, engine: str) -> LegResult | None:
        return next((e for e in self.engines if e.engine == engine), None)

    def nightly(self) -> dict | None:
        """What toolkit-int8's speed on this work means for a night: the work's target tokens
        per sentence (forced lengths) × 17 sentences an article."""
        product = self.row(TOOLKIT)
        if product is None or not self.settings.get("sentences"):
            return None
        per_sentence = self.settings["target_tokens"] / self.settings["sentences"]
        per_article_s = SENTENCES_PER_ARTICLE * per_sentence / product.tokens_per_s
        night_s = NIGHT_ARTICLES * per_article_s
        return {
            "target_tokens_per_sentence": round(per_sentence, 1),
            "sentences_per_article": SENTENCES_PER_ARTICLE,
            "seconds_per_100_articles": round(100 * per_article_s, 1),
            "night_articles": NIGHT_ARTICLES,
            "night_seconds": round(night_s, 1),
            "night_budget_seconds": NIGHT_BUDGET_S,
            "fits": night_s <= NIGHT_BUDGET_S,
        }

    def goals(self) -> dict[str, dict]:
        """toolkit-int8 ≥ 5× transformers-fp32's tokens/s, ≤ 1/3 of its peak RSS, and ≥ 90 %
        of raw CTranslate2 int8's tokens/s; only those the legs run can be checked."""
        product, base, raw = self.row(TOOLKIT), self.row(BASELINE), self.row(CT2_INT8)
        if product is None:
            return {}
        checks = {}
        if base is not None:
            speedup = product.tokens_per_s / base.tokens_per_s
            rss = product.peak_rss_mb / base.peak_rss_mb
            checks["speedup_vs_transformers"] = (speedup, GOAL_SPEEDUP, speedup >= GOAL_SPEEDUP)
            checks["rss_vs_transformers"] = (rss, GOAL_RSS_SHARE, rss <= GOAL_RSS_SHARE)
        if raw is not None:
            share = product.tokens_per_s / raw.tokens_per_s
            checks["speed_vs_ct2_int8"] = (share, GOAL_RAW_SHARE, share >= GOAL_RAW_SHARE)
        return {
            name: {"value": round(value, 2), "goal": round(goal, 2), "met": met}
            for name, (value, goal, met) in checks.items()
        }

    def to_json(self) -> dict:
        return {
            "machine": self.machine,
            "settings": self.settings,
            "engines": [asdict(e) for e in self.engines],
            "sweeps": {name: [asdict(e) for e in rows] for name, rows in self.sweeps.items()},
            "skipped": self.skipped,
            "ratios": self.ratios(),
            "goals": self.goals(),
            "nightly": self.nightly(),
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
        f"shape {s['shape']}" if s.get("shape") else f"model {s['model']}",
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
    goals = report.goals()
    if goals:
        lines += [
            "",
            "goals (toolkit-int8): "
            + "; ".join(
                f"{name} {goal['value']} (goal {goal['goal']}: "
                + ("met)" if goal["met"] else "MISSED)")
                for name, goal in goals.items()
            ),
        ]
    nightly = report.nightly()
    if nightly:
        lines += [
            "",
            f"nightly estimate: {nightly['seconds_per_100_articles']:.0f} s per 100 articles "
            f"({nightly['sentences_per_article']} sentences, "
            f"{nightly['target_tokens_per_sentence']} target tokens each); a night of "
            f"{nightly['night_articles']} articles ≈ {nightly['night_seconds'] / 60:.1f} min "
            f"({'within' if nightly['fits'] else 'OVER'} the "
            f"{nightly['night_budget_seconds'] // 60} min budget)",
        ]
    return "\n".join(lines)
