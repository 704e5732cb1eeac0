"""`toolkit bench` plumbing on the tiny model: the three engines do exactly the same work."""

import json

import pytest
from conftest import REPO, invoke

from toolkit.bench import make_plan


@pytest.fixture(scope="module")
def tiny_with_checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    result = invoke(
        "model", "synth", "--shape", "tiny", "-o", root / "ct2", "--checkpoint", root / "hf"
    )
    assert result.exit_code == 0, result.output
    return root / "ct2", root / "hf"


def test_plan_batches_share_one_forced_length_and_stay_small(tiny_with_checkpoint):
    model, checkpoint = tiny_with_checkpoint
    sentences = ["اعتقلت الشرطة ثلاثة رجال يشتبه في تمويلهم تنظيم داعش."] * 3 + [
        "قال المسؤول إن " * 200
    ]
    plan = make_plan(model, checkpoint, sentences, beam=2)
    segments = [tokens for batch in plan["batches"] for tokens in batch["tokens"]]
    assert len(segments) > len(sentences)  # the long one was cut like the engine cuts it
    for batch in plan["batches"]:
        assert all(tokens[-1] == "</s>" and len(tokens) <= 256 for tokens in batch["tokens"])
        assert sum(map(len, batch["tokens"])) <= 512 or len(batch["tokens"]) == 1
        assert all(batch["length"] >= 1.3 * len(tokens) + 2 for tokens in batch["tokens"])
        assert batch["length"] % 8 == 0


def test_every_engine_produces_the_same_tokens(tiny_with_checkpoint, monkeypatch):
    model, checkpoint = tiny_with_checkpoint
    monkeypatch.chdir(REPO)
    result = invoke(
        "bench",
        "--model",
        model,
        "--checkpoint",
        checkpoint,
        "--sentences",
        "6",
        "--beam",
        "2",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    engines = {e["engine"]: e for e in report["engines"]}
    assert set(engines) == {"ct2-int8", "ct2-float32", "transformers-fp32"}, report["skipped"]
    assert len({e["target_tokens"] for e in engines.values()}) == 1
    for engine in engines.values():
        assert (
            engine["tokens_per_s"] > 0 and engine["peak_rss_mb"] > 20 and engine["sentences"] >= 6
        )
    assert report["ratios"]["transformers-fp32"] == {"tokens_per_s": 1.0, "peak_rss": 1.0}
    assert report["settings"]["synthetic"] is True and report["machine"]["cores"] >= 1


def test_without_checkpoint_the_transformers_leg_is_skipped_with_a_reason(
    tiny_with_checkpoint, monkeypatch
):
    model, _ = tiny_with_checkpoint
    monkeypatch.chdir(REPO)
    result = invoke("bench", "--model", model, "--sentences", "2", "--beam", "1", "--json")
    report = json.loads(result.stdout)
    assert "transformers-fp32" in report["skipped"] and report["ratios"] == {}
    assert {e["engine"] for e in report["engines"]} == {"ct2-int8", "ct2-float32"}
