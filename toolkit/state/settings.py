"""Every setting the toolkit reads from the environment, declared once, read one way.

`SETTINGS` declares each: its name, how its text is read (`Kind`), its default, and the
docs row (default and what it bounds). The code reads a setting only through `setting(name)`
at call time, never at import time; docs/limits.md's settings table is generated from this
table (`python -m toolkit.cli.docs`, `make docs`) and tests/test_docs.py keeps them equal.

An empty or blank value is unset. A bad value is a ConfigError (exit 2) in one line:
`NAME='value': expected …`. `check_all()` checks every setting at once: the CLI does so
before any command runs, so a bad value never surfaces half-way through a night.
"""

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from toolkit.errors import ConfigError


@dataclass(frozen=True)
class Kind:
    """How a setting's text is read: `read` returns the value or None when the text is bad."""

    read: Callable[[str], object]
    expects: str  # the end of the one-line error: "expected …" / "use …"


def _number(text: str, integer: bool) -> float | int | None:
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def above_zero(unit: str = "") -> Kind:
    def read(text: str) -> float | None:
        value = _number(text, integer=False)
        return value if value is not None and value > 0 else None

    return Kind(read, f"expected a number{' of ' + unit if unit else ''} above 0")


def count(integer: bool, zero: bool = False) -> Kind:
    """A number of things (int) or an amount (float); with `zero`, 0 too."""

    def read(text: str) -> float | int | None:
        value = _number(text, integer)
        if value is None or value < 0 or (value == 0 and not zero):
            return None
        return value

    return Kind(read, "expected a number above 0")


def matching(pattern: str, expects: str) -> Kind:
    return Kind(lambda text: text if re.fullmatch(pattern, text) else None, expects)


def _http_address(text: str) -> str | None:
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


SECONDS = above_zero("seconds")
TEXT = Kind(lambda text: text, "")
PATH = Kind(lambda text: text, "")  # the caller makes the Path: a str value keeps it simple
LAYOUT = matching(
    r"\s*\d+\s*x\s*\d+\s*(?::\s*\d+)?\s*", "use WORKERSxTHREADS[:BATCH_TOKENS], e.g. 2x1:2048"
)


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: object  # the value when unset (None: unset means "not given")
    shown_default: str  # the docs' "default" cell
    doc: str  # the docs' "what it bounds" cell

    def read(self, environ: Mapping[str, str]) -> object:
        text = environ.get(self.name, "").strip()
        if not text:
            return self.default
        value = self.kind.read(text)
        if value is None:
            raise ConfigError(f"{self.name}={text!r}: {self.kind.expects}")
        return value


