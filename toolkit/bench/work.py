"""The work every leg of `toolkit bench` does, planned once with the product's own code.

Arabic sentences (the sample inbox, ../shared/articles when present, the dev set) are cut
into model inputs by `Engine.segment_inputs`, as in a nightly run. Each segment gets its
own output length, L = 1.3 × source tokens + 2 (a typical English/Arabic token ratio)
rounded up to a multiple of 8 so that similar segments can share batches, forced as both
the minimum and the maximum decoding length (`SegmentInput.forced_length`): random weights
would otherwise make output lengths arbitrary. `plan_batches` packs them; a batch holds
segments of one L only, so every leg — whatever its batch size — decodes the same segments
to the same number of target tokens.
"""

import math
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.ingest import ingest_bytes
from toolkit.ingest.files import folder_files, read_file
from toolkit.model.references import read_references
from toolkit.model.synth import default_corpus
from toolkit.translate.engine import MODEL_POSITIONS, DecodingOptions, Engine, Layout
from toolkit.translate.plan import Batch, SegmentInput, plan_batches

LENGTH_RATIO, LENGTH_MARGIN, LENGTH_STEP = 1.3, 2, 8
FORCED_LENGTH_RULE = (
    f"{LENGTH_RATIO} x source tokens + {LENGTH_MARGIN}, rounded up to a multiple of {LENGTH_STEP}"
)
SENTENCE_SOURCES = (Path("inbox"), Path("../shared/articles"))


def forced_length(source_tokens: int) -> int:
    wanted = LENGTH_RATIO * source_tokens + LENGTH_MARGIN
    return min(MODEL_POSITIONS, LENGTH_STEP * math.ceil(wanted / LENGTH_STEP))


def sample_articles() -> list[Article]:
    """The articles of the sample inbox and ../shared/articles (when present); a file that
    cannot be read is left out."""
    articles: list[Article] = []
    for folder in SENTENCE_SOURCES:
        if folder.is_dir():
            for entry in folder_files(folder):
                try:
                    data = read_file(entry.target or entry.path, entry.name)
                    articles += ingest_bytes(data, entry.name, str(entry.path)).articles
                except InputError:
                    continue
    return articles


def bench_sentences(limit: int) -> list[str]:
    sentences = [s.ar for a in sample_articles() for s in a.all_sentences() if s.ar]
    sentences += [r.arabic for r in read_references(default_corpus()[0])]
    return sentences[:limit]


@dataclass(frozen=True)
class BenchWork:
    """The segments to decode, each with its forced output length, and the beam."""

    sentences: int
    segments: tuple[SegmentInput, ...]
    options: DecodingOptions

    @property
    def target_tokens(self) -> int:
        return sum(segment.forced_length or 0 for segment in self.segments)

    def batches(self, batch_tokens: int, vmap: str | None = None) -> list[Batch]:
        """The product's batch plan of this work at `batch_tokens` (restricted to the model's
        vocabulary map when `vmap` is its digest)."""
        options = replace(self.options, vmap=vmap)
        return list(plan_batches(list(self.segments), options, batch_tokens))


def make_work(model_dir: Path, sentences: list[str], beam: int) -> BenchWork:
    options = DecodingOptions(beam_size=beam)
    engine = Engine(model_dir, layout=Layout(1, 1, Layout.BATCH_TOKENS))  # for its tokenizer
    segments = tuple(
        replace(segment, forced_length=forced_length(len(segment.tokens)))
        for sentence in sentences
        for segment in engine.segment_inputs(sentence, options)
    )
    return BenchWork(len(sentences), segments, options)
