"""`toolkit model fetch` (and `make nightly`'s first step) against a real HTTP hub on loopback.

The hub (tests/hub.py) serves a tiny synthetic checkpoint in Helsinki-NLP/opus-mt-ar-en's
layout, and one of reduced dimensions in Helsinki-NLP/opus-mt-tc-big-ar-en's (its file names,
config keys, special-token ids, fp16 weights; a real-sized one would be ~1 GB);
huggingface_hub talks to it through HF_ENDPOINT exactly as it would to the real one.
"""

import hashlib
import io
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import fresh_clone, invoke
from hub import TC_BIG_LFS, TC_BIG_NEEDED, TC_BIG_REPO, FakeHub, tc_big_layout, tc_big_test_shape

from toolkit.model.store import DEFAULT_REPO, MANIFEST_NAME, model_folder
from toolkit.model.synth import SHAPES, build_checkpoint, default_corpus

REPO_ID = "Helsinki-NLP/opus-mt-ar-en"
NEEDED = [
    "config.json",
    "generation_config.json",
    "pytorch_model.bin",
    "source.spm",
    "target.spm",
    "tokenizer_config.json",
    "vocab.json",
]
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def torch_weights(safetensors: bytes, shift: float = 0.0) -> bytes:
    """pytorch_model.bin holding the same (or shifted) tensors as a model.safetensors."""
    import torch
    from safetensors.torch import load

    state = {name: tensor + shift for name, tensor in load(safetensors).items()}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def hub_checkpoint(tmp_path_factory) -> dict[str, bytes]:
    """The files of a tiny synthetic Marian checkpoint (model.safetensors among them)."""
    folder = tmp_path_factory.mktemp("hub-checkpoint")
    build_checkpoint(SHAPES["tiny"], default_corpus(), seed=0, directory=folder)
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


@pytest.fixture(scope="session")
def opus_layout(hub_checkpoint) -> dict[str, bytes]:
    """Helsinki-NLP/opus-mt-ar-en's files: PyTorch weights, plus TF and Rust ones we never need."""
    files = {name: data for name, data in hub_checkpoint.items() if name != "model.safetensors"}
    files["pytorch_model.bin"] = torch_weights(hub_checkpoint["model.safetensors"])
    files["tf_model.h5"] = b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 64
    files["rust_model.ot"] = b"PK\x03\x04" + bytes(range(255, -1, -1)) * 64
    files["README.md"] = b"---\nlanguage: [ar, en]\nlicense: apache-2.0\n---\n# opus-mt-ar-en\n"
    return files


@pytest.fixture(scope="session")
def tc_big_files(tmp_path_factory) -> dict[str, bytes]:
    """Helsinki-NLP/opus-mt-tc-big-ar-en's files around a reduced-dimension checkpoint."""
    folder = tmp_path_factory.mktemp("tc-big-checkpoint")
    build_checkpoint(tc_big_test_shape(), default_corpus(), seed=0, directory=folder)
    return tc_big_layout({p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})


@pytest.fixture
def hub(opus_layout, tc_big_files, monkeypatch, tmp_path):
    """A hub on 127.0.0.1 (port chosen by the system) holding both repos at one commit on main."""
    server = FakeHub()
    server.main = server.add_commit(REPO_ID, opus_layout)
    server.tc_big = server.add_commit(TC_BIG_REPO, tc_big_files, lfs=TC_BIG_LFS)
    with server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        for name in PROXY_VARS:
            monkeypatch.delenv(name, raising=False)
        for name in ("HF_HUB_DOWNLOAD_TIMEOUT", "HF_HUB_ETAG_TIMEOUT", "TOOLKIT_FETCH_DEADLINE"):
            monkeypatch.delenv(name, raising=False)
        yield server


def fetch(tmp_path: Path, *args):
    output = tmp_path / "models" / "opus-mt-ar-en"
    return invoke("model", "fetch", "--repo", REPO_ID, "-o", output, *args), output


def manifest(model: Path) -> dict:
    return json.loads((model / MANIFEST_NAME).read_text())


def assert_clean_failure(result, tmp_path: Path, *words: str) -> None:
    """Exit 2, one line naming what failed, no model and no staging folder left behind."""
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    models = tmp_path / "models"
    assert not models.exists() or sorted(p.name for p in models.iterdir()) == []


