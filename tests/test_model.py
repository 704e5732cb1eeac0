import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, invoke

from toolkit.fsutil import sha256_file
from toolkit.model.store import (
    DEFAULT_MODEL_DIR,
    DEFAULT_REPO,
    MANIFEST_NAME,
    model_folder,
    resolve_model_dir,
)
from toolkit.model.synth import (
    SHAPES,
    build_checkpoint,
    default_corpus,
    shared_vocabulary,
    split_corpus,
    train_sentencepiece,
)


def test_synth_writes_a_complete_model_marked_synthetic(tiny_model):
    manifest = json.loads((tiny_model / MANIFEST_NAME).read_text())
    assert manifest["synthetic"] is True
    assert manifest["shape"] == "tiny"
    assert manifest["quantization"] == "int8"
    assert manifest["model_sha256"] == sha256_file(tiny_model / "model.bin")
    for name in ("model.bin", "config.json", "shared_vocabulary.json", "source.spm", "target.spm"):
        assert (tiny_model / name).is_file(), name
    vocabulary = json.loads((tiny_model / "shared_vocabulary.json").read_text())
    assert vocabulary[:2] == ["</s>", "<unk>"]
    assert "<pad>" not in vocabulary  # the converter drops Marian's decoder-start pad


def test_model_info_json_reports_manifest_and_sizes(tiny_model):
    result = invoke("model", "info", tiny_model, "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["manifest"]["synthetic"] is True
    assert info["files"]["model.bin"] == (tiny_model / "model.bin").stat().st_size
    assert "SYNTHETIC" in invoke("model", "info", tiny_model).stderr


def test_convert_local_checkpoint_is_not_synthetic(tmp_path):
    checkpoint = tmp_path / "hf"
    checkpoint.mkdir()
    build_checkpoint(SHAPES["tiny"], default_corpus(), seed=3, directory=checkpoint)
    result = invoke(
        "model", "convert", checkpoint, "-o", tmp_path / "ct2", "--quantization", "float32"
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "ct2" / MANIFEST_NAME).read_text())
    assert manifest["synthetic"] is False
    assert manifest["quantization"] == "float32"
    assert manifest["source"] == str(checkpoint)


def test_convert_rejects_a_folder_that_is_not_a_checkpoint(tmp_path):
    result = invoke("model", "convert", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a Marian checkpoint" in result.stderr
    assert not (tmp_path / "out").exists()


def test_opus_shape_model_is_as_large_as_the_real_int8_conversion(tmp_path):
    # A real int8 conversion of Helsinki-NLP/opus-mt-ar-en has a model.bin of ~75–80 MB.
    result = invoke("model", "synth", "--shape", "opus-mt-ar-en", "-o", tmp_path / "opus")
    assert result.exit_code == 0, result.output
    size = (tmp_path / "opus" / "model.bin").stat().st_size
    assert 0.9 * 77.5e6 <= size <= 1.1 * 77.5e6, size
    config = json.loads((tmp_path / "opus" / "config.json").read_text())
    vocabulary = json.loads((tmp_path / "opus" / "shared_vocabulary.json").read_text())
    assert len(vocabulary) == 62833  # 62,834 entries less the decoder-start <pad>
    assert config["decoder_start_token"] == "</s>"


def test_fetch_offline_fails_in_one_line_without_traceback(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    process = subprocess.run(
        [sys.executable, "-m", "toolkit", "model", "fetch", "-o", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert process.returncode == 2
    assert process.stderr.count("\n") == 1, process.stderr
    assert DEFAULT_REPO in process.stderr and "Traceback" not in process.stderr
    assert not (tmp_path / "m").exists()


def test_model_dir_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("TOOLKIT_MODEL", raising=False)
    assert resolve_model_dir(None) == DEFAULT_MODEL_DIR
    monkeypatch.setenv("TOOLKIT_MODEL", str(tmp_path))
    assert resolve_model_dir(None) == tmp_path
    assert resolve_model_dir(tmp_path / "x") == tmp_path / "x"


def test_missing_and_broken_models_exit_2_with_one_line(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nجملة.\n", encoding="utf-8")
    result = invoke("translate", article, "--model", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "make model" in result.stderr
    assert "MODEL=DIR" in result.stderr and "--model DIR" in result.stderr  # make and toolkit

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"")
    result = invoke("translate", article, "--model", broken)
    assert result.exit_code == 2 and "incomplete" in result.stderr and "--model" in result.stderr

    monkeypatch.setenv("TOOLKIT_MODEL", str(tmp_path / "env-model"))
    result = invoke("translate", article)
    assert result.exit_code == 2 and "env-model" in result.stderr


def test_corrupt_model_bin_is_a_configuration_error(tiny_model, tmp_path):
    import shutil

    copy = tmp_path / "corrupt"
    shutil.copytree(tiny_model, copy)
    (copy / "model.bin").write_bytes(b"not a model")
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nجملة.\n", encoding="utf-8")
    result = invoke("translate", article, "--model", copy)
    assert result.exit_code == 2
    assert "cannot be loaded" in result.stderr and result.stderr.strip().count("\n") <= 1


def test_tc_big_shape_has_the_published_dimensions_without_building_it():
    # Helsinki-NLP/opus-mt-tc-big-ar-en's config.json (docs/choosing-a-model.md)
    big, small = SHAPES["opus-mt-tc-big-ar-en"], SHAPES["opus-mt-ar-en"]
    assert (big.layers, big.d_model, big.heads, big.ffn) == (6, 1024, 16, 4096)
    assert (big.vocab_size, big.eos_id, big.positions, big.activation) == (
        61109,
        25894,
        1024,
        "relu",
    )
    assert (small.vocab_size, small.eos_id, small.positions, small.activation) == (
        62834,
        0,
        512,
        "swish",
    )
    # the leaderboard's parameter counts: 239 M and 76 M
    assert abs(big.parameters - 239e6) < 0.005 * 239e6
    assert abs(small.parameters - 76e6) < 0.01 * 76e6


def test_the_vocabulary_puts_eos_where_the_shape_says_and_pad_last():
    arabic, english = split_corpus(default_corpus())
    models = [train_sentencepiece(arabic, 400), train_sentencepiece(english, 400)]
    tokens = shared_vocabulary(models, 1500, eos_id=700)
    assert len(tokens) == len(set(tokens)) == 1500
    assert tokens[700:702] == ["</s>", "<unk>"] and tokens[-1] == "<pad>"
    assert shared_vocabulary(models, None)[:2] == ["</s>", "<unk>"]


def test_the_makefile_mirrors_the_default_model():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"DEFAULT_REPO := {DEFAULT_REPO}\n" in makefile
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make")
    for repo in (DEFAULT_REPO, "Helsinki-NLP/opus-mt-tc-big-ar-en", "Helsinki-NLP/opus-mt-ar-en"):
        args = [] if repo == DEFAULT_REPO else [f"MODEL_REPO={repo}"]
        dry = subprocess.run(
            [make, "-C", str(REPO), "-n", "-o", "setup", "-o", ".venv/.installed", "model", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"model fetch --repo {repo} -o {model_folder(repo)}" in dry, dry
    assert model_folder(DEFAULT_REPO) == DEFAULT_MODEL_DIR
