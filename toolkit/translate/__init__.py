"""Translate stage: fills in `en`, `score`, `flags` and `terms` of every sentence.

With a glossary, each sentence's matched terms (from the glossary stage) are enforced with
the chosen strategy (toolkit.glossary.enforce) and verified in the output.
"""

import copy
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from toolkit.document import OCR, Article, Sentence
from toolkit.glossary.enforce import (
    STRATEGIES,
    Enforcement,
    post_edit,
    prepare_source,
    restore_placeholders,
    suppressed_variants,
    terms_present,
    verify,
)
from toolkit.glossary.entries import Glossary
from toolkit.translate.engine import DecodingOptions, Engine, Layout, Segment, Translation
from toolkit.translate.executor import Executor
from toolkit.translate.flags import sentence_flags
from toolkit.translate.memory import TranslationMemory, memory_key
from toolkit.translate.plan import SegmentInput


@dataclass
class TranslationCounts:
    sentences: int = 0
    decoded: int = 0
    from_memory: int = 0


__all__ = [
    "DecodingOptions",
    "Engine",
    "Layout",
    "Translation",
    "TranslationCounts",
    "TranslationMemory",
    "translate_groups",
]


@dataclass
class _Group:
    sentences: list[Sentence]
    keys: list[str]
    waiting_for: set[str]  # model inputs not decoded yet
    counts: TranslationCounts


@dataclass
class _Decoding:
    """One distinct model input on its way through the decoder."""

    source: str
    segments: list[Segment | None]
    groups: list[int]


def translate_groups(
    groups: list[list[Article]],
    engine: Engine,
    options: DecodingOptions = DecodingOptions(),
    progress: Callable[[int, int], None] | None = None,
    glossary: Glossary | None = None,
    strategy: Enforcement = STRATEGIES["none"],
    memory: TranslationMemory | None = None,
    executor: Executor | None = None,
    on_group: Callable[[int, TranslationCounts], None] | None = None,
) -> list[TranslationCounts]:
    """Translate groups of articles (one per input file) as one decoding stream.

    Sentences found in the memory are not decoded; the others, from every group, are cut
    into segments and planned into batches together so that batches fill up. The memory
    is written after every decoded batch (a killed run loses only the batches in flight),
    and `on_group(i, counts)` is called as soon as every sentence of group i is done.

    A run resumed after a kill plans what the killed run planned (the memory keeps it) and
    decodes only the batches with something still missing: its batches, so its translations
    (the decoding limit is the batch's), are those of a run that was never interrupted.
    """
    if glossary is None:
        strategy = STRATEGIES["none"]
    if strategy.rerank > 1:
        options = replace(options, num_hypotheses=min(strategy.rerank, options.beam_size))
    model = engine.info.model_sha256
    state: list[_Group] = []
    work: dict[str, tuple[str, list[str]]] = {}
    for articles in groups:
        sentences = [
            sentence
            for article in articles
            for sentence in article.all_sentences()
            if not sentence.skipped  # not text: never sent to the model
        ]
        keys = []
        for sentence in sentences:
            source = prepare_source(sentence.original or sentence.ar, sentence.matches, strategy)
            suppress = (
                suppressed_variants(sentence.matches, glossary)
                if strategy.suppress and glossary
                else []
            )
            keys.append(memory_key(model, options, source, suppress))
            work.setdefault(keys[-1], (source, suppress))
        state.append(_Group(sentences, keys, set(), TranslationCounts(len(sentences))))

    translations: dict[str, Translation] = memory.get_many(list(work)) if memory else {}
    missing = [key for key in work if key not in translations]
    plan = hashlib.sha256("\n".join(work).encode()).hexdigest()  # the same work, the same plan
    planned = memory.plan(plan, missing) if memory else set(missing)
    decoding: dict[str, _Decoding] = {}
    inputs: list[SegmentInput] = []
    owners: list[tuple[str, int]] = []  # (key, segment number) of every planned input
    placed: set[str] = set()
    for number, group in enumerate(state):
        for key in group.keys:
            if key in planned and key not in placed:
                placed.add(key)
                source, suppress = work[key]
                pieces = engine.segment_inputs(source, options, suppress)
                owners += [(key, n) for n in range(len(pieces))]
                inputs += pieces
                if key not in translations:  # else stored by the run this one resumes
                    decoding[key] = _Decoding(source, [None] * len(pieces), [])
                    group.counts.decoded += 1
            if key in decoding and key not in group.waiting_for:
                group.waiting_for.add(key)
                decoding[key].groups.append(number)
    for group in state:
        # a repeated sentence is decoded once; its other copies count as served from memory
        group.counts.from_memory = group.counts.sentences - group.counts.decoded

    def finish(number: int) -> None:
        group = state[number]
        for sentence, key in zip(group.sentences, group.keys, strict=True):
            translation = translations[key]
            if sentence.matches and strategy.rerank > 1:
                translation = copy.deepcopy(translation)  # re-ranked in place; keys repeat
            _finish(sentence, translation, glossary, strategy)
        if on_group:
            on_group(number, group.counts)

    def completed(key: str) -> Iterator[int]:
        """Store a fully decoded input; the groups it was the last missing piece of."""
        item = decoding.pop(key)
        translations[key] = Translation(item.segments)  # type: ignore[arg-type]
        for number in item.groups:
            state[number].waiting_for.discard(key)
            if not state[number].waiting_for:
                yield number

    for key in [key for key, item in decoding.items() if not item.segments]:
        list(completed(key))  # empty input: nothing to decode
    total = sum(len(group.keys) for group in state)
    uses = Counter(key for group in state for key in group.keys)
    done = total - sum(uses[key] for key in decoding)

    if progress:
        progress(done, total)
    for number, group in enumerate(state):
        if not group.waiting_for:
            finish(number)

    wanted = {member for member, (key, _) in enumerate(owners) if key in decoding}
    for batch, segments in engine.decode(inputs, options, executor, wanted):
        finished: list[str] = []
        for member, segment in zip(batch.members, segments, strict=True):
            key, part = owners[member]
            item = decoding.get(key)
            if item is None:  # in the memory already
                continue
            item.segments[part] = segment
            if all(s is not None for s in item.segments):
                finished.append(key)
        ready = [number for key in finished for number in completed(key)]
        if memory is not None and finished:
            rows = [(key, work[key][0], translations[key]) for key in finished]
            memory.put_many(model, rows)  # committed: a crash after this loses nothing
        done += sum(uses[key] for key in finished)
        if progress:
            progress(done, total)
        for number in ready:
            finish(number)
    if memory is not None:
        memory.forget_plan(plan)
    return [group.counts for group in state]


def _finish(
    sentence: Sentence, translation: Translation, glossary: Glossary | None, strategy: Enforcement
) -> None:
    def final(english: str) -> str:
        if strategy.placeholder:
            english = restore_placeholders(english, sentence.matches)
        if strategy.post_edit and glossary is not None:
            english = post_edit(english, sentence.matches, glossary)
        return english

    if sentence.matches and strategy.rerank > 1:
        translation.rerank(
            lambda hypothesis: terms_present(final(hypothesis.text), sentence.matches)
        )
    sentence.en = final(translation.text)
    sentence.score = translation.score
    sentence.terms = verify(sentence.en, sentence.matches) if glossary is not None else []
    read_by_ocr = [OCR] if OCR in sentence.flags else []
    sentence.flags = read_by_ocr + sentence_flags(
        sentence.ar, sentence.en, sentence.score, translation.truncated
    )
    if any(not term.ok for term in sentence.terms):
        sentence.flags.append("glossary")
