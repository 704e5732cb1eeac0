"""Who said what: direct quotes and reported speech, each with its speaker.

Read on the Arabic side, one sentence at a time:
- a reporting verb (قال، أكد، أوضح، أضاف، أعلن، أشار، ذكر، اعتبر، حذّر، كشف، أفاد، بيّن، رأى،
  نفى، شدّد، جاء في، دفع بأن، أقرّ بأن …, with و/ف before it and ت after it);
- its speaker: the words between the verb and what was said (إن، أن، بأن، إلى أن، من أن, a
  colon or an opening quote mark). The speaker is the person named there, else the
  glossary organisation named there (مسؤول في وزارة الخزانة الأمريكية → US Treasury), else
  a source noun (الشرطة → police); with nothing between them (وأضاف أن …), the person
  named before the verb in the same sentence, else the article's previous speaker;
- what was said: a quotation in «…», “…” or "…" of three words or more is a direct quote;
  otherwise the clause after إن/أن is reported speech.
A quote keeps its Arabic and the English of its sentence (the quoted part of it when the
English has quote marks too).
"""

import re

from toolkit.document import Article, Person, Quote, Sentence
from toolkit.names.people import Word, words_of
from toolkit.names.places import word_list
from toolkit.text.arabic import fold

VERB_STEMS = "قال أكد أوضح أضاف أعلن أشار ذكر اعتبر حذر كشف أفاد بين رأى نفى شدد لفت تابع أقر دفع"
VERBS = frozenset(
    fold(form)
    for stem in VERB_STEMS.split()
    for verb in (stem, stem + "ت", stem + "وا")
    for form in (verb, "و" + verb, "ف" + verb)
) | frozenset(
    fold(form)
    for verb in ["نفت", "رأت", "يقول", "تقول", "يؤكد", "تؤكد"]
    for form in (verb, "و" + verb, "ف" + verb)
)
# what opens the words said, after the speaker (longest first)
THAT = tuple(
    sorted(
        (
            fold(w)
            for w in word_list("""
    إن أن بأن إنه أنه إنها أنها بأنه بأنها إنهم أنهم وإن
    """)
        ),
        key=len,
        reverse=True,
    )
)
THAT_AFTER = frozenset(fold(w) for w in ["إلى", "الى", "من"])  # أشار إلى أن، حذر من أن
JAA_FI = (fold("جاء"), fold("وجاء"))  # جاء في بيان الوزارة أن …
QUOTE_SPANS = re.compile(r"«([^»]+)»|“([^”]+)”|\"([^\"]+)\"")
DIRECT_MIN_WORDS = 3
# sources that are neither people nor glossary organisations (folded, longest match wins)
SOURCES = {
    fold(arabic): english
    for arabic, english in (
        ("الشرطة", "police"),
        ("الشرطة الكينية", "police"),
        ("مصدر عسكري", "a military source"),
        ("مصدر أمني", "a security source"),
        ("مصادر أمنية", "security sources"),
        ("مصادر محلية", "local sources"),
        ("مصادر مطلعة", "informed sources"),
        ("مصادر", "sources"),
        ("مصدر", "a source"),
        ("التحقيقات", "investigators"),
        ("التحقيق", "investigators"),
        ("المحققون", "investigators"),
        ("السلطات", "the authorities"),
        ("الجيش", "the army"),
        ("المحكمة", "the court"),
        ("النيابة العامة", "prosecutors"),
        ("النيابة", "prosecutors"),
        ("الوزارة", "the ministry"),
        ("الحكومة", "the government"),
        ("مسؤول", "an official"),
        ("شهود", "witnesses"),
    )
}
SOURCE_WORDS = max(len(key.split()) for key in SOURCES)


def _direct_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in QUOTE_SPANS.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        if len(match.group(group).split()) >= DIRECT_MIN_WORDS:
            spans.append((match.start(group), match.end(group)))
    return spans


def _said_from(text: str, words: list[Word], verb: int) -> tuple[int, int]:
    """(index of the first word after the speaker, character offset where the saying starts)."""
    for index in range(verb + 1, len(words)):
        gap = text[words[index - 1].end : words[index].start]
        if ":" in gap or "«" in gap or "“" in gap or '"' in gap:
            return index, words[index - 1].end
        word = words[index].folded
        if word in THAT or (
            word in THAT_AFTER and index + 1 < len(words) and words[index + 1].folded in THAT
        ):
            return index, words[index].start
    return len(words), len(text)


def _source(words: list[Word]) -> str | None:
    for size in range(SOURCE_WORDS, 0, -1):
        for index in range(len(words) - size + 1):
            phrase = " ".join(word.folded for word in words[index : index + size])
            if phrase in SOURCES:
                return SOURCES[phrase]
    return None


def _speaker(
    sentence: Sentence, text: str, span: tuple[int, int], before: int, people: dict[str, Person]
) -> str | None:
    start, end = span
    for mention in sentence.people:
        if start <= mention.start < end and mention.person in people:
            return people[mention.person].english
    for match in sentence.matches:
        if start <= match.start < end and match.entry.kind in ("organization", "platform"):
            return match.entry.english
    found = _source([w for w in words_of(text) if start <= w.start < end])
    if found:
        return found
    earlier = [m for m in sentence.people if m.end <= before and m.person in people]
    if earlier:  # من جهتها، نفت حليمة …، وقالت لمحاميها إنها …
        return people[earlier[-1].person].english
    return None if text[start:end].strip(" ،,") else ""


def _english_quote(english: str) -> str:
    quoted = QUOTE_SPANS.search(english)
    if quoted:
        return next(g for g in quoted.groups() if g is not None)
    return english


def find_quotes(article: Article) -> list[Quote]:
    people = {person.id: person for person in article.people}
    quotes: list[Quote] = []
    previous = ""
    for sentence in article.sentences:
        if sentence.skipped:
            continue
        text = sentence.original or sentence.ar
        words = words_of(text)
        direct = _direct_spans(text)
        inside = [i for i, w in enumerate(words) if any(s <= w.start < e for s, e in direct)]
        verbs = [
            i
            for i, word in enumerate(words)
            if i not in inside
            and (word.folded in VERBS or (word.folded in JAA_FI and i + 1 < len(words)))
        ]
        if not verbs:
            continue
        verb = verbs[0]
        said_index, said_at = _said_from(text, words, verb)
        speaker_span = (
            words[verb].end,
            words[said_index].start if said_index < len(words) else said_at,
        )
        speaker = _speaker(sentence, text, speaker_span, words[verb].start, people)
        if speaker == "":  # nothing between the verb and the words: the one speaking before
            speaker = previous
        speaker = speaker or ""
        quoted = [(s, e) for s, e in direct if s >= words[verb].start] or direct
        if quoted:
            start, end = quoted[0]
            quotes.append(Quote(speaker, "direct", text[start:end], _english_quote(sentence.en)))
        elif said_index < len(words):
            clause = text[words[said_index].end :].strip(" ،,.")
            if len(clause.split()) < 2:
                continue
            quotes.append(Quote(speaker, "reported", clause, sentence.en))
        else:
            continue
        previous = speaker or previous
    return quotes
