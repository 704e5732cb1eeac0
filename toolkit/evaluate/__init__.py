"""Evaluation against references: `toolkit eval REFS.tsv`.

REFS.tsv columns: id, arabic, english, terms (comma-separated canonical English names the
translation must contain). Each configuration (glossary strategy, or none) translates every
row with the full pipeline; metrics are small classes in metrics.py.
"""

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.document import Article, Sentence, Source
from toolkit.errors import ConfigError
from toolkit.evaluate.metrics import FLAG_METRICS, METRICS, TermAccuracy
from toolkit.pipeline import Pipeline
from toolkit.state.tsv import read_tsv

COLUMNS = ("id", "arabic", "english", "terms")


@dataclass(frozen=True)
class Reference:
    id: str
    arabic: str
    english: str
    terms: tuple[str, ...]


def read_references(path: Path) -> list[Reference]:
    """Parse REFS.tsv; any problem is a ConfigError naming file and line."""
    references: list[Reference] = []
    seen: set[str] = set()
    for row in read_tsv(path, COLUMNS, what="references file").check():
        identifier, arabic, english, terms = row.cells
        for name, value in (("id", identifier), ("arabic", arabic), ("english", english)):
            if not value:
                raise ConfigError(f"{row.where}: empty {name}")
        if identifier in seen:
            raise ConfigError(f"{row.where}: duplicate id {identifier!r}")
        seen.add(identifier)
        references.append(
            Reference(
                identifier, arabic, english, tuple(t.strip() for t in terms.split(",") if t.strip())
            )
        )
    if not references:
        raise ConfigError(f"{path}: no reference rows")
    return references


@dataclass
class Segment:
    id: str
    hypothesis: str
    reference: str
    scores: dict[str, float]
    terms: dict[str, bool]
    flags: list[str] = field(default_factory=list)


@dataclass
class ConfigResult:
    config: str
    scores: dict[str, float]
    segments: list[Segment] = field(default_factory=list)


def evaluate(references: list[Reference], pipeline: Pipeline, config: str) -> ConfigResult:
    sentences = [
        Sentence(ar=r.arabic, original=r.arabic, paragraph=i) for i, r in enumerate(references)
    ]
    article = Article(
        id="eval",
        source=Source(path="eval", sha256="", encoding="utf-8"),
        headline=Sentence(ar="", paragraph=-1),
        sentences=sentences,
    )
    pipeline.translate([[article]])
    hypotheses = [s.en for s in sentences]
    targets = [r.english for r in references]
    expected = [r.terms for r in references]
    metrics = [metric() for metric in METRICS]
    flag_metrics = [metric() for metric in FLAG_METRICS]
    flags = [list(s.flags) for s in sentences]
    result = ConfigResult(
        config,
        {m.name: m.corpus(hypotheses, targets, expected) for m in metrics}
        | {m.name: m.corpus(flags) for m in flag_metrics},
    )
    for reference, hypothesis, raised in zip(references, hypotheses, flags, strict=True):
        result.segments.append(
            Segment(
                id=reference.id,
                hypothesis=hypothesis,
                reference=reference.english,
                scores={
                    m.name: m.segment(hypothesis, reference.english, reference.terms)
                    for m in metrics
                },
                terms={t: TermAccuracy.found(t, hypothesis) for t in reference.terms},
                flags=raised,
            )
        )
    return result
