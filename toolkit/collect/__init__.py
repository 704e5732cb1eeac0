"""Collect stage: the outlets' feeds, sitemaps and pages → one JSON file per new article.

Per source: its listing (feed or sitemap, by conditional GET: unchanged costs one 304) → the
entries not seen before (state) → each page fetched once, politely (toolkit.collect.http),
its article extracted (toolkit.ingest.extract) and cleaned by our debris rules → a new
article is written to the inbox as <date>-<source>-<8 hex>.json (temp file, then rename):

    {"title", "text", "url", "date", "source", "outlets", "fetched", "language", "author",
     "arabic_share"}

The same text under another URL, or from another outlet, is not written again: the outlet is
added to the article's `outlets` (in its file when it was written in this run, else in the
state only: an earlier file may already be published). A source that fails (its listing
cannot be had) is named and the others go on; a page that fails, or a link that is not a
valid URL (toolkit.collect.urls) or leads where the source may not go
(toolkit.collect.destinations), is named and counted, and the rest go on.
"""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.collect.charset import decode_page
from toolkit.collect.feeds import Entry, Listing, parse_feed, parse_sitemap
from toolkit.collect.http import Answer, FetchError, PoliteClient
from toolkit.collect.limits import CollectLimits, env_name
from toolkit.collect.sources import Source, Sources
from toolkit.collect.state import CollectState
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text
from toolkit.ingest.clean import clean_document
from toolkit.ingest.debris import default_rules
from toolkit.ingest.decode import arabic_share
from toolkit.ingest.extract import extract_page
from toolkit.ingest.readers import RawDocument
from toolkit.text.arabic import normalize

DEFAULT_STATE = Path("outputs/collect.sqlite")
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_WORD = re.compile(r"[\W_]+")
MAX_VALIDATOR = 1024  # characters of an ETag or Last-Modified kept for the next night


@dataclass(frozen=True)
class Page:
    """A page's article after extraction and our debris rules."""

    title: str
    paragraphs: list[str]
    date: str | None  # the page's own published date, else trafilatura's guess
    author: str | None
    published: str | None  # the page's own published date, declared in its markup


@dataclass
class SourceReport:
    name: str
    new: int = 0
    seen: int = 0  # collected or handled before (or listed twice in this run)
    duplicate: int = 0  # same text as an article already collected (another URL or outlet)
    skipped: dict[str, int] = field(
        default_factory=lambda: {"robots": 0, "not_arabic": 0, "too_big": 0}
    )
    failed: int = 0
    listing: str = ""  # how the feed or sitemap answered: "new", "not modified"
    error: str | None = None  # the source itself failed
    failures: list[str] = field(default_factory=list)  # each failed page, named
    warnings: list[str] = field(default_factory=list)  # a malformed feed, read in part
    arabic_share: dict[str, float] = field(default_factory=dict)  # pages skipped as not Arabic
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.error:
            return f"FAILED: {self.error}"
        skipped = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.skipped.items() if n)
        return (
            f"{self.new} new, {self.seen} seen, {self.duplicate} duplicate"
            + (f", skipped {skipped}" if skipped else "")
            + f", {self.failed} failed"
            + (f" (listing {self.listing})" if self.listing else "")
        )


