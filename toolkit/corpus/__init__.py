"""The corpus: the published article record (record.py, a versioned codec) and the one
reader of OUTPUTS/<day>/articles/*.json (reader.py, `Corpus`).

Below every stage that reads published articles (stories, alerts, publish, archive,
deliver): it imports only toolkit.document, toolkit.errors and toolkit.fsutil.
"""

from toolkit.corpus.reader import Corpus, DayArticles, Published, read_folder
from toolkit.corpus.record import (
    DAY,
    RECORD_VERSION,
    ModelRef,
    day_of,
    decode,
    encode,
    outlet_name,
    read_record,
    story_of,
    write_record,
)

__all__ = [
    "DAY",
    "RECORD_VERSION",
    "Corpus",
    "DayArticles",
    "ModelRef",
    "Published",
    "day_of",
    "decode",
    "encode",
    "outlet_name",
    "read_folder",
    "read_record",
    "story_of",
    "write_record",
]
