import pytest

from toolkit.errors import ConfigError
from toolkit.translate import DecodingOptions
from toolkit.translate.engine import MODEL_POSITIONS

SENTENCES = [
    "اعتقلت الشرطة ثلاثة رجال يشتبه في تمويلهم تنظيم داعش.",
    "قالت شركة تويتر إنها حذفت آلاف الحسابات.",
    "أصدر الإنتربول نشرة حمراء.",
]


@pytest.fixture
def fed_to_model(engine, monkeypatch):
    """Every token list handed to the real CTranslate2 translator (spied on, not replaced)."""
    seen: list[list[str]] = []
    real = engine.translator.translate_batch

    def spy(batch, **kwargs):
        seen.extend(batch)
        return real(batch, **kwargs)

    monkeypatch.setattr(
        engine, "translator", type("Spy", (), {"translate_batch": staticmethod(spy)})()
    )
    return seen


def test_every_segment_ends_with_a_single_eos(engine, fed_to_model):
    engine.translate(SENTENCES, DecodingOptions(beam_size=1))
    assert len(fed_to_model) == len(SENTENCES)
    for tokens in fed_to_model:
        assert tokens[-1] == "</s>" and tokens.count("</s>") == 1


def test_outputs_belong_to_their_inputs_despite_length_sorting(engine):
    results = engine.translate(SENTENCES, DecodingOptions(beam_size=1))
    assert [r.segments[0].source_tokens for r in results] == [engine.tokenize(s) for s in SENTENCES]
    for result in results:
        assert result.text and result.score is not None and result.score <= 0


def test_long_paragraph_without_full_stop_is_cut_below_512_tokens(engine, fed_to_model):
    words = ["وقال", "المسؤول،", "إن", "الشرطة", "اعتقلت", "رجلين", "في", "العاصمة"]
    paragraph = " ".join(words[i % len(words)] for i in range(3000))
    assert len(engine.tokenize(paragraph)) > 4 * MODEL_POSITIONS
    options = DecodingOptions(beam_size=1, max_source_tokens=MODEL_POSITIONS)
    (result,) = engine.translate([paragraph], options)
    assert len(result.segments) > 4
    assert fed_to_model and max(len(tokens) for tokens in fed_to_model) <= MODEL_POSITIONS
    assert result.text


def test_hitting_the_decoding_limit_is_reported_as_truncated(engine):
    options = DecodingOptions(beam_size=1, decoding_ratio=0.0, decoding_margin=3)
    (result,) = engine.translate([SENTENCES[0]], options)
    assert result.truncated
    assert len(result.segments[0].target_tokens) == 3


def test_decoding_limit_grows_with_input_and_stays_within_positions():
    options = DecodingOptions()
    assert options.decoding_limit(10) < options.decoding_limit(40)
    assert options.decoding_limit(400) == MODEL_POSITIONS


def test_empty_input_is_not_sent_to_the_model(engine, fed_to_model):
    (result,) = engine.translate(["   "])
    assert result.text == "" and result.score is None and not fed_to_model


@pytest.mark.parametrize("options", [{"beam_size": 0}, {"max_source_tokens": 513}])
def test_bad_decoding_options_are_configuration_errors(options):
    with pytest.raises(ConfigError):
        DecodingOptions(**options)
