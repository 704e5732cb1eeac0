"""Argos Translate packages as models, and source tokens that follow the model's config.json."""

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import invoke

from toolkit.fsutil import sha256_file
from toolkit.model import argos
from toolkit.model.store import MANIFEST_NAME
from toolkit.translate import Engine
from toolkit.translate.engine import source_suffix

SENTENCE = "قال المتحدث باسم الشرطة إن الهجوم وقع أمس في العاصمة."


@pytest.fixture(scope="session")
def argos_package(tmp_path_factory) -> Path:
    """A synthetic translate-ar_en package (.argosmodel zip), built by `model synth`."""
    path = tmp_path_factory.mktemp("argos") / "translate-ar_en-0_0.argosmodel"
    result = invoke("model", "synth", "--shape", "tiny", "--format", "argos", "-o", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def package_folder(argos_package, tmp_path) -> Path:
    """The package unzipped: a folder holding its one top folder."""
    with zipfile.ZipFile(argos_package) as archive:
        archive.extractall(tmp_path / "unzipped")
    return tmp_path / "unzipped"


def rezip(folder: Path, path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def assert_one_line_error(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_zip_package_imports_with_a_manifest_that_says_where_it_came_from(argos_package, tmp_path):
    with zipfile.ZipFile(argos_package) as archive:
        names = archive.namelist()
    assert "translate-ar_en-0_0/metadata.json" in names
    assert "translate-ar_en-0_0/model/model.bin" in names
    assert "translate-ar_en-0_0/sentencepiece.model" in names

    result = invoke("model", "import", argos_package, "-o", tmp_path / "argos-ar-en")
    assert result.exit_code == 0, result.output
    model = tmp_path / "argos-ar-en"
    manifest = json.loads((model / MANIFEST_NAME).read_text())
    assert manifest["source"] == "argos"
    assert manifest["package"] == "translate-ar_en-0_0.argosmodel"
    assert manifest["package_version"] == "0.0"
    assert manifest["model_sha256"] == sha256_file(model / "model.bin")
    assert manifest["synthetic"] is True and manifest["shape"] == "tiny"
    assert json.loads((model / "metadata.json").read_text())["from_code"] == "ar"
    assert sorted(p.name for p in model.iterdir()) == [
        "config.json",
        "metadata.json",
        "model.bin",
        "sentencepiece.model",
        "shared_vocabulary.json",
        MANIFEST_NAME,
    ]


def test_imported_package_translates_with_its_own_tokenization(argos_package, tmp_path):
    model = tmp_path / "argos-ar-en"
    assert invoke("model", "import", argos_package, "-o", model).exit_code == 0
    article = tmp_path / "a.txt"
    article.write_text(f"عنوان الخبر\n{SENTENCE}\n", encoding="utf-8")
    result = invoke("translate", article, "--model", model, "--to", "json", "--no-glossary")
    assert result.exit_code == 0, result.output
    (article_json,) = json.loads(result.stdout)["articles"]
    assert article_json["model"]["synthetic"] is True
    assert article_json["model"]["sha256"] == sha256_file(model / "model.bin")
    assert [s["en"] != "" for s in article_json["sentences"]] == [True]

    engine = Engine(model)
    # The package's config says add_source_eos: CTranslate2 appends </s>, the engine must not.
    assert json.loads((model / "config.json").read_text())["add_source_eos"] is True
    assert engine.source_suffix == ()
    assert engine.tokenize(SENTENCE)[-1] != "</s>"
    assert engine.source_spm.serialized_model_proto() == engine.target_spm.serialized_model_proto()


def test_unzipped_package_folder_imports_like_the_zip(argos_package, package_folder, tmp_path):
    zipped = tmp_path / "from-zip"
    assert invoke("model", "import", argos_package, "-o", zipped).exit_code == 0
    # the folder unzip made (one top folder inside) and that top folder itself, as Argos installs it
    for folder in (package_folder, package_folder / "translate-ar_en-0_0"):
        result = invoke("model", "import", folder, "-o", tmp_path / "models" / folder.name)
        assert result.exit_code == 0, result.output
        manifest = json.loads((tmp_path / "models" / folder.name / MANIFEST_NAME).read_text())
        assert manifest["model_sha256"] == sha256_file(zipped / "model.bin")
        assert manifest["package"] == folder.name
    # -o onto the package itself would destroy it
    result = invoke("model", "import", package_folder, "-o", package_folder)
    assert_one_line_error(result, "would replace the package")
    assert (package_folder / "translate-ar_en-0_0" / "metadata.json").is_file()


def test_a_package_for_other_languages_is_refused(package_folder, tmp_path):
    metadata_path = package_folder / "translate-ar_en-0_0" / "metadata.json"
    metadata = json.loads(metadata_path.read_text())
    metadata_path.write_text(json.dumps({**metadata, "from_code": "en", "to_code": "ar"}))
    for package in (package_folder, rezip(package_folder, tmp_path / "en_ar.argosmodel")):
        result = invoke("model", "import", package, "-o", tmp_path / "out")
        assert_one_line_error(result, "en→ar package, not ar→en")
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../escaped.txt", "a path outside the package"),
        ("translate-ar_en-0_0/../../escaped.txt", "a path outside the package"),
        ("/tmp/escaped.txt", "an absolute path"),
        ("C:/escaped.txt", "an absolute path"),
        ("translate-ar_en-0_0\\..\\escaped.txt", "a path outside the package"),
    ],
)
def test_zip_members_outside_the_package_are_refused(package_folder, tmp_path, name, problem):
    package = rezip(package_folder, tmp_path / "evil.argosmodel", {name: b"pwned"})
    result = invoke("model", "import", package, "-o", tmp_path / "models" / "out")
    assert_one_line_error(result, problem)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (tmp_path / "models" / "out").exists()


def test_a_symbolic_link_in_the_zip_is_refused(package_folder, tmp_path):
    package = rezip(package_folder, tmp_path / "link.argosmodel")
    link = zipfile.ZipInfo("translate-ar_en-0_0/model/vocab")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    result = invoke("model", "import", package, "-o", tmp_path / "out")
    assert_one_line_error(result, "is a symbolic link")


def test_a_package_over_the_size_limit_is_refused(argos_package, tmp_path, monkeypatch):
    monkeypatch.setattr(argos, "MAX_PACKAGE_BYTES", 100_000)
    result = invoke("model", "import", argos_package, "-o", tmp_path / "out")
    assert_one_line_error(result, "larger than 100000 bytes unzipped")
    assert not (tmp_path / "out").exists()


def test_a_damaged_zip_is_one_line(package_folder, tmp_path):
    package = rezip(package_folder, tmp_path / "damaged.argosmodel")  # stored, not deflated
    data = bytearray(package.read_bytes())
    middle = len(data) // 2  # inside model.bin or sentencepiece.model, the two big members
    data[middle : middle + 64] = bytes(64)
    package.write_bytes(bytes(data))
    result = invoke("model", "import", package, "-o", tmp_path / "out")
    assert_one_line_error(result, f"{package}: damaged package")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("not-a-zip", "neither a zip nor a folder"),
        ("no-metadata", "no metadata.json at its top"),
        ("no-spm", "missing sentencepiece.model"),
        ("bad-model", "does not load"),
        ("bad-metadata", "unreadable metadata.json"),
    ],
)
def test_a_bad_package_is_exit_2_in_one_line(package_folder, tmp_path, damage, message):
    root = package_folder / "translate-ar_en-0_0"
    if damage == "not-a-zip":
        package = tmp_path / "notes.argosmodel"
        package.write_text("not a zip")
    else:
        if damage == "no-metadata":
            (root / "metadata.json").unlink()
        elif damage == "no-spm":
            (root / "sentencepiece.model").unlink()
        elif damage == "bad-model":
            (root / "model" / "model.bin").write_bytes(b"garbage")
        else:
            (root / "metadata.json").write_text("{not json")
        package = rezip(package_folder, tmp_path / "bad.argosmodel")
    result = invoke("model", "import", package, "-o", tmp_path / "out")
    assert_one_line_error(result, message)
    assert str(package) in result.stderr
    assert not (tmp_path / "out").exists()


