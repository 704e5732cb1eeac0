"""One leg of `toolkit bench`, run in its own process so that its peak RSS is its own.

Usage: python -m toolkit.bench.worker LEG.json → one JSON line (a LegResult) on stdout.
The leg file holds the engine, its layout and the batches planned by the parent; every
batch fixes its source tokens and forces its output length (min = max decoding length).
"""

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from toolkit.bench.legs import (
    CT2_FLOAT32,
    CT2_INT8,
    TOOLKIT,
    TOOLKIT_VMAP,
    TRANSFORMERS,
    LegResult,
    LegSpec,
)
from toolkit.processes import peak_rss_mb


def run_toolkit(leg: LegSpec) -> Callable[[], int]:
    """The product's path: Engine + its executor (batches handed over as the nightly job
    does), at the leg's layout."""
    from toolkit.translate.engine import Engine, Layout

    layout = Layout(leg.workers, leg.threads, leg.batch_tokens)
    engine = Engine(Path(leg.model_dir), compute_type="int8", layout=layout)
    engine.translator  # noqa: B018 - loaded on first use: count it as load time, not decoding

    def decode() -> int:
        results = engine.executor.run(leg.batches)
        return sum(len(hypotheses[0]) for result in results for hypotheses in result.hypotheses)

    return decode


def run_ctranslate2(leg: LegSpec, compute_type: str) -> Callable[[], int]:
    """Raw CTranslate2, the ceiling: every batch handed over at once (asynchronous), so
    that all `inter_threads` workers stay busy until the last batch."""
    import ctranslate2

    translator = ctranslate2.Translator(
        leg.model_dir,
        device="cpu",
        compute_type=compute_type,
        inter_threads=leg.workers,
        intra_threads=leg.threads,
    )

    def decode() -> int:
        pending = [
            translator.translate_batch(
                [list(source) for source in batch.sources],
                beam_size=batch.beam_size,
                num_hypotheses=batch.num_hypotheses,
                min_decoding_length=batch.min_decoding_length,
                max_decoding_length=batch.max_decoding_length,
                asynchronous=True,
            )
            for batch in leg.batches
        ]
        return sum(len(job.result().hypotheses[0]) for jobs in pending for job in jobs)

    return decode


def run_transformers(leg: LegSpec) -> Callable[[], int]:
    import torch
    from transformers import MarianMTModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    torch.set_num_threads(leg.threads)
    model = MarianMTModel.from_pretrained(leg.checkpoint, dtype=torch.float32).eval()
    vocab = json.loads(Path(leg.checkpoint, "vocab.json").read_text(encoding="utf-8"))
    unk, pad = vocab["<unk>"], model.config.pad_token_id

    def decode() -> int:
        produced = 0
        with torch.inference_mode():
            for batch in leg.batches:
                ids = [[vocab.get(token, unk) for token in tokens] for tokens in batch.sources]
                width = max(map(len, ids))
                input_ids = torch.tensor([row + [pad] * (width - len(row)) for row in ids])
                mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in ids])
                output = model.generate(
                    input_ids=input_ids,
                    attention_mask=mask,
                    num_beams=batch.beam_size,
                    do_sample=False,
                    min_new_tokens=batch.min_decoding_length,
                    max_new_tokens=batch.max_decoding_length,
                )
                produced += (output.shape[1] - 1) * len(ids)  # minus the decoder start token
        return produced

    return decode


RUNNERS: dict[str, Callable[[LegSpec], Callable[[], int]]] = {
    TOOLKIT: run_toolkit,
    TOOLKIT_VMAP: run_toolkit,  # its batches carry use_vmap
    CT2_INT8: lambda leg: run_ctranslate2(leg, "int8"),
    CT2_FLOAT32: lambda leg: run_ctranslate2(leg, "float32"),
    TRANSFORMERS: run_transformers,
}


def measure(leg: LegSpec) -> LegResult:
    started = time.perf_counter()
    decode = RUNNERS[leg.engine](leg)
    loaded = time.perf_counter()
    produced = decode()
    elapsed = time.perf_counter() - loaded
    segments = sum(len(batch.sources) for batch in leg.batches)
    return LegResult(
        engine=leg.engine,
        workers=leg.workers,
        threads=leg.threads,
        batch_tokens=leg.batch_tokens,
        batches=len(leg.batches),
        segments=segments,
        work_sha256=leg.work_sha256(),
        load_s=round(loaded - started, 3),
        translate_s=round(elapsed, 3),
        target_tokens=produced,
        tokens_per_s=round(produced / elapsed, 2),
        segments_per_s=round(segments / elapsed, 3),
        peak_rss_mb=round(peak_rss_mb(), 1),
    )


def main() -> None:
    leg = LegSpec.from_json(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(asdict(measure(leg))))


if __name__ == "__main__":
    main()
