"""`toolkit bench` plumbing on the tiny model: every leg does exactly the same work."""

import json

import pytest
from conftest import REPO, invoke

from toolkit.bench import select_engines
from toolkit.bench.work import make_work
from toolkit.errors import ConfigError


@pytest.fixture(scope="module")
def tiny_with_checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    result = invoke(
        "model", "synth", "--shape", "tiny", "-o", root / "ct2", "--checkpoint", root / "hf"
    )
    assert result.exit_code == 0, result.output
    return root / "ct2", root / "hf"


def test_the_work_is_cut_like_the_engine_cuts_and_every_plan_holds_all_of_it(
    tiny_with_checkpoint,
):
    model, _ = tiny_with_checkpoint
    sentences = ["اعتقلت الشرطة ثلاثة رجال يشتبه في تمويلهم تنظيم داعش."] * 3 + [
        "قال المسؤول إن " * 200
    ]
    work = make_work(model, sentences, beam=2)
    assert len(work.segments) > len(sentences)  # the long one was cut like the engine cuts it
    for segment in work.segments:
        assert segment.tokens[-1] == "</s>" and len(segment.tokens) <= 256
        assert segment.forced_length >= 1.3 * len(segment.tokens) + 2
        assert segment.forced_length % 8 == 0
    for budget in (64, 512, 4096):
        batches = work.batches(budget)
        members = sorted(member for batch in batches for member in batch.members)
        assert members == list(range(len(work.segments)))
        for batch in batches:
            assert batch.source_tokens <= budget or len(batch.sources) == 1
            assert batch.min_decoding_length == batch.max_decoding_length  # forced
            assert batch.beam_size == 2 and not batch.use_vmap
    assert all(batch.use_vmap for batch in work.batches(512, vmap="digest"))


@pytest.fixture(scope="module")
def full_report(tiny_with_checkpoint):
    model, checkpoint = tiny_with_checkpoint
    assert invoke("model", "vmap", model).exit_code == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        result = invoke(
            "bench",
            "--model",
            model,
            "--checkpoint",
            checkpoint,
            "--sentences",
            "4",
            "--beam",
            "2",
            "--layouts",
            "1x1:64,2x1:128",
            "--json",
        )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bench_json_has_every_leg_with_what_it_used(full_report):
    report = full_report
    assert set(report) >= {
        "machine",
        "settings",
        "engines",
        "skipped",
        "ratios",
        "sweeps",
        "goals",
        "nightly",
    }
    engines = {e["engine"]: e for e in report["engines"]}
    assert set(engines) == {
        "toolkit-int8",
        "toolkit-int8-vmap",
        "ct2-int8",
        "ct2-float32",
        "transformers-fp32",
    }, report["skipped"]
    for engine in engines.values():
        assert engine["tokens_per_s"] > 0 and engine["peak_rss_mb"] > 20
        assert engine["workers"] >= 1 and engine["threads"] >= 1 and engine["batch_tokens"] >= 16
    settings = report["settings"]
    assert engines["toolkit-int8"]["batch_tokens"] == int(settings["layout"].split(":")[1])
    # the raw legs decode the very same batches as the product
    assert engines["ct2-int8"]["batches"] == engines["toolkit-int8"]["batches"]
    assert report["ratios"]["transformers-fp32"] == {"tokens_per_s": 1.0, "peak_rss": 1.0}
    assert settings["synthetic"] is True and report["machine"]["cores"] >= 1
    assert settings["vmap_tokens"] > 0 and len(report["machine"]["load_average"]) == 3


def test_every_leg_did_the_same_work(full_report):
    rows = full_report["engines"] + [row for rows in full_report["sweeps"].values() for row in rows]
    assert len(rows) >= 5 + 1 + 1  # engines, a transformers row, 1x1:64 (its own workers)
    assert len({row["work_sha256"] for row in rows}) == 1  # same segments, same forced lengths
    assert {row["segments"] for row in rows} == {full_report["settings"]["segments"]}
    assert {row["target_tokens"] for row in rows} == {full_report["settings"]["target_tokens"]}


def test_the_transformers_batch_sweep_is_reported_and_its_fastest_is_the_baseline(full_report):
    sweep = full_report["sweeps"]["transformers-fp32"]
    cores = full_report["settings"]["cores"]
    assert sweep[0]["batch_tokens"] == 512
    assert_swept(full_report, "transformers-fp32", [f"1x{cores}:{n}" for n in (512, 1024, 2048)])
    baseline = next(e for e in full_report["engines"] if e["engine"] == "transformers-fp32")
    assert baseline == max(sweep, key=lambda row: row["tokens_per_s"])
    assert_swept(full_report, "toolkit-int8", ["1x1:64", "2x1:128"])


