"""Limits on the work one input may cause. Past them, text is skipped and named, not decoded.

Garbage must not cost minutes: a 40 KB line without spaces was cut into 79 segments of 256
tokens, each decoded to the 512-token limit with beam 4 (55 s with the tiny test model).
Ingest checks the article size (toolkit.ingest); the translate stage checks each sentence with
the model's own tokenizer (toolkit.translate.segment.too_long) and marks it `too-long`.
"""

# Characters of one article after cleaning (headline + body). The longest real article in
# ../shared/articles has about 5,000; 50,000 (some 8,000 words, 300 sentences, minutes of
# decoding on 2 cores) is a very long feature. Past that it is a dump, not a news article.
MAX_ARTICLE_CHARS = 50_000

# SentencePiece tokens of one sentence, `</s>` included: four full segments of 256. The
# longest real sentence we have (1,030 characters) is 591 tokens with the tiny test model's
# vocabulary and fewer with opus-mt's; a sentence past this is a blob (base64, a URL list).
MAX_SENTENCE_TOKENS = 1_024

# Segments one sentence is cut into (each may decode up to 512 steps × beam). Token packing
# alone gives at most about 8 under MAX_SENTENCE_TOKENS; a quotation is also cut into its own
# sentences (toolkit.translate.segment), and a long quoted statement of 10–15 short sentences
# is news, not garbage. More pieces than this means the text has no structure to cut at.
MAX_SENTENCE_SEGMENTS = 16
