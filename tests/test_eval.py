import json

import pytest
from conftest import REPO, invoke

from toolkit.errors import ConfigError
from toolkit.evaluate import read_references
from toolkit.evaluate.metrics import BLEU, ChrF, TermAccuracy

HEADER = "id\tarabic\tenglish\tterms\n"
DEV_SET = REPO / "toolkit" / "data" / "ar-en-sample.tsv"


def write(tmp_path, text):
    path = tmp_path / "refs.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_development_set_parses():
    references = read_references(DEV_SET)
    assert len(references) >= 40
    assert sum(bool(r.terms) for r in references) >= 25
    assert ("ISIS",) in [r.terms for r in references]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id\tarabic\tenglish\n", 1, "header must be"),
        (HEADER + "a\tقال\tsaid\n", 2, "3 columns, expected 4"),
        (HEADER + "a\tقال\tsaid\t\n\tقال\tsaid\t\n", 3, "empty id"),
        (HEADER + "a\t\tsaid\t\n", 2, "empty arabic"),
        (HEADER + "a\tقال\t\t\n", 2, "empty english"),
        (HEADER + "a\tقال\tsaid\t\n# note\na\tقال\tsaid\t\n", 4, "duplicate id 'a'"),
    ],
)
def test_reference_errors_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=f"^{path}:{line}: {message}"):
        read_references(path)
    result = invoke("eval", path, "--model", tmp_path / "no-model")
    assert result.exit_code == 2 and f"{path}:{line}:" in result.stderr


@pytest.mark.parametrize(
    ("hypothesis", "terms", "expected"),
    [
        ("Police said ISIS used Western Union.", ("ISIS", "Western Union"), 100.0),
        ("Police said isis used western union.", ("ISIS", "Western Union"), 100.0),
        ("Police said ISIS used Western money.", ("ISIS", "Western Union"), 50.0),
        ("Police said XISIS used it.", ("ISIS",), 0.0),
        ("Nothing to check here.", (), 100.0),
    ],
)
def test_term_accuracy(hypothesis, terms, expected):
    assert TermAccuracy().segment(hypothesis, "", terms) == expected


def test_corpus_term_accuracy_pools_all_expected_terms():
    metric = TermAccuracy()
    assert (
        metric.corpus(
            ["ISIS and Hamas", "nothing", "Twitter"], None, [("ISIS", "Hamas"), ("X",), ()]
        )
        == 66.67
    )


def test_bleu_and_chrf_reward_the_reference():
    reference = "Police arrested three men suspected of financing ISIS."
    for metric in (BLEU(), ChrF()):
        assert metric.segment(reference, reference) == 100.0
        assert metric.segment("Bananas are yellow.", reference) < 20


REFS = (
    HEADER + "a\tاعتقلت الشرطة ممولي داعش.\tPolice arrested ISIS financiers.\tISIS\n"
    "b\tحذفت تويتر حسابات.\tTwitter deleted accounts.\tTwitter\n"
)
COLUMNS = {
    "BLEU",
    "chrF",
    "term_accuracy",
    "flag_rate",
    "copy_through",
    "repetition",
    "truncation",
}


def test_eval_json_with_and_without_glossary(tiny_model, tmp_path):
    refs = write(tmp_path, REFS)
    result = invoke("eval", refs, "--model", tiny_model, "--json", "--beam", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["meaningful"] is False and document["rows"] == 2
    (model,) = document["models"]
    assert [r["config"] for r in model["results"]] == ["glossary: combined", "no glossary"]
    for config in model["results"]:
        assert set(config["scores"]) == COLUMNS
        assert [s["id"] for s in config["segments"]] == ["a", "b"]
        assert list(config["segments"][0]["terms"]) == ["ISIS"]
        found = config["segments"][0]["terms"]["ISIS"]
        assert found == ("isis" in config["segments"][0]["hypothesis"].lower())
        flagged = [
            bool({"untranslated", "repetition", "truncated"} & set(s["flags"]))
            for s in config["segments"]
        ]
        assert config["scores"]["flag_rate"] == 100 * sum(flagged) / len(flagged)


@pytest.fixture(scope="module")
def tc_big_test_model(tmp_path_factory):
    """A second tiny model of another shape: tc-big's quirks at test size, another seed."""
    from hub import tc_big_test_shape

    from toolkit.model.convert import convert_checkpoint
    from toolkit.model.synth import build_checkpoint, default_corpus

    root = tmp_path_factory.mktemp("tc-big-test")
    shape = tc_big_test_shape()
    (root / "hf").mkdir()
    build_checkpoint(shape, default_corpus(), seed=7, directory=root / "hf")
    convert_checkpoint(root / "hf", root / "tc-big-test", synthetic=True, shape="tc-big-test")
    return root / "tc-big-test"


def test_eval_compares_models_one_row_each(tiny_model, tc_big_test_model, tmp_path):
    refs = write(tmp_path, REFS)
    args = ["eval", refs, "--model", tiny_model, "--model", tc_big_test_model, "--beam", "1"]
    result = invoke(*args, "--json", "--no-glossary")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [row["model"] for row in document["table"]] == [str(tiny_model), str(tc_big_test_model)]
    for row, model in zip(document["table"], document["models"], strict=True):
        assert set(row) >= COLUMNS | {"tokens_per_s", "peak_rss_mb", "config", "synthetic"}
        assert row["config"] == "no glossary" and row["synthetic"] is True
        assert row["tokens_per_s"] > 0 and row["peak_rss_mb"] > 20
        assert model["target_tokens"] > 0 and model["model"]["sha256"]
    shapes = [model["model"]["shape"] for model in document["models"]]
    assert shapes == ["tiny", "tc-big-test"]

    table = invoke(*args)
    assert table.exit_code == 0, table.output
    lines = [line for line in table.stdout.splitlines() if line.startswith("| ")]
    header = lines[0]
    for column in (
        "BLEU",
        "chrF",
        "terms %",
        "flagged %",
        "copy %",
        "repeat %",
        "trunc %",
        "tok/s",
        "peak RSS MB",
    ):
        assert column in header
    assert lines[1].startswith("| tiny *") and lines[2].startswith("| tc-big-test *")
    assert "meaningless" in table.stdout


def test_compare_strategies_scores_every_strategy_per_model(tiny_model, tmp_path):
    from toolkit.glossary.enforce import STRATEGIES

    refs = write(tmp_path, REFS)
    result = invoke(
        "eval", refs, "--model", tiny_model, "--beam", "1", "--compare-strategies", "--json"
    )
    assert result.exit_code == 0, result.output
    (model,) = json.loads(result.stdout)["models"]
    expected = [f"glossary: {name}" for name in STRATEGIES if name != "none"] + ["no glossary"]
    assert [r["config"] for r in model["results"]] == expected


def test_a_missing_model_among_several_is_exit_2_before_any_work(tiny_model, tmp_path):
    refs = write(tmp_path, REFS)
    result = invoke("eval", refs, "--model", tiny_model, "--model", tmp_path / "nowhere")
    assert result.exit_code == 2 and "nowhere" in result.stderr
    assert result.stderr.count("\n") == 1
