"""What the bench ships to a leg's process (`LegSpec`) and what comes back (`LegResult`)."""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from toolkit.translate.plan import Batch

TOOLKIT, TOOLKIT_VMAP = "toolkit-int8", "toolkit-int8-vmap"
CT2_INT8, CT2_FLOAT32 = "ct2-int8", "ct2-float32"
TRANSFORMERS = "transformers-fp32"
ENGINES = (TOOLKIT, TOOLKIT_VMAP, CT2_INT8, CT2_FLOAT32, TRANSFORMERS)


@dataclass
class LegSpec:
    """One engine at one layout, with the batches it must decode."""

    engine: str
    model_dir: str
    checkpoint: str | None
    workers: int
    threads: int
    batch_tokens: int
    batches: list[Batch] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "LegSpec":
        data = json.loads(text)
        data["batches"] = [batch_from_json(batch) for batch in data["batches"]]
        return cls(**data)

    def work_sha256(self) -> str:
        """Identifies the work whatever the batching: every segment's source tokens and its
        decoding length bounds, sorted."""
        work = sorted(
            [list(source), batch.min_decoding_length, batch.max_decoding_length]
            for batch in self.batches
            for source in batch.sources
        )
        return hashlib.sha256(json.dumps(work).encode()).hexdigest()


def batch_from_json(data: dict) -> Batch:
    tuples = {
        "members": tuple(data["members"]),
        "sources": tuple(map(tuple, data["sources"])),
        "suppress": tuple(map(tuple, data["suppress"])),
    }
    return Batch(**{**data, **tuples})


@dataclass
class LegResult:
    engine: str
    workers: int
    threads: int
    batch_tokens: int
    batches: int
    segments: int
    work_sha256: str
    load_s: float
    translate_s: float
    target_tokens: int
    tokens_per_s: float
    segments_per_s: float
    peak_rss_mb: float

    @property
    def layout(self) -> str:
        return f"{self.workers}x{self.threads}:{self.batch_tokens}"

    @classmethod
    def from_json(cls, data: dict) -> "LegResult":
        return cls(**data)
