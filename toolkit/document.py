"""The document object that flows through the stages.

ingest → glossary → translate → brief → publish.

Ingest creates Articles with Arabic sentences; later stages fill in the other fields.
"""

from dataclasses import dataclass, field

NOT_TEXT = "not-text"  # the flag of garbage (segment.not_text): not sent to the model
SKIPPED_NOT_TEXT = "[skipped: not text]"  # its English


@dataclass(frozen=True)
class Problem:
    """A part of an input that was left out (a bad JSONL line, a too-long article, a blob)."""

    where: str  # "feed.jsonl:2", "list.json: item 2", "a.txt: a-1, sentence 3"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Source:
    path: str
    sha256: str
    encoding: str
    url: str | None = None
    date: str | None = None
    outlet: str | None = None  # the news outlet (JSON `source`/`outlet`, or collect's source name)
    outlets: list[str] = field(default_factory=list)  # every outlet that carried it (collect)
    author: str | None = None
    language: str | None = None


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
    bullet: str = ""  # list marker of its paragraph ("-" or "3."), "" for running text
    matches: list = field(default_factory=list)  # glossary TermMatches in `original`
    en: str = ""
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    terms: list[TermCheck] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return NOT_TEXT in self.flags

    def skip_not_text(self) -> None:
        self.en, self.score, self.flags, self.terms = SKIPPED_NOT_TEXT, None, [NOT_TEXT], []


@dataclass(frozen=True)
class Figure:
    kind: str  # money | percent | date | count
    value: str  # English, exact: "$260 million", "35%", "13 August 2020", "40,000"
    arabic: str  # as it stands in the source sentence
    context: str  # short English context


@dataclass(frozen=True)
class Entity:
    english: str
    kind: str
    count: int


@dataclass
class Brief:
    bluf: str
    key_points: list[str]
    figures: list[Figure]
    entities: list[Entity]


@dataclass
class Article:
    id: str
    source: Source
    headline: Sentence
    sentences: list[Sentence]
    dropped: list[str] = field(default_factory=list)
    brief: Brief | None = None
    story: str | None = None  # set by the stories stage (toolkit.stories)

    @property
    def paragraphs(self) -> list[list[Sentence]]:
        grouped: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            grouped.setdefault(sentence.paragraph, []).append(sentence)
        return [grouped[key] for key in sorted(grouped)]

    def all_sentences(self) -> list[Sentence]:
        """Headline first, then the body: everything the translate stage decodes."""
        return [self.headline, *self.sentences]
