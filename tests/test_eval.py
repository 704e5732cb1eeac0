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


def test_eval_json_with_and_without_glossary(tiny_model, tmp_path):
    refs = write(
        tmp_path,
        HEADER + "a\tاعتقلت الشرطة ممولي داعش.\tPolice arrested ISIS financiers.\tISIS\n"
        "b\tحذفت تويتر حسابات.\tTwitter deleted accounts.\tTwitter\n",
    )
    result = invoke("eval", refs, "--model", tiny_model, "--json", "--beam", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["meaningful"] is False and document["rows"] == 2
    assert [r["config"] for r in document["results"]] == ["glossary: combined", "no glossary"]
    for config in document["results"]:
        assert set(config["scores"]) == {"BLEU", "chrF", "term_accuracy"}
        assert [s["id"] for s in config["segments"]] == ["a", "b"]
        assert list(config["segments"][0]["terms"]) == ["ISIS"]
        found = config["segments"][0]["terms"]["ISIS"]
        assert found == ("isis" in config["segments"][0]["hypothesis"].lower())
