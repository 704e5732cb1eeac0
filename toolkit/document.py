"""The document object that flows through the stages.

ingest → glossary → translate → brief → publish.

Ingest creates Articles with Arabic sentences; later stages fill in the other fields.
"""

from dataclasses import dataclass, field

NOT_TEXT = "not-text"  # the flag of garbage (segment.not_text): not sent to the model
SKIPPED_NOT_TEXT = "[skipped: not text]"  # its English
OCR = "ocr"  # the flag of a sentence read from a page image by OCR (set at ingest, kept)


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
    encoding: str  # a text encoding, or the document format ("pdf", "docx")
    url: str | None = None
    date: str | None = None
    outlet: str | None = None  # the news outlet (JSON `source`/`outlet`, or collect's source name)
    pages: int | None = None  # a PDF's page count


@dataclass(frozen=True)
class Cell:
    """Where a paragraph sits in a document's table (a table cell is its own paragraph)."""

    table: int  # 0 for the article's first table
    row: int
    column: int


@dataclass
class TermCheck:
    """One glossary term matched in a source sentence, and whether its English came out."""

    arabic: str
    english: str
    ok: bool


@dataclass(frozen=True)
class PersonMention:
    """Where a person is named in a sentence's `original` text (toolkit.names)."""

    start: int
    end: int
    person: str  # the Person's id


@dataclass
class Sentence:
    ar: str  # normalized: what the model is given (before glossary pre-processing)
    paragraph: int
    original: str = ""  # as it stands in the input, for surfaces and display
    bullet: str = ""  # list marker of its paragraph ("-" or "3."), "" for running text
    heading: int = 0  # its paragraph is a section heading of this level (1 = top); 0: text
    cell: Cell | None = None  # its paragraph is this table cell
    matches: list = field(default_factory=list)  # glossary TermMatches in `original`
    en: str = ""
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    terms: list[TermCheck] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)  # set by toolkit.names

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


@dataclass(frozen=True)
class Person:
    id: str  # stable across articles and nights (toolkit.names.people)
    english: str  # the one English spelling
    mentions: tuple[str, ...]  # Arabic, as written in the text
    role: str  # English ("finance minister"), "" when the text gives none
    country: str  # ISO 3166 alpha-2, "" when unknown


@dataclass(frozen=True)
class Place:
    english: str
    mentions: tuple[str, ...]  # Arabic, as written
    country: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class Quote:
    speaker: str  # a person's English spelling or an organisation's English name
    kind: str  # direct | reported
    ar: str
    en: str


@dataclass
class Brief:
    bluf: str
    key_points: list[str]
    figures: list[Figure]
    entities: list[Entity]
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Article:
    id: str
    source: Source
    headline: Sentence
    sentences: list[Sentence]
    dropped: list[str] = field(default_factory=list)
    brief: Brief | None = None
    story: str | None = None  # set by the stories stage (toolkit.stories)
    people: list[Person] = field(default_factory=list)  # set by toolkit.names
    places: list[Place] = field(default_factory=list)  # set by toolkit.names

    @property
    def paragraphs(self) -> list[list[Sentence]]:
        grouped: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            grouped.setdefault(sentence.paragraph, []).append(sentence)
        return [grouped[key] for key in sorted(grouped)]

    def all_sentences(self) -> list[Sentence]:
        """Headline first, then the body: everything the translate stage decodes."""
        return [self.headline, *self.sentences]