_DECLARED = [
    Setting(
        "TOOLKIT_MODEL",
        PATH,
        None,
        "`models/opus-mt-tc-big-ar-en`",
        "the model folder of every translating command when `--model` is not given",
    ),
    Setting(
        "TOOLKIT_LAYOUT",
        LAYOUT,
        None,
        "one single-threaded worker per core, 512 source tokens per batch (`Nx1:512`)",
        "the engine layout `WORKERSxTHREADS[:BATCH_TOKENS]` (batch tokens 16–65,536): speed "
        "and peak memory, which grows with workers × batch tokens; never the translations "
        "([translation.md](translation.md#engine-layout))",
    ),
    Setting(
        "TOOLKIT_SCHEDULER",
        TEXT,
        None,
        "none: decode in this process",
        "the Dask scheduler `nightly` and `batch` decode on (`--scheduler`; "
        "[cluster.md](cluster.md))",
    ),
    Setting(
        "TOOLKIT_WORKER_WAIT",
        SECONDS,
        120.0,
        "120 s",
        "how long a Dask scheduler may have no worker: at the start (then exit 2) and mid-run "
        "with nothing finishing (then exit 1, what was decoded kept)",
    ),
    Setting(
        "TOOLKIT_MAX_FILE_MB",
        above_zero("megabytes"),
        20.0,
        "20 (MB)",
        "the size of one input file (and of stdin), checked before it is read; a larger file "
        "is named and refused, the others go on ([bad-input.md](bad-input.md))",
    ),
    Setting(
        "TOOLKIT_READERS",
        PATH,
        None,
        "`./readers.toml` when present",
        "the readers whose rules the digest, the index and `toolkit alerts` use "
        "([alerts.md](alerts.md))",
    ),
    Setting(
        "TOOLKIT_WATCHLISTS",
        PATH,
        None,
        "`./watchlists.toml` when present",
        "the global rules of the digest and `toolkit alerts` ([alerts.md](alerts.md))",
    ),
    Setting(
        "TOOLKIT_ARCHIVE_BUSY_S",
        SECONDS,
        30.0,
        "30 (s)",
        "how long a write to or a search of `outputs/archive.sqlite` waits for another "
        "process's lock; the nightly then warns and goes on ([archive.md](archive.md))",
    ),
    Setting(
        "TOOLKIT_FETCH_DEADLINE",
        SECONDS,
        1800.0,
        "1800 s (30 minutes)",
        "seconds for the whole model download, whatever happens; nothing runs past it, not "
        "even a hub that trickles a byte at a time; a download folder left by a killed fetch "
        "is removed once older than this. Raise it on a link slower than about 1.5 Mbit/s "
        "(the weights are about 300 MB)",
    ),
    Setting("HF_HUB_ETAG_TIMEOUT", SECONDS, 15.0, "15 s", "seconds to connect to the hub"),
    Setting(
        "HF_HUB_DOWNLOAD_TIMEOUT",
        SECONDS,
        30.0,
        "30 s",
        "seconds to wait for the next bytes of any answer from the hub",
    ),
    Setting(
        "TOOLKIT_SMTP",
        TEXT,
        None,
        "`localhost:25`",
        "the relay `toolkit send` uses (`--smtp`); with only HOST, port 587 with "
        "`--starttls`, 465 with `--ssl`",
    ),
    Setting(
        "TOOLKIT_MAIL_FROM",
        TEXT,
        None,
        "`toolkit@<hostname>`",
        "the sender (`--from`); its domain names the Message-ID and List-Id",
    ),
    Setting(
        "TOOLKIT_SMTP_USER",
        TEXT,
        None,
        "none: no login",
        "the SMTP login name (`--user`; TLS required)",
    ),
    Setting(
        "TOOLKIT_SMTP_PASSWORD",
        TEXT,
        None,
        "none",
        "the SMTP password: read only from here, never an argument, never logged or recorded",
    ),
    Setting(
        "TOOLKIT_SMTP_CAFILE",
        PATH,
        None,
        "the system's CAs",
        "a CA certificate (PEM) to trust for the relay (`--cafile`); certificates are always "
        "verified",
    ),
    Setting(
        "TOOLKIT_PUBLIC_URL",
        Kind(
            _http_address,
            "expected the http(s) address where the outputs folder is served, e.g. "
            "https://briefing.example.org/outputs/",
        ),
        None,
        "unset: the e-mail carries no links to the article pages, and says so once",
        "the http(s) address where the outputs folder is served; every link of `toolkit "
        "send`'s e-mail is made absolute under it "
        "([delivery.md](delivery.md#links-in-the-e-mail))",
    ),
    Setting(
        "TOOLKIT_SEND_KEY",
        PATH,
        None,
        "`~/.config/toolkit/send.key` (`$XDG_CONFIG_HOME`), made on first use",
        "the file of the key (64 hex digits, mode 0600) that `toolkit send` hashes readers' "
        "addresses with in `sent.json`; outside the outputs folder; back it up "
        "([delivery.md](delivery.md#e-mail-toolkit-send))",
    ),
    Setting(
        "TOOLKIT_SEND_DEADLINE",
        SECONDS,
        1800.0,
        "1800 s (30 minutes)",
        "the whole `toolkit send`; past it nothing more is sent (one line, exit 1, the lock "
        "released, what was sent recorded; the next send sends the rest), even from a relay "
        "that trickles a byte at a time",
    ),
    Setting(
        "TOOLKIT_SEND_MESSAGE_TIMEOUT",
        SECONDS,
        300.0,
        "300 s",
        "one message, its retries and the waits between them (155 s) included; past it the "
        "send stops as past the deadline",
    ),
    Setting(
        "TOOLKIT_COLLECT_CONNECT_TIMEOUT",
        count(False),
        10.0,
        "10 s",
        "seconds `toolkit collect` waits to open a connection ([collect.md](collect.md#bounded))",
    ),
    Setting(
        "TOOLKIT_COLLECT_READ_TIMEOUT",
        count(False),
        20.0,
        "20 s",
        "seconds of silence while reading an answer: a page that stalls mid-body fails",
    ),
    Setting(
        "TOOLKIT_COLLECT_PAGE_SECONDS",
        count(False),
        60.0,
        "60 s",
        "seconds for one whole answer, even when bytes keep trickling in",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_BYTES",
        count(True),
        5_000_000,
        "5,000,000",
        "bytes on the wire (compressed) of one answer",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_DECODED_BYTES",
        count(True),
        20_000_000,
        "20,000,000",
        "bytes of one answer after gzip/deflate: a gzip bomb is refused at this size",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_REDIRECTS",
        count(True),
        5,
        "5",
        "redirects followed per request (a loop fails)",
    ),
    Setting(
        "TOOLKIT_COLLECT_RETRIES", count(True, zero=True), 2, "2", "more tries after a 429 or 503"
    ),
    Setting(
        "TOOLKIT_COLLECT_RETRY_AFTER_CAP",
        count(False),
        120.0,
        "120 s",
        "the longest `Retry-After` honoured; longer fails the page for this run",
    ),
    Setting(
        "TOOLKIT_COLLECT_DELAY",
        count(False, zero=True),
        1.0,
        "1 s",
        "seconds between requests to one host when the source sets no `delay`",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_DELAY",
        count(False),
        30.0,
        "30 s",
        "the most of a robots.txt `Crawl-delay` that is honoured",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_PER_SOURCE",
        count(True),
        50,
        "50",
        "new pages fetched per source and run (`--max-per-source`)",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_SITEMAPS",
        count(True),
        10,
        "10",
        "child sitemaps read from one sitemap index",
    ),
    Setting(
        "TOOLKIT_COLLECT_MAX_ATTEMPTS",
        count(True),
        3,
        "3",
        "runs on which a page that failed (5xx, timeout) is tried",
    ),
    Setting(
        "TOOLKIT_COLLECT_MIN_ARABIC",
        count(False, zero=True),
        0.5,
        "0.5",
        "share of Arabic letters below which a page is skipped as not Arabic",
    ),
]
SETTINGS: dict[str, Setting] = {s.name: s for s in _DECLARED}


def setting(name: str, environ: Mapping[str, str] | None = None):
    """The value of a declared setting now (its default when unset); a bad one is exit 2."""
    return SETTINGS[name].read(os.environ if environ is None else environ)


def default(name: str):
    return SETTINGS[name].default


def check_all(environ: Mapping[str, str] | None = None) -> None:
    """Raise the ConfigError of the first declared setting whose value is bad."""
    for declared in _DECLARED:
        declared.read(os.environ if environ is None else environ)


TABLE_HEADER = "| setting | default | what it bounds |\n|---|---|---|\n"


def docs_table() -> str:
    """docs/limits.md's table of the declared settings (Markdown)."""
    rows = [f"| `{s.name}` | {s.shown_default} | {s.doc} |\n" for s in _DECLARED]
    return TABLE_HEADER + "".join(rows)