@dataclass
class CollectReport:
    started: str
    sources: list[SourceReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the state file
    requests: int = 0
    finished: str | None = None

    @property
    def failures(self) -> list[str]:
        """Every failed source and page, one line each."""
        lines = []
        for source in self.sources:
            if source.error:
                lines.append(f"source {source.name}: {source.error}")
            lines += [f"source {source.name}: {failure}" for failure in source.failures]
        return lines

    @property
    def counts(self) -> dict[str, int]:
        keys = ("new", "seen", "duplicate", "failed")
        counts = {key: sum(getattr(s, key) for s in self.sources) for key in keys}
        for kind in ("robots", "not_arabic", "too_big"):
            counts[f"skipped_{kind}"] = sum(s.skipped[kind] for s in self.sources)
        counts["failed_sources"] = sum(bool(s.error) for s in self.sources)
        return counts

    def to_json(self) -> dict:
        return {**asdict(self), "counts": self.counts}


def collect_sources(
    sources: Sources,
    inbox: Path,
    state_path: Path = DEFAULT_STATE,
    *,
    limits: CollectLimits | None = None,
    max_per_source: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> CollectReport:
    limits = limits or CollectLimits.from_env()
    report = CollectReport(started=_now())
    state = CollectState(state_path, report.warnings.append)
    if state.warning:
        report.warnings.append(state.warning)
    run = _Run(
        limits=limits,
        state=state,
        inbox=Path(inbox),
        most=max_per_source or limits.max_per_source,
        progress=progress or (lambda _done, _total: None),
    )
    try:
        with PoliteClient(sources.user_agent, limits) as client:
            run.client = client
            for source in sources.sources:
                done = SourceReport(source.name)
                report.sources.append(done)
                try:
                    run.collect(source, done)
                except FetchError as error:
                    done.error = str(error)
                if log:
                    log(f"collect {source.name}: {done.summary()}")
            report.requests = client.requests
    finally:
        state.close()
    report.finished = _now()
    return report


@dataclass
class _Run:
    limits: CollectLimits
    state: CollectState
    inbox: Path
    most: int
    progress: Callable[[int, int], None]
    client: PoliteClient | None = None
    done: int = 0
    total: int = 0
    handled: set[str] = field(default_factory=set)  # canonical URLs met in this run
    written: dict[str, tuple[Path, dict]] = field(default_factory=dict)  # fingerprint → file

    def collect(self, source: Source, report: SourceReport) -> None:
        if source.bad and not source.urls:
            report.error = "; ".join(source.bad)
            return
        report.failed += len(source.bad)
        report.failures += source.bad
        delay = self.client.host_delay(source.urls[0], source.delay, source.destinations)
        listed: list[tuple[str, Answer]] = []
        if source.kind == "pages":
            entries = [Entry(url) for url in source.urls]
        else:
            entries = self._listing(source, delay, report, listed)
        pending = [entry for entry in entries if self._is_new(entry, report)]
        self.total += min(len(pending), self.most)
        for entry in pending[: self.most]:
            self._page(entry, source, delay, report)
            self.done += 1
            self.progress(self.done, self.total)
        if len(pending) <= self.most:  # all handled: an unchanged listing may answer 304 next
            for url, answer in listed:
                # a 304 need not repeat the validators: what it leaves out is kept
                before = self.state.validators(url) if answer.status == 304 else {}
                self.state.record_validators(
                    url,
                    _validator(answer.headers.get("etag")) or before.get("If-None-Match"),
                    _validator(answer.headers.get("last-modified"))
                    or before.get("If-Modified-Since"),
                )

    def _listing(
        self, source: Source, delay: float, report: SourceReport, listed: list
    ) -> list[Entry]:
        parse = parse_feed if source.kind == "feed" else parse_sitemap
        urls, entries = [source.urls[0]], []
        while urls and len(listed) <= self.limits.max_sitemaps:
            url = urls.pop(0)
            answer = self.client.get(url, delay, source.destinations, self.state.validators(url))
            listed.append((url, answer))
            report.listing = "not modified" if answer.status == 304 else "new"
            if answer.status == 304:
                continue
            listing: Listing = parse(answer.body, url)
            if listing.warning:
                report.warnings.append(listing.warning)
            report.failed += len(listing.bad)
            report.failures += [f"{url}: {bad}" for bad in listing.bad]
            entries += listing.entries
            urls += listing.children
        return entries

    def _is_new(self, entry: Entry, report: SourceReport) -> bool:
        url = entry.url
        if url in self.handled:
            report.seen += 1
            return False
        self.handled.add(url)
        record = self.state.page(url)
        retry = (
            record is not None
            and record.status == "failed"
            and not record.lasting
            and record.attempts < self.limits.max_attempts
        )
        if record is not None and not retry:
            report.seen += 1
            return False
        return True

    def _page(self, entry: Entry, source: Source, delay: float, report: SourceReport) -> None:
        url = entry.url
        try:
            answer = self.client.get(url, delay, source.destinations)
            if answer.url != url and self.state.page(answer.url) is not None:
                report.seen += 1  # redirected to a page handled before
                self.state.record_page(url, source.name, "seen", f"same as {answer.url}")
                return
            page = self._article(answer)
        except FetchError as error:
            if error.kind == "robots":
                report.skipped["robots"] += 1
            elif error.kind == "too-big":
                report.skipped["too_big"] += 1
            else:
                report.failed += 1
                report.failures.append(str(error))
            status = "failed" if error.kind == "failed" else error.kind
            self.state.record_page(url, source.name, status, str(error), lasting=error.lasting)
            return
        urls = list(dict.fromkeys([url, answer.url]))  # as listed, and after redirects
        self.handled.add(answer.url)
        text = "\n".join(page.paragraphs)
        share = arabic_share(text)
        if share < self.limits.min_arabic:
            report.skipped["not_arabic"] += 1
            report.arabic_share[answer.url] = round(share, 3)
            reason = (
                f"{share:.0%} of its letters are Arabic (under "
                f"{self.limits.min_arabic:.0%}, {env_name('min_arabic')})"
            )
            for each in urls:
                self.state.record_page(each, source.name, "not-arabic", reason)
            return
        fingerprint = hashlib.sha256(NOT_WORD.sub("", normalize(text)).encode()).hexdigest()
        known = self.state.article(fingerprint)
        if known is not None:
            report.duplicate += 1
            outlets = known.outlets + [source.name] * (source.name not in known.outlets)
            self.state.record_article(fingerprint, known.url, known.file, outlets)
            if fingerprint in self.written and outlets != known.outlets:
                path, record = self.written[fingerprint]
                record["outlets"] = outlets
                atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            for each in urls:
                self.state.record_page(each, source.name, "duplicate", known.url, fingerprint)
            return
        path, record = self._write(entry, source, answer.url, page, share)
        self.written[fingerprint] = (path, record)
        report.new += 1
        report.files.append(str(path))
        self.state.record_article(fingerprint, answer.url, str(path), [source.name])
        for each in urls:
            self.state.record_page(each, source.name, "new", "", fingerprint)

    def _write(
        self, entry: Entry, source: Source, url: str, page: Page, share: float
    ) -> tuple[Path, dict]:
        """INBOX/<date>-<source>-<8 hex of the URL>.json, through a temp file."""
        fetched = dt.datetime.now(dt.UTC)
        record = {
            "title": page.title or entry.title or "",
            "text": "\n".join(page.paragraphs),
            "url": url,
            "date": page.published or entry.date or page.date or fetched.date().isoformat(),
            "source": source.name,
            "outlets": [source.name],
            "fetched": fetched.isoformat(timespec="seconds"),
            "language": "ar",
            "author": page.author,
            "arabic_share": round(share, 3),
        }
        digest = hashlib.sha256(url.encode()).hexdigest()[:8]
        path = self.inbox / f"{record['date']}-{source.name}-{digest}.json"
        atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return path, record

    def _article(self, answer: Answer) -> Page:
        """The page's article, cleaned by our debris rules."""
        kind = answer.headers.get("content-type", "text/html").split(";")[0].strip().lower()
        if kind not in HTML_TYPES:
            raise FetchError(f"{answer.url}: not an HTML page ({kind})", lasting=True)
        try:
            html = decode_page(answer.body, answer.headers.get("content-type", ""), answer.url).text
        except InputError as error:
            raise FetchError(str(error), lasting=True) from error
        pages = extract_page(html)
        if not pages or not pages[0].paragraphs:
            raise FetchError(f"{answer.url}: no article text found", lasting=True)
        page = pages[0]
        document = RawDocument(lines=page.paragraphs, headline=page.title)
        cleaned = clean_document(document, default_rules())[0]
        if not cleaned.paragraphs:
            raise FetchError(f"{answer.url}: no article text (all page furniture)", lasting=True)
        return Page(cleaned.headline, cleaned.paragraphs, page.date, page.author, page.published)


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth sending back: printable ASCII (a header of other bytes
    could not be sent again, and would fail the feed every night), else None."""
    if value and value.isascii() and value.isprintable() and len(value) <= MAX_VALIDATOR:
        return value
    return None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
