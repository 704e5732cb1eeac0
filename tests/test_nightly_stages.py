"""The nightly as a library: named stages, in order, over one run context (toolkit.nightly)."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from toolkit.nightly import STAGES, prepare_night, run_night
from toolkit.pipeline import plan_pipeline

ORDER = ["collect", "ingest", "translate", "brief", "stories", "alerts", "publish", "archive"]
DAY = "2026-11-23"
# a name that only this glossary has: a rule on it is known only to a night run with it
CUSTOM_GLOSSARY = (
    "arabic\tenglish\tkind\tvariants\tcontext\tnote\nتيليغرام\tZephyrChat\tplatform\t\t\t\n"
)


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(REPO / "inbox", folder)
    return folder


def night_over(inbox: Path, outputs: Path, model: Path, glossary: Path | None = None):
    glossary = glossary or REPO / "glossaries" / "ar-en-security.tsv"
    plan = plan_pipeline(model, 2, [glossary], False, "combined", False, warn=print)
    return prepare_night(DAY, inbox, outputs, plan)


def recorded(seen: list[tuple[str, dict]]):
    """STAGES, each noting its name and what the stages before it left on the context."""

    def wrap(name, stage):
        def run(night):
            state = {
                "run": night.run is not None,
                "articles": len(list((night.folder / "articles").glob("*.json"))),
                "digest": (night.folder / "digest.md").exists(),
                "manifest": (night.folder / "manifest.json").exists(),
            }
            seen.append((name, state))
            stage(night)

        return run

    return tuple((name, wrap(name, stage)) for name, stage in STAGES)


def test_the_stages_are_named_in_pipeline_order():
    assert [name for name, _ in STAGES] == ORDER


def test_run_night_runs_every_stage_in_order_over_one_context(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    night = night_over(inbox, outputs, tiny_model)
    seen: list[tuple[str, dict]] = []
    report = run_night(night, recorded(seen))
    assert [name for name, _ in seen] == ORDER
    state = dict(seen)
    assert not state["ingest"]["run"] and state["translate"]["run"]
    # translate hands each file to brief as it is decoded: brief's own turn finds all written
    assert state["translate"]["articles"] == 0 and state["brief"]["articles"] == 3
    assert not state["publish"]["digest"] and state["archive"]["digest"]
    assert not state["archive"]["manifest"]
    manifest = json.loads((outputs / DAY / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["new"] == 3 == report.counts["new"]
    assert manifest["date"] == DAY and "stories_s" in manifest["timings"]
    assert (outputs / "archive.sqlite").is_file() and (outputs / "index.html").is_file()


def test_a_failing_stage_stops_the_night_before_the_next(tiny_model, inbox, tmp_path):
    outputs = tmp_path / "outputs"
    night = night_over(inbox, outputs, tiny_model)

    def broken(_night):
        raise RuntimeError("stories broke")

    stages = tuple((name, broken if name == "stories" else stage) for name, stage in STAGES)
    with pytest.raises(RuntimeError, match="stories broke"):
        run_night(night, stages)
    assert len(list((outputs / DAY / "articles").glob("*.json"))) == 3
    assert not (outputs / DAY / "digest.md").exists()
    assert not (outputs / DAY / "manifest.json").exists()


def test_the_runs_glossary_reaches_the_alerts_and_the_digest(
    tiny_model, inbox, tmp_path, monkeypatch
):
    glossary = tmp_path / "custom.tsv"
    glossary.write_text(CUSTOM_GLOSSARY, encoding="utf-8")
    watchlists = tmp_path / "watchlists.toml"
    watchlists.write_text('watch = ["ZephyrChat"]\n', encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_WATCHLISTS", str(watchlists))
    monkeypatch.delenv("TOOLKIT_READERS", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./readers.toml
    outputs = tmp_path / "outputs"
    night = night_over(inbox, outputs, tiny_model, glossary)
    run_night(night)
    fired = [alert for alert in night.alerts.alerts if alert.rule == "ZephyrChat"]
    assert len(fired) == 1
    assert "ZephyrChat" in (outputs / DAY / "digest.md").read_text(encoding="utf-8")