def assert_swept(report: dict, engine: str, layouts: list[str]) -> None:
    """Every layout was run, or not re-run because an earlier one had the same batches."""
    run = {f"{r['workers']}x{r['threads']}:{r['batch_tokens']}" for r in report["sweeps"][engine]}
    for layout in layouts:
        assert layout in run or report["skipped"][f"{engine} {layout}"].startswith(
            "same batches as"
        ), layout


def test_the_table_shows_engines_and_sweeps(tiny_with_checkpoint, monkeypatch):
    model, _ = tiny_with_checkpoint
    monkeypatch.chdir(REPO)
    result = invoke(
        "bench",
        "--model",
        model,
        "--sentences",
        "2",
        "--beam",
        "1",
        "--engines",
        "toolkit-int8",
        "--layouts",
        "1x1:32",
    )
    assert result.exit_code == 0, result.output
    assert "| toolkit-int8 |" in result.stdout and "toolkit-int8 sweep:" in result.stdout
    assert "| 1×1 | 32 |" in result.stdout


def test_without_checkpoint_or_vmap_those_legs_are_skipped_with_a_reason(tiny_model, monkeypatch):
    monkeypatch.chdir(REPO)
    result = invoke(
        "bench",
        "--model",
        tiny_model,
        "--sentences",
        "2",
        "--beam",
        "1",
        "--engines",
        "toolkit-int8-vmap,transformers-fp32,ct2-int8",
        "--json",
    )
    report = json.loads(result.stdout)
    assert "checkpoint" in report["skipped"]["transformers-fp32"] and report["ratios"] == {}
    assert "toolkit model vmap" in report["skipped"]["toolkit-int8-vmap"]
    assert [e["engine"] for e in report["engines"]] == ["ct2-int8"]


def test_engine_selection():
    assert select_engines("ct2-int8, toolkit-int8") == ("toolkit-int8", "ct2-int8")
    assert len(select_engines(None)) == 5
    with pytest.raises(ConfigError, match="choose from"):
        select_engines("ct2-int4")


def test_a_shape_builds_its_own_bench_model_and_reports_goals_and_the_night(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # models/bench-tiny is built here, not in the checkout
    result = invoke(
        "bench",
        "--shape",
        "tiny",
        "--sentences",
        "3",
        "--beam",
        "1",
        "--engines",
        "toolkit-int8,ct2-int8,transformers-fp32",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (tmp_path / "models" / "bench-tiny" / "model.bin").is_file()
    assert report["settings"]["shape"] == "tiny"
    assert [e["engine"] for e in report["engines"]] == [
        "toolkit-int8",
        "ct2-int8",
        "transformers-fp32",
    ], report["skipped"]
    goals = report["goals"]
    assert set(goals) == {"speedup_vs_transformers", "rss_vs_transformers", "speed_vs_ct2_int8"}
    assert goals["speedup_vs_transformers"]["goal"] == 5.0
    for goal in goals.values():
        assert set(goal) == {"value", "goal", "met"} and isinstance(goal["met"], bool)
    night = report["nightly"]
    product = report["engines"][0]
    per_sentence = report["settings"]["target_tokens"] / report["settings"]["sentences"]
    expected = 100 * 17 * per_sentence / product["tokens_per_s"]
    assert night["seconds_per_100_articles"] == pytest.approx(expected, rel=0.01, abs=0.05)  # 0.1 s
    assert night["night_seconds"] == pytest.approx(2 * expected, rel=0.01)
    assert night["fits"] == (night["night_seconds"] <= 1800)

    text = invoke(
        "bench", "--shape", "tiny", "--sentences", "2", "--beam", "1", "--engines", "toolkit-int8"
    )
    assert text.exit_code == 0, text.output
    assert "shape tiny" in text.stdout and "nightly estimate:" in text.stdout
    assert "s per 100 articles" in text.stdout


def test_an_unknown_shape_is_a_usage_error():
    result = invoke("bench", "--shape", "opus-mt-xx")
    assert result.exit_code == 2 and "--shape" in result.output


def test_the_names_leg_reports_each_part_of_the_brief_per_article(monkeypatch):
    monkeypatch.chdir(REPO)  # the sample inbox (and ../shared/articles when present)
    result = invoke("bench", "--names", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ms = report["ms_per_article"]
    assert report["articles"] >= 3 and report["sentences"] > report["articles"]
    assert set(ms) == {"brief_before", "names", "quotes", "brief_after"}
    assert ms["brief_after"] >= ms["brief_before"] > 0 and ms["names"] > 0
    assert report["ratio"] == pytest.approx(ms["brief_after"] / ms["brief_before"], abs=0.02)
