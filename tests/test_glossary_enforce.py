"""Enforcement on hand-written English hypotheses, and through the synthetic model for plumbing."""

import json
from pathlib import Path

import pytest
from conftest import REPO, invoke

from toolkit.glossary import Matcher, load_glossary
from toolkit.glossary.enforce import (
    STRATEGIES,
    post_edit,
    prepare_source,
    restore_placeholders,
    suppressed_variants,
    verify,
)
from toolkit.translate.engine import Hypothesis, Segment, Translation


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(sorted((REPO / "glossaries").glob("*.tsv")))


@pytest.fixture(scope="module")
def matcher(glossary):
    return Matcher(glossary)


def test_post_edit_rewrites_variants_of_matched_terms_only(glossary, matcher):
    matches = matcher.find("قال إن داعش استخدم ويسترن يونيون")
    english = (
        "Daesh and the Islamic State used Western union; ISIL too. Telegraph was not involved."
    )
    assert post_edit(english, matches, glossary) == (
        "ISIS and ISIS used Western Union; ISIS too. Telegraph was not involved."
    )  # Telegraph stays: تيليغرام was not in the source


def test_post_edit_leaves_words_that_merely_contain_a_variant(glossary, matcher):
    matches = matcher.find("داعش")
    assert post_edit("ISILAND and this island", matches, glossary) == "ISILAND and this island"


def test_verify_is_case_insensitive_and_whole_word(matcher):
    matches = matcher.find("أعلن الإنتربول أن داعش")
    assert [c.ok for c in verify("INTERPOL said XISIS grew", matches)] == [True, False]
    assert [(c.arabic, c.english) for c in verify("", matches)] == [
        ("إنتربول", "Interpol"),
        ("داعش", "ISIS"),
    ]


def test_inject_keeps_clitic_letters_and_quotes_and_drops_the_article(matcher):
    original = "قال لـ«داعش» إن والإنتربول وللإنتربول ويسترن يونيون"
    prepared = prepare_source(original, matcher.find(original), STRATEGIES["inject"])
    assert prepared == "قال ل «ISIS» إن و Interpol ول Interpol Western Union"


def test_placeholders_go_in_and_come_back(matcher):
    original = "أعلن الإنتربول أن داعش"
    matches = matcher.find(original)
    assert prepare_source(original, matches, STRATEGIES["placeholder"]) == "أعلن TERM1 أن TERM2"
    assert (
        restore_placeholders("term 1 said that TERM2 grew", matches)
        == "Interpol said that ISIS grew"
    )


def test_no_strategy_leaves_the_source_alone(matcher):
    original = "أعلن الإنتربول أن داعـــش"
    assert (
        prepare_source(original, matcher.find(original), STRATEGIES["none"])
        == "أعلن الإنتربول أن داعش"
    )


def test_rerank_prefers_the_hypothesis_with_more_terms_and_keeps_order_on_ties(matcher):
    matches = matcher.find("أعلن الإنتربول أن داعش")

    def hyp(text, score):
        return Hypothesis(tokens=text.split(), text=text, score=score)

    translation = Translation(
        [
            Segment(
                ["x"],
                [
                    hyp("The police said the group grew", -0.1),
                    hyp("Interpol said the group grew", -0.5),
                    hyp("Interpol said ISIS grew", -0.9),
                    hyp("The international police said ISIS grew", -0.2),
                ],
                limit=50,
            )
        ]
    )
    from toolkit.glossary.enforce import terms_present

    translation.rerank(lambda h: terms_present(h.text, matches))
    assert translation.text == "Interpol said ISIS grew"
    tie = Translation(
        [Segment(["x"], [hyp("ISIS grew", -0.3), hyp("Interpol spoke", -0.1)], limit=50)]
    )
    tie.rerank(lambda h: terms_present(h.text, matches))
    assert tie.text == "ISIS grew"


def test_short_or_canonical_variants_are_never_suppressed(glossary, matcher):
    banned = suppressed_variants(matcher.find("داعش والأمم المتحدة"), glossary)
    assert "Daesh" in banned and "the Islamic State" in banned
    assert not {"IS", "UN", "ISIS", "United Nations"} & set(banned)


ARTICLE = (
    "محاكمة ممولي داعش في بروكسل\n"
    "أرسل المتهمون الأموال عبر ويسترن يونيون إلى وسطاء.\n"
    "وقال الادعاء إن الشبكة عملت سنوات.\n"
)


def test_end_to_end_terms_are_reported_and_misses_flagged(tiny_model, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke("translate", article, "--model", tiny_model, "--to", "json", "--beam", "2")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["articles"]
    first, second = entry["sentences"]
    assert [(t["arabic"], t["english"]) for t in first["terms"]] == [
        ("ويسترن يونيون", "Western Union")
    ]
    assert second["terms"] == []
    for term in first["terms"]:  # verify agrees with the text the model produced
        assert term["ok"] == ("western union" in first["en"].lower())
    assert ("glossary" in first["flags"]) == (not first["terms"][0]["ok"])
    assert "glossary" not in second["flags"]
    assert entry["glossary"]["matched"] == 2  # headline ISIS + body Western Union

    plain = invoke(
        "translate", article, "--model", tiny_model, "--to", "json", "--no-glossary", "--beam", "2"
    )
    (entry,) = json.loads(plain.stdout)["articles"]
    assert entry["glossary"] == {"matched": 0, "respected": 0}


def test_inject_gives_the_model_english_names(engine, glossary, monkeypatch):
    from toolkit.ingest import ingest_file
    from toolkit.pipeline import Pipeline

    seen: list[str] = []
    real = engine.segment_inputs

    def spy(text, *args, **kwargs):
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(engine, "segment_inputs", spy)
    path = Path(REPO / "inbox" / "2026-11-21-hawala-trial.txt")
    articles = ingest_file(str(path)).articles
    Pipeline(engine, glossary=glossary, strategy=STRATEGIES["inject"]).run([articles])
    joined = " ".join(seen)
    assert "Western Union" in joined and "MoneyGram" in joined and "Interpol" in joined
    assert "ويسترن" not in joined and "الإنتربول" not in joined


def test_a_name_in_latin_letters_is_verified_in_the_english(glossary, matcher):
    text = "خاصة مع استخدام التطبيقات مثل Telegram و Deep Web."
    matches = matcher.find(text)
    assert [(m.entry.english, m.surface) for m in matches] == [("Telegram", "Telegram")]
    assert [t.ok for t in verify("apps such as Telegraph and the Deep Web", matches)] == [False]
    edited = post_edit("apps such as Telegraph and the Deep Web", matches, glossary)
    assert [t.ok for t in verify(edited, matches)] == [True]
    assert prepare_source(text, matches, STRATEGIES["combined"]) == text
