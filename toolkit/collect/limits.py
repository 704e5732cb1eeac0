"""Every bound on what collecting may cost, each with its TOOLKIT_COLLECT_* setting.

Defaults: a news page is 50–500 KB of HTML (compressed a third of that); 5 MB on the wire
and 20 MB decoded leave room for the heaviest pages while a gzip bomb (1,000:1) stops at
20 MB. A healthy site answers in well under a second: 10 s to connect, 20 s between bytes
and 60 s for a whole page give slow sites their chance and stop a stalled one. Retry-After
beyond 120 s means "not tonight": the page is failed and tried on a later run.
"""

import os
from dataclasses import dataclass, fields

from toolkit.errors import ConfigError


@dataclass(frozen=True)
class CollectLimits:
    connect_timeout: float = 10.0  # s to open a connection
    read_timeout: float = 20.0  # s of silence while reading an answer
    page_seconds: float = 60.0  # s for one whole answer, trickling included
    max_bytes: int = 5_000_000  # bytes on the wire (compressed) per answer
    max_decoded_bytes: int = 20_000_000  # bytes after decompression per answer
    max_redirects: int = 5
    retries: int = 2  # more tries after a 429 or 503
    retry_after_cap: float = 120.0  # s; a longer Retry-After fails the page
    delay: float = 1.0  # s between requests to one host (a source's `delay` overrides)
    max_delay: float = 30.0  # s; cap on a robots.txt Crawl-delay
    max_per_source: int = 50  # new pages fetched per source and run
    max_sitemaps: int = 10  # child sitemaps read from one sitemap index
    max_attempts: int = 3  # runs that retry a page that failed (5xx, timeouts)
    min_arabic: float = 0.5  # share of Arabic among the letters of the text

    @classmethod
    def from_env(cls) -> "CollectLimits":
        values = {}
        for spec in fields(cls):
            name = env_name(spec.name)
            text = os.environ.get(name, "").strip()
            if not text:
                continue
            kind = int if spec.type in (int, "int") else float
            try:
                value = kind(text)
            except ValueError:
                value = -1
            if value < 0 or (value == 0 and spec.name not in ZERO_ALLOWED):
                raise ConfigError(f"{name}={text!r}: expected a number above 0")
            values[spec.name] = value
        return cls(**values)


ZERO_ALLOWED = {"delay", "retries", "min_arabic"}
SETTINGS = {  # field → its environment variable, spelt out so that it can be found
    "connect_timeout": "TOOLKIT_COLLECT_CONNECT_TIMEOUT",
    "read_timeout": "TOOLKIT_COLLECT_READ_TIMEOUT",
    "page_seconds": "TOOLKIT_COLLECT_PAGE_SECONDS",
    "max_bytes": "TOOLKIT_COLLECT_MAX_BYTES",
    "max_decoded_bytes": "TOOLKIT_COLLECT_MAX_DECODED_BYTES",
    "max_redirects": "TOOLKIT_COLLECT_MAX_REDIRECTS",
    "retries": "TOOLKIT_COLLECT_RETRIES",
    "retry_after_cap": "TOOLKIT_COLLECT_RETRY_AFTER_CAP",
    "delay": "TOOLKIT_COLLECT_DELAY",
    "max_delay": "TOOLKIT_COLLECT_MAX_DELAY",
    "max_per_source": "TOOLKIT_COLLECT_MAX_PER_SOURCE",
    "max_sitemaps": "TOOLKIT_COLLECT_MAX_SITEMAPS",
    "max_attempts": "TOOLKIT_COLLECT_MAX_ATTEMPTS",
    "min_arabic": "TOOLKIT_COLLECT_MIN_ARABIC",
}


def env_name(field_name: str) -> str:
    return SETTINGS[field_name]
