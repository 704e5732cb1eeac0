"""One engine's leg of `toolkit bench`, run in its own process so that its peak RSS is its own.

Usage: python -m toolkit.bench.worker ENGINE PLAN.json → one JSON line on stdout.
The plan fixes the batches, their source tokens and one forced output length per batch
(min = max decoding length), so every engine does exactly the same work.
"""

import json
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """VmHWM: this process image's peak RSS (ru_maxrss would include the parent's, as it
    survives execve on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ctranslate2(plan: dict, compute_type: str) -> dict:
    import ctranslate2

    started = time.perf_counter()
    translator = ctranslate2.Translator(
        plan["model_dir"],
        device="cpu",
        compute_type=compute_type,
        inter_threads=1,
        intra_threads=plan["threads"],
    )
    loaded = time.perf_counter()
    produced = 0
    for batch in plan["batches"]:
        outputs = translator.translate_batch(
            batch["tokens"],
            beam_size=plan["beam"],
            min_decoding_length=batch["length"],
            max_decoding_length=batch["length"],
        )
        produced += sum(len(output.hypotheses[0]) for output in outputs)
    return {
        "load_s": loaded - started,
        "translate_s": time.perf_counter() - loaded,
        "target_tokens": produced,
    }


def run_transformers(plan: dict) -> dict:
    import torch
    from transformers import MarianMTModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    torch.set_num_threads(plan["threads"])
    started = time.perf_counter()
    model = MarianMTModel.from_pretrained(plan["checkpoint"], dtype=torch.float32).eval()
    vocab = json.loads(Path(plan["checkpoint"], "vocab.json").read_text(encoding="utf-8"))
    unk, pad = vocab["<unk>"], model.config.pad_token_id
    loaded = time.perf_counter()
    produced = 0
    with torch.inference_mode():
        for batch in plan["batches"]:
            ids = [[vocab.get(token, unk) for token in tokens] for tokens in batch["tokens"]]
            width = max(map(len, ids))
            input_ids = torch.tensor([row + [pad] * (width - len(row)) for row in ids])
            mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in ids])
            output = model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                num_beams=plan["beam"],
                do_sample=False,
                min_new_tokens=batch["length"],
                max_new_tokens=batch["length"],
            )
            produced += (output.shape[1] - 1) * output.shape[0]  # minus the decoder start token
    return {
        "load_s": loaded - started,
        "translate_s": time.perf_counter() - loaded,
        "target_tokens": produced,
    }


def main() -> None:
    engine, plan_path = sys.argv[1], sys.argv[2]
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    if engine == "ct2-int8":
        result = run_ctranslate2(plan, "int8")
    elif engine == "ct2-float32":
        result = run_ctranslate2(plan, "float32")
    elif engine == "transformers-fp32":
        result = run_transformers(plan)
    else:
        raise SystemExit(f"unknown engine {engine}")
    sentences = sum(len(batch["tokens"]) for batch in plan["batches"])
    result.update(
        engine=engine,
        sentences=sentences,
        tokens_per_s=result["target_tokens"] / result["translate_s"],
        sentences_per_s=sentences / result["translate_s"],
        peak_rss_mb=peak_rss_mb(),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
