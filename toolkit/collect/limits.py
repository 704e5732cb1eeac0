"""Every bound on what collecting may cost, each with its TOOLKIT_COLLECT_* setting
(declared, with its default, in toolkit/state/settings.py).

Defaults: a news page is 50–500 KB of HTML (compressed a third of that); 5 MB on the wire
and 20 MB decoded leave room for the heaviest pages while a gzip bomb (1,000:1) stops at
20 MB. A healthy site answers in well under a second: 10 s to connect, 20 s between bytes
and 60 s for a whole page give slow sites their chance and stop a stalled one. Retry-After
beyond 120 s means "not tonight": the page is failed and tried on a later run.
"""

from dataclasses import dataclass, fields

from toolkit.state.settings import default, setting


def env_name(field_name: str) -> str:
    return f"TOOLKIT_COLLECT_{field_name.upper()}"


def _default(field_name: str):
    return default(env_name(field_name))


@dataclass(frozen=True)
class CollectLimits:
    connect_timeout: float = _default("connect_timeout")  # s to open a connection
    read_timeout: float = _default("read_timeout")  # s of silence while reading an answer
    page_seconds: float = _default("page_seconds")  # s for one whole answer, trickling included
    max_bytes: int = _default("max_bytes")  # bytes on the wire (compressed) per answer
    max_decoded_bytes: int = _default("max_decoded_bytes")  # bytes after decompression
    max_redirects: int = _default("max_redirects")
    retries: int = _default("retries")  # more tries after a 429 or 503
    retry_after_cap: float = _default("retry_after_cap")  # s; a longer Retry-After fails
    delay: float = _default("delay")  # s between requests to one host (a source's `delay` wins)
    max_delay: float = _default("max_delay")  # s; cap on a robots.txt Crawl-delay
    max_per_source: int = _default("max_per_source")  # new pages fetched per source and run
    max_sitemaps: int = _default("max_sitemaps")  # child sitemaps read from one sitemap index
    max_attempts: int = _default("max_attempts")  # runs that retry a failed page (5xx, timeouts)
    min_arabic: float = _default("min_arabic")  # share of Arabic among the letters of the text

    @classmethod
    def from_env(cls) -> "CollectLimits":
        return cls(**{spec.name: setting(env_name(spec.name)) for spec in fields(cls)})
