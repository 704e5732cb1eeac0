import json
import os
import subprocess
import sys

from conftest import invoke

from toolkit.fsutil import sha256_file
from toolkit.model.store import MANIFEST_NAME, resolve_model_dir
from toolkit.model.synth import SHAPES, build_checkpoint, default_corpus


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
    assert "Helsinki-NLP/opus-mt-ar-en" in process.stderr and "Traceback" not in process.stderr
    assert not (tmp_path / "m").exists()


def test_model_dir_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("TOOLKIT_MODEL", raising=False)
    assert str(resolve_model_dir(None)) == "models/opus-mt-ar-en"
    monkeypatch.setenv("TOOLKIT_MODEL", str(tmp_path))
    assert resolve_model_dir(None) == tmp_path
    assert resolve_model_dir(tmp_path / "x") == tmp_path / "x"


def test_missing_and_broken_models_exit_2_with_one_line(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nجملة.\n", encoding="utf-8")
    result = invoke("translate", article, "--model", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "make model" in result.stderr

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
