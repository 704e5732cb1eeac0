"""Translation memory: SQLite (WAL), one row per sentence the model decoded.

Key = sha256 of (model sha256, the decoding options that change results, the exact text the
model is given — normalized, with glossary names injected — and the variants suppressed for
it). The value is the decoder's raw n-best output, so glossary post-editing, re-ranking and
verification run again on every use and never need a decode. Editing one glossary entry
changes the key only of the sentences it touches; another model changes every key.

The memory is a cache: one that SQLite finds corrupt (or that is not a database, or not ours)
is moved aside as `tm.sqlite.corrupt-<time>` with its -wal/-shm files, and a new one starts.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

from toolkit.fsutil import open_state_db
from toolkit.translate.engine import DecodingOptions, Hypothesis, Segment, Translation

COLUMNS = ["key", "model_sha256", "source", "result", "created"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    created TEXT NOT NULL
)
"""


def memory_key(
    model_sha256: str, options: DecodingOptions, source: str, suppress: list[str]
) -> str:
    decoding = [
        options.beam_size,
        options.num_hypotheses,
        options.max_source_tokens,
        options.decoding_ratio,
        options.decoding_margin,
    ] + ([options.vmap] if options.vmap else [])  # keys made without a vmap stay valid
    material = json.dumps([model_sha256, decoding, source, sorted(suppress)], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()


def translation_to_json(translation: Translation) -> str:
    return json.dumps(
        [
            {
                "source_tokens": segment.source_tokens,
                "limit": segment.limit,
                "hypotheses": [[h.tokens, h.text, h.score] for h in segment.hypotheses],
            }
            for segment in translation.segments
        ],
        ensure_ascii=False,
    )


def translation_from_json(text: str) -> Translation:
    return Translation(
        [
            Segment(
                source_tokens=segment["source_tokens"],
                hypotheses=[
                    Hypothesis(tokens, words, score)
                    for tokens, words, score in segment["hypotheses"]
                ],
                limit=segment["limit"],
            )
            for segment in json.loads(text)
        ]
    )


class TranslationMemory:
    def __init__(self, path: Path):
        self.path = Path(path)
        # warning: set when a corrupt memory was set aside
        self.db, self.warning = open_state_db(
            self.path, "translations", COLUMNS, SCHEMA, "translation memory"
        )

    def get_many(self, keys: list[str]) -> dict[str, Translation]:
        found: dict[str, Translation] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, result FROM translations WHERE key IN ({marks})", chunk
            )
            found.update((key, translation_from_json(result)) for key, result in rows)
        return found

    def put_many(self, model_sha256: str, items: list[tuple[str, str, Translation]]) -> None:
        """Store (key, source, translation) rows in one transaction."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)",
                [
                    (key, model_sha256, source, translation_to_json(t), now)
                    for key, source, t in items
                ],
            )

    def close(self) -> None:
        self.db.close()
