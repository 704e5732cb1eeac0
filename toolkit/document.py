"""The document object that flows through the stages.

ingest → glossary → translate → brief → publish.

Ingest creates Articles with Arabic sentences; later stages fill in the other fields.
"""

from dataclasses import dataclass, field


@dataclass
class Source:
    path: str
    sha256: str
    encoding: str
    url: str | None = None
    date: str | None = None


@dataclass
class TermCheck:
    """One glossary term matched in a source sentence, and whether its English came out."""

    arabic: str
    english: str
    ok: bool


@dataclass
class Sentence:
    ar: str  # normalized: what the model is given (before glossary pre-processing)
    paragraph: int
    original: str = ""  # as it stands in the input, for surfaces and display
    matches: list = field(default_factory=list)  # glossary TermMatches in `original`
    en: str = ""
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    terms: list[TermCheck] = field(default_factory=list)


@dataclass
class Article:
    id: str
    source: Source
    headline: Sentence
    sentences: list[Sentence]
    dropped: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[list[Sentence]]:
        grouped: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            grouped.setdefault(sentence.paragraph, []).append(sentence)
        return [grouped[key] for key in sorted(grouped)]

    def all_sentences(self) -> list[Sentence]:
        """Headline first, then the body: everything the translate stage decodes."""
        return [self.headline, *self.sentences]
