"""Limits on the work one input may cause. Past them, input is refused or skipped and named.

The work is bounded by the size of the input (the file, then each article), and garbage is
recognised by its shape (toolkit.translate.segment.not_text), never by how long a valid
sentence is: a run-on paragraph of chained clauses is cut where the language cuts it and
translated in full. Garbage must not cost minutes: a 40 KB line without spaces was cut into
79 segments of 256 tokens, each decoded to the 512-token limit with beam 4 (55 s with the
tiny test model).
"""

from toolkit.state.settings import setting

# Characters of one article after cleaning (headline + body). The longest real article in
# ../shared/articles has about 5,000; 50,000 (some 8,000 words, 300 sentences, minutes of
# decoding on 2 cores) is a very long feature. Past that it is a dump, not a news article.
MAX_ARTICLE_CHARS = 50_000

# What is not text. A run without whitespace longer than LONG_RUN_CHARS is no word (a URL,
# base64, a line of letters); a sentence holding more than LONG_RUNS_MAX_CHARS of such runs
# is a blob (a single long URL in a sentence is still translated).
LONG_RUN_CHARS = 100
LONG_RUNS_MAX_CHARS = 1_000
# base64-like words (letters, digits, + / = only, mixing letters and digits) of at least
# this length, making up most of a sentence, are an encoded payload
BASE64_WORD_CHARS = 24
# one character or one word making up more than this share of a sentence of at least
# REPEAT_MIN_ITEMS of them: one thing repeated, not language
REPEAT_SHARE = 0.5
REPEAT_MIN_ITEMS = 32


# Bytes of one input file, checked from its size before it is read: TOOLKIT_MAX_FILE_MB
# (toolkit/state/settings.py), default 20 MB. 20 MB holds 200 articles at MAX_ARTICLE_CHARS
# (2 bytes per Arabic letter), or some 2,000 typical ones (10 KB): a night of decoding on 2
# cores. Past that it is a dump or an attack.
def max_file_bytes() -> int:
    """TOOLKIT_MAX_FILE_MB in bytes."""
    return int(setting("TOOLKIT_MAX_FILE_MB") * 2**20)
