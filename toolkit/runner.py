"""Runs over a folder of inputs: what `toolkit batch` and `toolkit nightly` share.

Per input file: unchanged (its outputs in OUT_DIR are current: same file hash, model,
glossary and settings, all files present) → skipped; published on an earlier date (nightly)
→ skipped; unreadable → failed, named, the others go on; otherwise ingested, translated
(through the translation memory) in one decoding stream across all files, then briefed and
written as soon as its last sentence is decoded, every output replaced atomically. A file's
bad records and too-long parts are its `problems`: its good articles are published, the
problems named. The run is recorded in OUT_DIR/manifest.json; an unusable manifest of an
earlier run is ignored with a warning and rewritten.
"""

import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from toolkit import __version__
from toolkit.brief import brief_articles
from toolkit.document import Article
from toolkit.errors import ConfigError, InputError, OutputError
from toolkit.fsutil import atomic_write_text, reason, shown
from toolkit.ingest import ingest_bytes
from toolkit.ingest.files import folder_files, read_file
from toolkit.pipeline import Pipeline, skipped_sentences, write_article
from toolkit.state.files import set_aside
from toolkit.state.lock import file_lock
from toolkit.translate import TranslationCounts
from toolkit.translate.executor import Executor
from toolkit.translate.plan import Batch, BatchResult

MANIFEST = "manifest.json"
DONE = ("new", "updated", "unchanged")


@dataclass
class FileRecord:
    file: str
    sha256: str
    status: str  # new | updated | unchanged | published-earlier | failed
    articles: list[str] = field(default_factory=list)
    reason: str | None = None
    problems: list[str] = field(default_factory=list)  # records or parts left out (exit 1)
    warnings: list[str] = field(default_factory=list)  # what ingest repaired
    sentences: int = 0
    decoded: int = 0
    from_memory: int = 0
    flagged: int = 0


@dataclass
class RunReport:
    command: str
    started: str
    toolkit_version: str
    inputs: str
    outputs: str
    model: dict
    glossary: dict | None
    settings: dict
    files: list[FileRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the job's own state files
    timings: dict = field(default_factory=dict)
    batches: dict[str, int] = field(default_factory=dict)  # decoded per worker
    finished: str | None = None
    date: str | None = None
    digest: str | None = None
    collect: dict | None = None  # nightly --sources: what was collected, per source

    def count(self, status: str) -> int:
        return sum(record.status == status for record in self.files)

    @property
    def counts(self) -> dict:
        done = [r for r in self.files if r.status in DONE]
        return {
            "files": len(self.files),
            "new": self.count("new") + self.count("updated"),
            "unchanged": self.count("unchanged"),
            "published_earlier": self.count("published-earlier"),
            "failed": self.count("failed"),
            "problems": sum(len(r.problems) for r in self.files),
            "articles": sum(len(r.articles) for r in done),
            "sentences": sum(r.sentences for r in done),
            "decoded": sum(r.decoded for r in done),
            "from_memory": sum(r.from_memory for r in done),
            "flagged": sum(r.flagged for r in done),
        }

    def to_json(self) -> dict:
        return {**asdict(self), "counts": self.counts}

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{c['new']} new, {c['unchanged']} unchanged, {c['failed']} failed"
            + (f", {c['problems']} problems" if c["problems"] else "")
            + (f", {c['published_earlier']} published earlier" if c["published_earlier"] else "")
            + f"; {c['sentences']} sentences"
            + f" ({c['decoded']} decoded, {c['from_memory']} from memory)"
        )
        return text + (f" → {self.digest}" if self.digest else f" → {self.outputs}")


def settings_of(pipeline: Pipeline) -> dict:
    options, names = pipeline.options, pipeline.names
    return {
        "strategy": pipeline.strategy.name if pipeline.glossary else "none",
        "beam_size": options.beam_size,
        "max_source_tokens": options.max_source_tokens,
        "decoding_ratio": options.decoding_ratio,
        "decoding_margin": options.decoding_margin,
        "layout": pipeline.engine.layout.to_json(),
        "executor": executor_of(pipeline).settings.to_json(),
        **({"vmap": options.vmap} if options.vmap else {}),  # absent: outputs stay current
        **({"names": names.speller.sha256} if names and names.speller.user_names else {}),
    }


def executor_of(pipeline: Pipeline) -> Executor:
    return pipeline.executor or pipeline.engine.executor


class CountingExecutor:
    """Passes results through and counts the batches each worker decoded."""

    def __init__(self, inner: Executor, counts: Counter):
        self.inner, self.counts, self.settings = inner, counts, inner.settings

    def run(self, batches: Iterable[Batch]) -> Iterator[BatchResult]:
        for result in self.inner.run(batches):
            self.counts[result.worker] += 1
            yield result


# settings that change speed, not results: outputs made under other values are still current
SPEED_SETTINGS = ("layout", "executor")


def _result_settings(settings: dict) -> dict:
    return {key: value for key, value in settings.items() if key not in SPEED_SETTINGS}


