"""Engine layout and the batch plan: settings reach CTranslate2, batches are handed over
together, results do not depend on the layout, and the memory is written batch by batch."""

import sqlite3

import pytest

from toolkit.document import Article, Sentence, Source
from toolkit.errors import ConfigError
from toolkit.pipeline import Pipeline
from toolkit.translate import DecodingOptions, Engine, Layout, TranslationMemory
from toolkit.translate.executor import LocalExecutor
from toolkit.translate.plan import SegmentInput, plan_batches

WORDS = [
    "اعتقلت",
    "الشرطة",
    "ثلاثة",
    "رجال",
    "يشتبه",
    "في",
    "تمويلهم",
    "تنظيم",
    "داعش",
    "عبر",
    "شبكة",
    "حوالة",
    "في",
    "العاصمة",
]


def sentences(count: int) -> list[str]:
    """Distinct short sentences of varied length (none is cut into segments)."""
    return [" ".join(WORDS[: 3 + i % 9]) + f" {i}." for i in range(count)]


def test_layout_reaches_ctranslate2(tiny_model, monkeypatch):
    import ctranslate2

    seen = {}
    real = ctranslate2.Translator

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", spy)
    engine = Engine(tiny_model, layout=Layout(workers=2, threads=1, batch_tokens=64))
    assert not seen  # loaded on first use only
    assert engine.translator.num_translators == 2
    assert (seen["inter_threads"], seen["intra_threads"]) == (2, 1)

    monkeypatch.setenv("TOOLKIT_LAYOUT", "1x2:128")
    engine = Engine(tiny_model)
    assert engine.translator.num_translators == 1
    assert (seen["inter_threads"], seen["intra_threads"]) == (1, 2)
    assert engine.layout.batch_tokens == 128


@pytest.mark.parametrize("text", ["2", "0x1", "2x1:8", "two by one"])
def test_a_bad_layout_setting_is_a_configuration_error(text):
    with pytest.raises(ConfigError, match="TOOLKIT_LAYOUT|layout"):
        Layout.parse(text)


def test_the_default_layout_is_one_single_threaded_worker_per_core():
    assert Layout.default(cores=2) == Layout(2, 1, Layout.BATCH_TOKENS)
    assert Layout.default(cores=1) == Layout(1, 1, Layout.BATCH_TOKENS)


def test_plan_respects_the_token_budget_and_keeps_every_segment_once():
    segments = [SegmentInput(tuple(["▁a"] * (4 + i % 20)) + ("</s>",)) for i in range(300)]
    options = DecodingOptions(beam_size=2)
    batches = list(plan_batches(segments, options, batch_tokens=96))
    members = [m for batch in batches for m in batch.members]
    assert sorted(members) == list(range(len(segments)))
    for batch in batches:
        longest = max(map(len, batch.sources))
        assert len(batch.sources) == 1 or len(batch.sources) * longest <= 96
        assert batch.max_decoding_length == options.decoding_limit(longest)
    assert [b.index for b in batches] == list(range(len(batches)))


def test_segments_with_different_suppressions_never_share_a_batch():
    plain = SegmentInput(("▁a", "</s>"))
    forbidding = SegmentInput(("▁a", "</s>"), suppress=(("▁x",),))
    batches = list(plan_batches([plain, forbidding, plain], DecodingOptions(), 4096))
    assert sorted(len(b.members) for b in batches) == [1, 2]
    assert {b.suppress for b in batches} == {(), (("▁x",),)}


class RecordingTranslator:
    """Wraps the real translator: logs each hand-over and each wait for a result."""

    def __init__(self, real):
        self.real, self.events = real, []

    def translate_batch(self, batch, **kwargs):
        self.events.append(("submit", kwargs.get("asynchronous")))
        results = self.real.translate_batch(batch, **kwargs)
        return [Waited(result, self.events) for result in results]


class Waited:
    def __init__(self, result, events):
        self.inner, self.events = result, events

    def result(self):
        self.events.append(("wait", None))
        return self.inner.result()


def test_batches_are_handed_over_together(tiny_model, monkeypatch):
    engine = Engine(tiny_model, layout=Layout(workers=2, threads=1, batch_tokens=48))
    recording = RecordingTranslator(engine.translator)
    monkeypatch.setattr(engine, "translator", recording)
    results = engine.translate(sentences(40), DecodingOptions(beam_size=1))
    assert all(r.text for r in results)
    submits = [e for e in recording.events if e[0] == "submit"]
    assert len(submits) > 4 and all(asynchronous for _, asynchronous in submits)
    first_wait = recording.events.index(("wait", None))
    # every worker has a batch and the next one is queued before the first result is awaited
    assert first_wait >= engine.layout.workers + 1


def test_the_same_plan_gives_the_same_translations_under_any_layout(tiny_model):
    texts = sentences(24)
    options = DecodingOptions(beam_size=2, num_hypotheses=2)
    outputs = []
    for layout in (Layout(1, 2, 256), Layout(2, 1, 256), Layout(2, 1, 256)):
        engine = Engine(tiny_model, layout=layout)
        outputs.append(
            [
                [(h.tokens, round(h.score, 4)) for s in t.segments for h in s.hypotheses]
                for t in engine.translate(texts, options)
            ]
        )
    assert outputs[0] == outputs[1] == outputs[2]


def article(texts: list[str], name: str) -> Article:
    """The first text is the headline."""
    return Article(
        id=name,
        source=Source(path=name, sha256="", encoding="utf-8"),
        headline=Sentence(ar=texts[0], original=texts[0], paragraph=-1),
        sentences=[Sentence(ar=t, original=t, paragraph=i) for i, t in enumerate(texts[1:])],
    )


def test_the_memory_is_committed_after_every_batch(tiny_model, tmp_path):
    """What a kill costs: when the next batch is awaited, every sentence of the batches
    already returned is in the memory on disk (seen through another connection)."""
    engine = Engine(tiny_model, layout=Layout(workers=2, threads=1, batch_tokens=40))
    path = tmp_path / "tm.sqlite"
    observed: list[tuple[int, int]] = []

    class Observing(LocalExecutor):
        def run(self, batches):
            returned = 0
            for result in super().run(batches):
                observed.append((returned, stored(path)))
                yield result
                returned += len(result.hypotheses)
            observed.append((returned, stored(path)))

    texts = sentences(30)
    groups = [[article(texts[:10], "a")], [article(texts[10:], "b")]]
    pipeline = Pipeline(engine, DecodingOptions(beam_size=1), memory=TranslationMemory(path))
    pipeline.executor = Observing(engine)
    finished = []
    counts = pipeline.run(groups, on_group=lambda number, _c: finished.append(number))
    assert len(observed) > 3
    assert all(rows == returned for returned, rows in observed)
    assert observed[-1][1] == len(texts)
    assert sorted(finished) == [0, 1] and [c.decoded for c in counts] == [10, 20]


def stored(path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    finally:
        db.close()
