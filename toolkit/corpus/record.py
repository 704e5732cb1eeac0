"""The published article record, articles/<id>.json: one versioned codec (write, read, check).

Version 1 is every record written before the field `version` existed; version 2 adds it and
what collect knew beside the outlet, url and date (`outlets`, `author`, `language` in
`source`, the outlet, url and date also at the top). Both are read; a newer version is an
error that names the file, never a guess.
"""

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.document import (
    Article,
    Brief,
    Cell,
    Entity,
    Figure,
    Person,
    Place,
    Quote,
    Sentence,
    Source,
    TermCheck,
)
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text

RECORD_VERSION = 2
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_SENTENCES = (1 << 16) - 1  # the archive numbers sentences in 16 bits


@dataclass(frozen=True)
class ModelRef:
    """What a published article says about the model that translated it."""

    name: str
    sha256: str
    quantization: str
    synthetic: bool

    @classmethod
    def of(cls, info) -> "ModelRef":
        """From a toolkit.model.store.ModelInfo (or anything with its four fields)."""
        return cls(info.name, info.model_sha256, info.quantization, info.synthetic)


def day_of(out_dir: Path, date: str | None = None) -> str:
    """The date a folder's digest is for: given, else the folder name, else today."""
    return date or (out_dir.name if DAY.fullmatch(out_dir.name) else dt.date.today().isoformat())


def outlet_name(outlet: str | None, url: str | None, path: str | None) -> str:
    """The outlet's name, else the web site's host, else the input file's name."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # "http://[::1" and the like
        host = None
    return outlet or host or (path or "").rsplit("/", 1)[-1]


def story_of(data: dict) -> str:
    """The story an article JSON belongs to: its "story" key, else a story of its own."""
    story = data.get("story")
    return story if isinstance(story, str) and story else str(data["id"])


def encode(article: Article, model: ModelRef) -> dict:
    """The record of a translated, briefed article."""
    source = article.source
    known = {
        k: v
        for k, v in (("outlet", source.outlet), ("url", source.url), ("date", source.date))
        if v
    }
    return {
        "version": RECORD_VERSION,
        "id": article.id,
        "source": asdict(source),
        "headline": {
            key: value
            for key, value in sentence_json(article.headline).items()
            if key not in ("paragraph", "bullet", "heading", "cell")
        },
        "sentences": [sentence_json(sentence) for sentence in article.sentences],
        "brief": asdict(article.brief) if article.brief else None,
        "glossary": glossary_summary(article),
        "model": asdict(model),
        **known,
        **({"story": article.story} if article.story not in (None, article.id) else {}),
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_record(folder: Path, article: Article, model: ModelRef) -> Path:
    """folder/<id>.json, replaced atomically."""
    path = Path(folder) / f"{article.id}.json"
    atomic_write_text(path, dumps(encode(article, model)))
    return path


def decode(data: dict, where: str) -> tuple[Article, ModelRef]:
    """A record read back and checked; InputError naming `where` when it is not one."""
    try:
        if not isinstance(data, dict):
            raise TypeError("not an object")
        version = data.get("version", 1)
        if not isinstance(version, int) or version > RECORD_VERSION:
            raise InputError(
                f"{where}: article record version {version!r} is newer than this toolkit's "
                f"({RECORD_VERSION}): upgrade the toolkit"
            )
        brief = data.get("brief")
        source = Source(**data["source"])
        if not isinstance(source.outlets, list):
            raise TypeError("source outlets must be a list")
        texts = [v for k, v in vars(source).items() if k not in ("outlets", "pages")]
        if not all(value is None or isinstance(value, str) for value in texts + source.outlets):
            raise TypeError("source fields must be strings (pages a number)")
        if not isinstance(source.pages, int | None):
            raise TypeError("source fields must be strings (pages a number)")
        if not isinstance(data.get("story", ""), str):
            raise TypeError("story must be a string")
        if not isinstance(data["id"], str):
            raise TypeError("id must be a string")
        article = Article(
            id=data["id"],
            source=source,
            headline=sentence_from_json(data["headline"], paragraph=-1),
            sentences=[sentence_from_json(s) for s in data["sentences"]],
            brief=Brief(
                bluf=brief["bluf"],
                key_points=list(brief["key_points"]),
                figures=[Figure(**f) for f in brief["figures"]],
                entities=[Entity(**e) for e in brief["entities"]],
                people=[
                    Person(**{**p, "mentions": tuple(p["mentions"])})
                    for p in brief.get("people", [])
                ],
                places=[
                    Place(**{**p, "mentions": tuple(p["mentions"])})
                    for p in brief.get("places", [])
                ],
                quotes=[Quote(**q) for q in brief.get("quotes", [])],
            )
            if brief
            else None,
            story=story_of(data),
        )
        _check_types(article)
        return article, ModelRef(**data["model"])
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        why = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise InputError(f"{where}: not an article record ({why})") from error


def _check_types(article: Article) -> None:
    """What every reader relies on: texts are strings, counts numbers, sentences countable."""
    texts = [article.headline.ar, article.headline.en]
    texts += [text for s in article.sentences for text in (s.ar, s.en)]
    texts += [term.english for s in article.all_sentences() for term in s.terms]
    entities = article.brief.entities if article.brief else []
    texts += [text for e in entities for text in (e.english, e.kind)]
    if not all(isinstance(text, str) for text in texts):
        raise TypeError("a text field of the record is not a string")
    if not all(isinstance(e.count, int) for e in entities):
        raise TypeError("an entity count is not a number")
    if len(article.sentences) > MAX_SENTENCES:
        raise ValueError(f"more than {MAX_SENTENCES} sentences")


def read_record(path: Path) -> tuple[Article, ModelRef]:
    """articles/<id>.json as an Article; InputError (naming the file) when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: {error}") from error
    return decode(data, str(path))


def sentence_json(sentence: Sentence) -> dict:
    return {
        "ar": sentence.ar,
        "en": sentence.en,
        "paragraph": sentence.paragraph,
        "bullet": sentence.bullet,
        **({"heading": sentence.heading} if sentence.heading else {}),
        **({"cell": asdict(sentence.cell)} if sentence.cell else {}),
        "score": sentence.score,
        "flags": sentence.flags,
        "terms": [asdict(term) for term in sentence.terms],
    }


def sentence_from_json(data: dict, paragraph: int | None = None) -> Sentence:
    return Sentence(
        ar=data["ar"],
        en=data["en"],
        paragraph=data["paragraph"] if paragraph is None else paragraph,
        bullet=data.get("bullet", ""),
        heading=int(data.get("heading", 0)),
        cell=Cell(**data["cell"]) if data.get("cell") else None,
        score=data.get("score"),
        flags=list(data.get("flags", [])),
        terms=[TermCheck(**term) for term in data.get("terms", [])],
    )


def glossary_summary(article: Article) -> dict:
    terms = [term for sentence in article.all_sentences() for term in sentence.terms]
    return {"matched": len(terms), "respected": sum(term.ok for term in terms)}