def test_fetch_downloads_only_what_conversion_needs_and_records_the_commit(hub, tmp_path):
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    info = manifest(model)
    assert info["revision"] == hub.main
    assert info["source"] == REPO_ID and info["synthetic"] is False
    assert info["quantization"] == "int8"
    assert sorted(hub.downloads()) == NEEDED
    asked = " ".join(path for _method, path in hub.requests)
    for unwanted in ("tf_model.h5", "rust_model.ot", "README.md"):
        assert unwanted not in asked
    # what huggingface_hub asks: model info with blob metadata, then HEAD + GET per file
    assert hub.requests[0] == ("GET", f"/api/models/{REPO_ID}")
    heads = [path for method, path in hub.requests if method == "HEAD"]
    assert sorted(heads) == [f"/{REPO_ID}/resolve/{hub.main}/{name}" for name in NEEDED]
    assert sorted(p.name for p in model.parent.iterdir()) == ["opus-mt-ar-en"]  # no staging
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nقالت الشرطة إن الهجوم وقع صباح اليوم.\n", encoding="utf-8")
    translated = invoke("translate", article, "--model", model)
    assert translated.exit_code == 0, translated.output


def test_tc_big_is_fetched_in_its_own_layout_converted_and_translates(hub, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_REPO == TC_BIG_REPO  # the default: no --repo, no -o (models/<repo name>)
    result = invoke("model", "fetch")
    assert result.exit_code == 0, result.output
    model = tmp_path / "models" / "opus-mt-tc-big-ar-en"
    info = manifest(model)
    assert info["source"] == TC_BIG_REPO and info["revision"] == hub.tc_big
    assert sorted(hub.downloads()) == TC_BIG_NEEDED
    asked = " ".join(path for _method, path in hub.requests)
    for unwanted in ("tf_model.h5", "benchmark_translations.zip", "README.md"):
        assert unwanted not in asked
    # </s> is not id 0 in this vocabulary; the converter keeps it by name, drops <pad>
    published = json.loads(hub.repos[TC_BIG_REPO]["commits"][hub.tc_big]["config.json"])
    vocabulary = json.loads((model / "shared_vocabulary.json").read_text())
    assert vocabulary.index("</s>") == published["eos_token_id"] == 300
    assert "<pad>" not in vocabulary and len(vocabulary) == published["vocab_size"] - 1
    config = json.loads((model / "config.json").read_text())
    assert config["eos_token"] == config["decoder_start_token"] == "</s>"
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nقالت الشرطة إن الهجوم وقع صباح اليوم.\n", encoding="utf-8")
    translated = invoke("translate", article, "--model", model, "--to", "json", "--beam", "1")
    assert translated.exit_code == 0, translated.output
    document = json.loads(translated.stdout)
    texts = [s["en"] for a in document["articles"] for s in [a["headline"], *a["sentences"]]]
    assert texts and all(text.strip() for text in texts)
    assert "int8_float16" not in translated.stderr  # fp16 weights were converted for the CPU


def test_a_download_folder_left_by_a_killed_fetch_is_removed(hub, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_FETCH_DEADLINE", "60")
    models = tmp_path / "models"
    stale, recent = models / ".opus-mt-ar-en.fetch-stale", models / ".opus-mt-ar-en.fetch-live"
    for folder in (stale, recent):
        (folder / "checkpoint").mkdir(parents=True)
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    assert not stale.exists() and recent.exists()  # a younger one may belong to a live fetch


def test_safetensors_is_preferred_when_the_hub_offers_both(
    hub, opus_layout, hub_checkpoint, tmp_path
):
    both = {**opus_layout, "model.safetensors": hub_checkpoint["model.safetensors"]}
    commit = hub.add_commit(REPO_ID, both)
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    assert manifest(model)["revision"] == commit
    assert "model.safetensors" in hub.downloads()
    assert "pytorch_model.bin" not in hub.downloads()


def test_revision_pins_a_commit(hub, opus_layout, hub_checkpoint, tmp_path):
    older = {**opus_layout}
    older["pytorch_model.bin"] = torch_weights(hub_checkpoint["model.safetensors"], shift=0.5)
    pinned = hub.add_commit(REPO_ID, older, branch=None)

    result, model = fetch(tmp_path, "--revision", pinned)
    assert result.exit_code == 0, result.output
    assert manifest(model)["revision"] == pinned
    assert ("GET", f"/api/models/{REPO_ID}/revision/{pinned}") in hub.requests
    assert {path.split("/")[4] for _m, path in hub.requests if "/resolve/" in path} == {pinned}
    pinned_sha = manifest(model)["model_sha256"]

    result, model = fetch(tmp_path, "--revision", "main")
    assert result.exit_code == 0, result.output
    assert manifest(model)["revision"] == hub.main
    assert manifest(model)["model_sha256"] != pinned_sha


def test_unknown_repository_is_one_line_exit_2(hub, tmp_path):
    result, _ = fetch(tmp_path, "--repo", "Helsinki-NLP/opus-mt-xx-yy")
    assert_clean_failure(result, tmp_path, "Helsinki-NLP/opus-mt-xx-yy", "404", "--repo")
    assert hub.downloads() == []


def test_unknown_revision_is_one_line_exit_2(hub, tmp_path):
    result, _ = fetch(tmp_path, "--revision", "v9")
    assert_clean_failure(result, tmp_path, "'v9'", "--revision")


def test_server_error_keeps_the_previous_model_and_the_next_run_succeeds(hub, tmp_path):
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    before = manifest(model)

    hub.status = 500
    result, _ = fetch(tmp_path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "HTTP 500" in result.stderr and REPO_ID in result.stderr
    assert manifest(model) == before  # the installed model is untouched
    assert sorted(p.name for p in model.parent.iterdir()) == ["opus-mt-ar-en"]

    hub.status = None
    result, _ = fetch(tmp_path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("blobs", [True, False], ids=["lfs-metadata", "etag-only"])
def test_weights_that_do_not_match_the_hub_sha256_are_refused(hub, tmp_path, blobs):
    hub.blobs = blobs  # False: the sha256 comes from the HEAD's X-Linked-Etag instead
    hub.faults["pytorch_model.bin"] = "corrupt"
    result, _ = fetch(tmp_path)
    assert_clean_failure(result, tmp_path, "pytorch_model.bin", "sha256", "make model")

    del hub.faults["pytorch_model.bin"]
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    assert manifest(model)["revision"] == hub.main


def test_a_connection_dropped_once_is_resumed(hub, tmp_path):
    hub.faults["pytorch_model.bin"] = "drop-once"
    result, model = fetch(tmp_path)
    assert result.exit_code == 0, result.output
    assert hub.downloads().count("pytorch_model.bin") == 2  # the second asks for the rest
    assert manifest(model)["revision"] == hub.main


def test_a_connection_that_keeps_dropping_fails_cleanly(hub, tmp_path):
    # huggingface_hub resumes 5 times, 1 s apart, before it gives up (about 5 s here)
    hub.faults["pytorch_model.bin"] = "drop"
    result, _ = fetch(tmp_path)
    assert_clean_failure(result, tmp_path, "pytorch_model.bin", "network error", REPO_ID)

    del hub.faults["pytorch_model.bin"]
    result, _ = fetch(tmp_path)
    assert result.exit_code == 0, result.output


def test_a_stalled_download_gives_up_at_the_deadline(hub, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", "0.5")
    monkeypatch.setenv("TOOLKIT_FETCH_DEADLINE", "1")
    hub.faults["pytorch_model.bin"] = "stall"  # half the file, then silence for 30 s
    result, _ = fetch(tmp_path)
    assert_clean_failure(result, tmp_path, "pytorch_model.bin", "TOOLKIT_FETCH_DEADLINE")

    del hub.faults["pytorch_model.bin"]
    result, _ = fetch(tmp_path)
    assert result.exit_code == 0, result.output


def test_a_hub_that_never_answers_gives_up_after_the_read_timeout(hub, tmp_path, monkeypatch):
    # huggingface_hub sends model_info with no timeout at all: ours applies to it too
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", "0.5")
    hub.faults["api"] = "stall"
    result, _ = fetch(tmp_path)
    assert_clean_failure(result, tmp_path, REPO_ID, "HF_HUB_DOWNLOAD_TIMEOUT")


def test_a_bad_timeout_setting_is_a_configuration_error(hub, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_FETCH_DEADLINE", "soon")
    result, _ = fetch(tmp_path)
    assert_clean_failure(result, tmp_path, "TOOLKIT_FETCH_DEADLINE")
    assert hub.requests == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "repo", [DEFAULT_REPO, TC_BIG_REPO if DEFAULT_REPO != TC_BIG_REPO else REPO_ID]
)
def test_make_nightly_in_a_fresh_clone_fetches_then_translates(hub, tmp_path, repo):
    """The main job end to end: clone, `make nightly` (model fetched from the hub), digest;
    the default model, then the other one a MODEL_REPO setting away."""
    model_repo = [] if repo == DEFAULT_REPO else [f"MODEL_REPO={repo}"]
    clone, make = fresh_clone(tmp_path, "DATE=2026-11-23", *model_repo)
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    run = subprocess.run([*make, "nightly"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr

    model = clone / model_folder(repo)  # fetched in its own layout into its own folder
    assert sorted(p.name for p in (clone / "models").iterdir() if p.is_dir()) == [model.name]
    tc_big = repo == TC_BIG_REPO
    assert manifest(model)["revision"] == (hub.tc_big if tc_big else hub.main)
    assert sorted(hub.downloads()) == (TC_BIG_NEEDED if tc_big else NEEDED)
    day = clone / "outputs" / "2026-11-23"
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert digest.strip() and (day / "digest.html").is_file()
    run_record = json.loads((day / "manifest.json").read_text())
    assert (
        hashlib.sha256((model / "model.bin").read_bytes()).hexdigest()
        == (manifest(model)["model_sha256"])
    )
    assert json.dumps(run_record).count(manifest(model)["model_sha256"]) >= 1

    asked = len(hub.requests)
    again = subprocess.run([*make, "model"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "model present" in again.stdout
    assert len(hub.requests) == asked  # the second `make model` asks the hub nothing