def test_transformers_converted_marian_keeps_the_appended_eos(tiny_model, engine):
    # TransformersConverter writes add_source_eos false for Marian: HF's tokenizer adds </s>.
    config = json.loads((tiny_model / "config.json").read_text())
    assert config["add_source_eos"] is False and config["add_source_bos"] is False
    assert source_suffix(tiny_model) == ("</s>",)
    assert engine.tokenize(SENTENCE)[-1] == "</s>"


def shared_copy(tiny_model: Path, folder: Path, **config_changes) -> Path:
    """The tiny model with one sentencepiece.model (its source side) and a changed config."""
    shutil.copytree(tiny_model, folder)
    (folder / "source.spm").rename(folder / "sentencepiece.model")
    (folder / "target.spm").unlink()
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, **config_changes}))
    return folder


def decode(engine: Engine) -> tuple[list[str], float]:
    """The engine's source tokens through its CTranslate2 model, with a fixed decoding limit."""
    (output,) = engine.translator.translate_batch(
        [engine.tokenize(SENTENCE)], beam_size=2, max_decoding_length=32, return_scores=True
    )
    return output.hypotheses[0], output.scores[0]


def test_special_source_tokens_follow_the_config_and_are_never_doubled(
    tiny_model, engine, tmp_path
):
    # add_source_eos: CTranslate2 appends </s> to the bare pieces → exactly the Marian decode
    with_eos = Engine(shared_copy(tiny_model, tmp_path / "eos", add_source_eos=True))
    assert with_eos.tokenize(SENTENCE) == engine.tokenize(SENTENCE)[:-1]
    assert decode(with_eos) == decode(engine)
    # add_source_bos as well: the model now sees <s> … </s>, another input
    with_both = Engine(
        shared_copy(tiny_model, tmp_path / "bos", add_source_eos=True, add_source_bos=True)
    )
    assert with_both.tokenize(SENTENCE) == with_eos.tokenize(SENTENCE)
    assert decode(with_both)[1] != decode(engine)[1]
    # no special tokens in the config: the pieces alone, as Argos feeds them
    bare = Engine(shared_copy(tiny_model, tmp_path / "bare"))
    assert bare.source_suffix == ()
    assert decode(bare)[1] != decode(engine)[1]