def new_report(command: str, pipeline: Pipeline, inputs: Path, outputs: Path) -> RunReport:
    info = pipeline.engine.info
    glossary = pipeline.glossary
    return RunReport(
        command=command,
        started=now(),
        toolkit_version=__version__,
        inputs=str(inputs),
        outputs=str(outputs),
        model={
            "name": info.name,
            "sha256": info.model_sha256,
            "quantization": info.quantization,
            "synthetic": info.synthetic,
        },
        glossary={
            "sha256": glossary.sha256,
            "files": [str(f) for f in glossary.files],
            "entries": len(glossary.entries),
        }
        if glossary
        else None,
        settings=settings_of(pipeline),
    )


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# what later runs read from a run record's files; a record without them is not usable
RECORD_FIELDS = {
    "file": str,
    "sha256": str,
    "status": str,
    "articles": list,
    "sentences": int,
    "flagged": int,
}


def read_manifest(folder: Path, warn: Callable[[str], None] | None = None) -> dict | None:
    """The run record in `folder`; None when there is none or it is unusable (warned)."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        _check_run_record(data)
        return data
    except (OSError, ValueError) as error:
        if warn:
            detail = reason(error) if isinstance(error, OSError) else error
            warn(f"{path}: not a usable run record ({detail}); ignored")
        return None


def _check_run_record(data: object) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("no list of files")
    if not isinstance(data.get("model"), dict) or not isinstance(data.get("glossary"), dict | None):
        raise ValueError("no model or glossary")
    for record in data["files"]:
        if not isinstance(record, dict) or not all(
            isinstance(record.get(key), kind) for key, kind in RECORD_FIELDS.items()
        ):
            raise ValueError(f"a bad file record: {json.dumps(record)[:80]}")


def _current(previous: dict | None, report: RunReport, out_dir: Path) -> dict[str, dict]:
    """Files whose outputs from the last run are still right, by file hash."""
    if not previous or previous["model"].get("sha256") != report.model["sha256"]:
        return {}
    if (previous.get("glossary") or {}).get("sha256") != (report.glossary or {}).get("sha256"):
        return {}
    if _result_settings(previous.get("settings") or {}) != _result_settings(report.settings):
        return {}
    current = {}
    for record in previous.get("files", []):
        outputs = [
            out_dir / "articles" / f"{a}{suffix}"
            for a in record["articles"]
            for suffix in (".json", ".en.md")
        ]
        if record["status"] in DONE and record["articles"] and all(p.is_file() for p in outputs):
            current[record["sha256"]] = record
    return current


@dataclass
class FolderRun:
    """A run over a folder between its stages: the record so far and the files to translate."""

    report: RunReport
    out_dir: Path
    old_outputs: dict[str, list[str]]  # file → its articles in the last run into out_dir
    pending: list[tuple[FileRecord, list[Article]]] = field(default_factory=list)
    written: int = 0

    @property
    def groups(self) -> list[list[Article]]:
        return [articles for _, articles in self.pending]


def run_folder(
    command: str,
    pipeline: Pipeline,
    input_dir: Path,
    out_dir: Path,
    *,
    published_earlier: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> RunReport:
    """ingest → translate → brief → write every input file of a folder (`toolkit batch`)."""
    run = ingest_folder(
        command, pipeline, input_dir, out_dir, published_earlier=published_earlier, warn=warn
    )

    def briefed(number: int, counts: TranslationCounts) -> None:
        brief_articles(run.pending[number][1])
        write_file(run, pipeline, number, counts, log)

    translate_folder(run, pipeline, progress, briefed, log)
    return run.report


def ingest_folder(
    command: str,
    pipeline: Pipeline,
    input_dir: Path,
    out_dir: Path,
    *,
    published_earlier: dict[str, str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> FolderRun:
    """Each input file: unchanged, published earlier, failed, or ingested and pending."""
    started = time.monotonic()
    report = new_report(command, pipeline, input_dir, out_dir)
    warn = warn or (lambda _message: None)

    def state_warning(message: str) -> None:
        report.warnings.append(message)
        warn(message)

    previous = read_manifest(out_dir, state_warning)
    current = _current(previous, report, out_dir)
    earlier = published_earlier or {}
    run = FolderRun(report, out_dir, _outputs_by_file(previous))
    for entry in folder_files(input_dir):
        try:
            if entry.refused:
                raise InputError(entry.refused)
            data = read_file(entry.target or entry.path, entry.name)
        except InputError as error:  # never read: a link out, a FIFO, unreadable, too big
            report.files.append(FileRecord(entry.name, "", "failed", reason=str(error)))
            continue
        sha = hashlib.sha256(data).hexdigest()
        record = FileRecord(file=entry.name, sha256=sha, status="new")
        if sha in current:
            kept = current[sha]  # nothing decoded or looked up this run
            record = FileRecord(
                entry.name,
                sha,
                "unchanged",
                kept["articles"],
                problems=kept.get("problems", []),
                warnings=kept.get("warnings", []),
                sentences=kept["sentences"],
                flagged=kept["flagged"],
            )
        elif sha in earlier:
            record.status, record.reason = "published-earlier", f"published on {earlier[sha]}"
        else:
            try:
                ingested = ingest_bytes(data, entry.name, str(entry.path))
                articles = ingested.articles
                record.articles = [a.id for a in articles]
                record.problems = [str(problem) for problem in ingested.problems]
                record.warnings = ingested.warnings
                for message in ingested.warnings:
                    warn(message)
                run.pending.append((record, articles))
            except InputError as error:
                record.status, record.reason = "failed", str(error)
        report.files.append(record)
    report.timings["ingest_s"] = round(time.monotonic() - started, 3)
    return run


def translate_folder(
    run: FolderRun,
    pipeline: Pipeline,
    progress: Callable[[int, int], None] | None = None,
    on_file: Callable[[int, TranslationCounts], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> None:
    """glossary → translate every pending file in one decoding stream; `on_file(number,
    counts)` as soon as the last sentence of file `number` is decoded."""
    started = time.monotonic()
    per_worker: Counter = Counter()
    counting = replace(pipeline, executor=CountingExecutor(executor_of(pipeline), per_worker))
    counting.translate(run.groups, progress, on_file)
    run.report.batches = dict(sorted(per_worker.items()))
    run.report.timings["translate_s"] = round(time.monotonic() - started, 3)
    # Files published on earlier days are not named, night after night: the command's summary
    # line counts them (the manifest lists each), so cron logs do not grow with the inbox.


def write_file(
    run: FolderRun,
    pipeline: Pipeline,
    number: int,
    counts: TranslationCounts,
    log: Callable[[str], None] | None = None,
) -> None:
    """A pending file is translated and briefed: record it and write its outputs now."""
    record, articles = run.pending[number]
    _record_counts(record, counts, articles)
    record.problems += [str(problem) for problem in skipped_sentences(articles)]
    if record.file in run.old_outputs:
        record.status = "updated"
        _remove_stale(run.out_dir, run.old_outputs[record.file], set(record.articles))
    for article in articles:
        write_article(run.out_dir, article, pipeline.engine.info)
    run.written += 1
    if log:
        log(
            f"[{run.written}/{len(run.pending)}] {record.file}: {record.status}, "
            f"{len(articles)} article(s), {counts.sentences} sentences "
            f"({counts.decoded} decoded, {counts.from_memory} from memory)"
        )


def finish(report: RunReport, out_dir: Path, started: float) -> None:
    report.finished = now()
    report.timings["total_s"] = round(time.monotonic() - started, 3)
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    path = out_dir / MANIFEST
    if path.is_dir() and not path.is_symlink():  # warned by read_manifest: set it aside
        set_aside(path)
    atomic_write_text(path, text)


def _record_counts(record: FileRecord, counts: TranslationCounts, articles: list[Article]) -> None:
    record.sentences, record.decoded, record.from_memory = (
        counts.sentences,
        counts.decoded,
        counts.from_memory,
    )
    record.flagged = sum(bool(s.flags) for a in articles for s in a.all_sentences())


def _outputs_by_file(previous: dict | None) -> dict[str, list[str]]:
    return {
        r["file"]: r["articles"] for r in (previous or {}).get("files", []) if r.get("articles")
    }


def _remove_stale(out_dir: Path, old_ids: list[str], new_ids: set[str]) -> None:
    for article_id in set(old_ids) - new_ids:
        for suffix in (".json", ".en.md", ".html"):
            (out_dir / "articles" / f"{article_id}{suffix}").unlink(missing_ok=True)


def published_before(
    outputs: Path, date: str, warn: Callable[[str], None] | None = None
) -> dict[str, str]:
    """File hash → the earlier date whose run published it (from outputs/<date>/manifest.json)."""
    seen: dict[str, str] = {}
    for folder in sorted(outputs.glob("????-??-??")):
        if folder.name >= date:
            continue
        for record in (read_manifest(folder, warn) or {}).get("files", []):
            if record.get("status") in DONE:
                seen.setdefault(record["sha256"], folder.name)
    return seen


@contextmanager
def run_lock(folder: Path, wait: bool) -> Iterator[None]:
    """One run per output folder; a second one is refused (or waits, with --wait)."""

    def busy(holder: str) -> ConfigError:
        return ConfigError(
            f"{folder} is in use by another run (pid {holder}); try later or pass --wait"
        )

    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".lock").touch()
    except OSError as error:
        what = "not a folder" if folder.exists() and not folder.is_dir() else reason(error)
        raise OutputError(f"{shown(folder)}: cannot write the outputs here ({what})") from None
    with file_lock(folder / ".lock", busy, wait):
        yield


def plain_log(quiet: bool) -> Callable[[str], None] | None:
    """Plain lines for cron and pipes; a terminal gets the progress bar instead."""
    if quiet or sys.stderr.isatty():
        return None
    return lambda line: print(f"toolkit: {line}", file=sys.stderr, flush=True)
