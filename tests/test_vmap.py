"""Vocabulary maps: `toolkit model vmap` writes CTranslate2's format, `--vmap` reaches the
decoder and restricts what it emits, and a missing map is a one-line configuration error."""

import shutil

import pytest
import sentencepiece as spm
from conftest import REPO, invoke

from toolkit.model.store import target_vocabulary
from toolkit.translate import DecodingOptions, Engine, Layout
from toolkit.translate.memory import memory_key

ARTICLE = "اعتقلت الشرطة ثلاثة رجال يشتبه في تمويلهم تنظيم داعش عبر حوالات مالية صغيرة.\n"


@pytest.fixture
def model(tiny_model, tmp_path):
    """A copy of the tiny model that this test may give a vmap.txt."""
    return shutil.copytree(tiny_model, tmp_path / "model")


def allowed(model) -> set[str]:
    lines = (model / "vmap.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("\t")  # the always-allowed line only
    return set(lines[0][1:].split(" "))


def test_model_vmap_allows_the_corpus_english_and_nothing_arabic(model, tmp_path, monkeypatch):
    corpus = tmp_path / "news.tsv"
    corpus.write_text("x1\tقال المتحدث\tZanzibar quarterly\n", encoding="utf-8")
    monkeypatch.chdir(REPO)  # the glossary is glossaries/*.tsv
    result = invoke("model", "vmap", model, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "vmap.txt" in result.stdout and "--vmap" in result.stdout
    tokens = allowed(model)
    target = spm.SentencePieceProcessor(model_file=str(model / "target.spm"))
    vocabulary = set(target_vocabulary(model))
    for english in ("Zanzibar quarterly", "ISIS", "Police arrested three men", "TERM3"):
        pieces = set(target.encode(english, out_type=str))
        assert pieces & vocabulary <= tokens and pieces & tokens, english
    assert "</s>" in tokens and tokens < vocabulary
    arabic_letters = [
        t for t in tokens if any("\u0600" <= c <= "\u06ff" and c.isalpha() for c in t)
    ]
    assert not arabic_letters


def decode(model, options, monkeypatch) -> tuple[list[list[str]], list[dict]]:
    engine = Engine(model, layout=Layout(1, 1, 256))
    seen = []
    real = engine.translator

    class Spy:
        def translate_batch(self, *args, **kwargs):
            seen.append(kwargs)
            return real.translate_batch(*args, **kwargs)

    monkeypatch.setattr(engine, "translator", Spy())
    texts = [ARTICLE, "قال المسؤول إن الحكومة ستعلن خطة جديدة للاقتصاد."]
    return [s.target_tokens for t in engine.translate(texts, options) for s in t.segments], seen


def test_use_vmap_reaches_ctranslate2_and_the_decoder_emits_only_allowed_tokens(model, monkeypatch):
    monkeypatch.chdir(REPO)
    assert invoke("model", "vmap", model).exit_code == 0
    tokens = allowed(model) | {"<unk>"}  # CTranslate2 always allows <unk>, start and end

    free, calls = decode(model, DecodingOptions(beam_size=2), monkeypatch)
    assert calls and not any(call["use_vmap"] for call in calls)
    assert not set(sum(free, [])) <= tokens  # random weights do leave the map without it

    restricted, calls = decode(model, DecodingOptions(beam_size=2, vmap="sha"), monkeypatch)
    assert calls and all(call["use_vmap"] for call in calls)
    assert set(sum(restricted, [])) <= tokens and all(restricted)


def test_vmap_translates_end_to_end_and_changes_the_memory_key(model, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    assert invoke("model", "vmap", model).exit_code == 0
    article = tmp_path / "a.txt"
    article.write_text("عنوان الخبر\n" + ARTICLE, encoding="utf-8")
    result = invoke("translate", article, "--model", model, "--vmap", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()

    plain = memory_key("model", DecodingOptions(), "source", [])
    assert memory_key("model", DecodingOptions(vmap="a"), "source", []) != plain
    assert memory_key("model", DecodingOptions(vmap="b"), "source", []) != memory_key(
        "model", DecodingOptions(vmap="a"), "source", []
    )


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_vmap_without_a_map_is_exit_2_saying_how_to_build_one(model, tmp_path, command):
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text("عنوان\n" + ARTICLE, encoding="utf-8")
    target = article if command == "translate" else article.parent
    extra = ["-o", tmp_path / "out"] if command == "batch" else []
    result = invoke(command, target, *extra, "--model", model, "--vmap")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "toolkit model vmap" in result.stderr


def test_vmap_on_an_imported_argos_model_uses_its_one_tokenizer(tmp_path, monkeypatch):
    """An Argos package has one sentencepiece.model for both sides, no target.spm: vmap was
    a traceback on it."""
    package = tmp_path / "translate-ar_en-1_0.argosmodel"
    made = invoke("model", "synth", "--shape", "tiny", "--format", "argos", "-o", package)
    assert made.exit_code == 0, made.output
    model = tmp_path / "argos-model"
    assert invoke("model", "import", package, "-o", model).exit_code == 0
    assert not (model / "target.spm").exists()
    corpus = tmp_path / "news.txt"
    corpus.write_text("Zanzibar quarterly\n", encoding="utf-8")
    monkeypatch.chdir(REPO)
    result = invoke("model", "vmap", model, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    shared = spm.SentencePieceProcessor(model_file=str(model / "sentencepiece.model"))
    tokens, vocabulary = allowed(model), set(target_vocabulary(model))
    pieces = set(shared.encode("Zanzibar quarterly", out_type=str)) & vocabulary
    assert pieces and pieces <= tokens <= vocabulary
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    translated = invoke("translate", source, "--model", model, "--vmap", "--beam", "1")
    assert translated.exit_code == 0, translated.output
