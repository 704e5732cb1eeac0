"""One small class per metric: corpus score and segment score, sacrebleu's way."""

from dataclasses import dataclass

from toolkit.glossary.enforce import whole_phrase


class SacreBLEUMetric:
    """A sacrebleu metric: corpus score and sentence score, rounded to 2 decimals."""

    name = ""
    corpus_function = ""
    sentence_function = ""

    def corpus(self, hypotheses: list[str], references: list[str], _terms=None) -> float:
        import sacrebleu

        return round(getattr(sacrebleu, self.corpus_function)(hypotheses, [references]).score, 2)

    def segment(self, hypothesis: str, reference: str, _terms=()) -> float:
        import sacrebleu

        return round(getattr(sacrebleu, self.sentence_function)(hypothesis, [reference]).score, 2)


class BLEU(SacreBLEUMetric):
    name, corpus_function, sentence_function = "BLEU", "corpus_bleu", "sentence_bleu"


class ChrF(SacreBLEUMetric):
    name, corpus_function, sentence_function = "chrF", "corpus_chrf", "sentence_chrf"


class TermAccuracy:
    """Share of expected canonical names present in the output (case-insensitive, whole words)."""

    name = "term_accuracy"

    @staticmethod
    def found(term: str, hypothesis: str) -> bool:
        return whole_phrase(term).search(hypothesis) is not None

    def corpus(self, hypotheses: list[str], _references, terms: list[tuple[str, ...]]) -> float:
        expected = [(t, h) for h, ts in zip(hypotheses, terms, strict=True) for t in ts]
        if not expected:
            return 100.0
        return round(100 * sum(self.found(t, h) for t, h in expected) / len(expected), 2)

    def segment(self, hypothesis: str, _reference: str, terms: tuple[str, ...]) -> float:
        return self.corpus([hypothesis], None, [terms])


METRICS = (BLEU, ChrF, TermAccuracy)


@dataclass
class PrecisionRecall:
    """Counts of one label over a labelled set: precision, recall and F1 from them."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.true_positives += gold and predicted
        self.false_positives += predicted and not gold
        self.false_negatives += gold and not predicted

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


class FlagRate:
    """Share of sentences (%) the translate stage flagged with any of `flags`.

    The default counts what makes a translation unusable: copy-through (Arabic left in the
    English), a decoding loop, or a hypothesis cut at the decoding limit."""

    name = "flag_rate"
    flags: tuple[str, ...] = ("untranslated", "repetition", "truncated")

    def corpus(self, flag_lists: list[list[str]]) -> float:
        if not flag_lists:
            return 0.0
        return round(100 * sum(map(self.raised, flag_lists)) / len(flag_lists), 2)

    def segment(self, flags: list[str]) -> float:
        return 100.0 if self.raised(flags) else 0.0

    def raised(self, flags: list[str]) -> bool:
        return any(flag in self.flags for flag in flags)


class CopyThrough(FlagRate):
    name, flags = "copy_through", ("untranslated",)


class Repetition(FlagRate):
    name, flags = "repetition", ("repetition",)


class Truncation(FlagRate):
    name, flags = "truncation", ("truncated",)


FLAG_METRICS = (FlagRate, CopyThrough, Repetition, Truncation)
