"""The nightly: named stages in order over one run context (`toolkit nightly` only parses).

    collect → ingest → translate → brief → stories → alerts → publish → archive

Each stage is a function of the `Night`: it reads what earlier stages left on it and adds
its own part. The translate stage decodes every new file of the inbox in one stream and
hands each file to the brief stage as soon as its last sentence is decoded, so a night that
is killed keeps what it finished (a resumed night equals an uninterrupted one); the brief
stage, run again in its turn, finds nothing left. The run's glossary, topics and rules are
on the Night: the translate, alerts and publish stages use them, none loads its own (with
--no-glossary the rules are checked with the default glossaries, as before).
"""

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.alerts import AlertSetup, DayAlerts, Watch, folder_alerts, watch_setup
from toolkit.archive import refresh_archive
from toolkit.brief import brief_articles
from toolkit.collect import CollectReport, collect_sources
from toolkit.collect.sources import load_sources
from toolkit.errors import ConfigError
from toolkit.glossary import Glossary
from toolkit.glossary.topics import Topics
from toolkit.pipeline import Pipeline, PipelinePlan, load_pipeline
from toolkit.publish import publish_archive, publish_digest
from toolkit.runner import (
    FolderRun,
    RunReport,
    finish,
    ingest_folder,
    published_before,
    settings_of,
    translate_folder,
    write_file,
)
from toolkit.stories import assign_day
from toolkit.translate import TranslationCounts, TranslationMemory
from toolkit.translate.cluster import executor_for

Progress = Callable[[str], AbstractContextManager[Callable[[int, int], None]]]


def ignore(_message: str) -> None:
    pass


@contextmanager
def no_progress(_description: str) -> Iterator[Callable[[int, int], None]]:
    yield lambda _done, _total: None


def night_day(date: str | None) -> str:
    """The night's date: YYYY-MM-DD as given, else today."""
    try:
        return dt.date.fromisoformat(date).isoformat() if date else dt.date.today().isoformat()
    except ValueError:
        raise ConfigError(f"--date {date!r} is not a date: use YYYY-MM-DD") from None


@dataclass
class Night:
    """One night's run context: its settings, and what each stage leaves for the next."""

    day: str
    inbox: Path
    outputs: Path
    pipeline: Pipeline  # the model, decoding options and the run's glossary
    memory: Path  # the translation memory file
    watch: Watch  # every reader's rules and the global watchlists
    topics: Topics
    sources: Path | None = None  # collect from these outlets first
    workers: int | None = None  # decode on N local Dask workers
    scheduler: str | None = None  # or on the Dask cluster there
    warn: Callable[[str], None] = ignore
    log: Callable[[str], None] | None = None  # plain progress lines (cron, pipes)
    progress: Progress = no_progress
    started: float = field(default_factory=time.monotonic)
    # left by the stages
    collected: CollectReport | None = None
    run: FolderRun | None = None
    translated: list[tuple[int, TranslationCounts]] = field(default_factory=list)
    alerts: DayAlerts | None = None

    @property
    def folder(self) -> Path:
        return self.outputs / self.day

    @property
    def glossary(self) -> Glossary | None:
        return self.pipeline.glossary

    @property
    def setup(self) -> AlertSetup:
        """The rules with the run's glossary and topics."""
        return AlertSetup(self.watch, self.glossary, self.topics)

    @property
    def report(self) -> RunReport:
        assert self.run is not None, "the ingest stage has not run"
        return self.run.report


def prepare_night(day: str, inbox: Path, outputs: Path, plan: PipelinePlan, **settings) -> Night:
    """A Night whose rules are checked against the run's glossary and topics before the
    model is loaded: a bad readers.toml or watchlists.toml stops the night before it
    translates."""
    watch, _, topics = watch_setup(glossary=plan.glossary)
    pipeline = load_pipeline(plan, settings.get("warn", ignore))
    settings.setdefault("memory", outputs / "tm.sqlite")
    return Night(day, inbox, outputs, pipeline, watch=watch, topics=topics, **settings)


def collect(night: Night) -> None:
    """The outlets of --sources → new article files in the inbox (nothing without it)."""
    if night.sources is None:
        return
    sources = load_sources(night.sources)
    with night.progress("collecting") as update:
        night.collected = collect_sources(
            sources,
            night.inbox,
            night.outputs / "collect.sqlite",
            progress=update,
            log=night.log,
        )
    report = night.collected
    for message in report.warnings + [w for s in report.sources for w in s.warnings]:
        night.warn(message)


def ingest(night: Night) -> None:
    """Each inbox file: unchanged, published on an earlier night, failed, or ingested."""
    night.run = ingest_folder(
        "nightly",
        night.pipeline,
        night.inbox,
        night.folder,
        published_earlier=published_before(night.outputs, night.day, night.warn),
        warn=night.warn,
    )


def translate(night: Night) -> None:
    """glossary → translate the ingested files in one decoding stream, through the memory;
    each file is briefed as soon as it is decoded."""
    pipeline = night.pipeline
    pipeline.memory = TranslationMemory(night.memory, night.warn)
    executor = executor_for(pipeline.engine, night.workers, night.scheduler)
    with executor as pipeline.executor, night.progress("translating") as update:
        night.report.settings = settings_of(pipeline)  # who decodes: known from here on

        def decoded(number: int, counts: TranslationCounts) -> None:
            night.translated.append((number, counts))
            brief(night)

        translate_folder(night.run, pipeline, update, decoded, night.log)
    if pipeline.memory.warning:  # the memory was set aside or left out: the manifest says so
        night.report.warnings.append(pipeline.memory.warning)


def brief(night: Night) -> None:
    """Brief every translated file not briefed yet, and write its article records."""
    while night.translated:
        number, counts = night.translated.pop(0)
        brief_articles(night.run.pending[number][1])
        write_file(night.run, night.pipeline, number, counts, night.log)


def stories(night: Night) -> None:
    """Each article of the night joins a story of the days before, or starts one."""
    started = time.monotonic()
    assign_day(night.outputs, night.day)
    night.report.timings["stories_s"] = round(time.monotonic() - started, 3)


def alerts(night: Night) -> None:
    """The night's stories against every reader's rules and the global watchlists."""
    night.alerts = folder_alerts(night.folder, night.setup)


def publish(night: Night) -> None:
    """The day's digest (alerts first), feed, and the outputs' index and rolling feed."""
    started = time.monotonic()
    publish_digest(night.folder, night.day, setup=night.setup, alerts=night.alerts)
    publish_archive(night.outputs, setup=night.setup)
    night.report.date, night.report.digest = night.day, str(night.folder / "digest.html")
    night.report.timings["publish_s"] = round(time.monotonic() - started, 3)


def archive(night: Night) -> None:
    """OUTPUTS/archive.sqlite brought up to date; then the night's manifest."""
    started = time.monotonic()
    refresh_archive(night.outputs, night.warn)
    night.report.timings["publish_s"] += round(time.monotonic() - started, 3)
    night.report.collect = night.collected.to_json() if night.collected else None
    finish(night.report, night.folder, night.started)


Stage = Callable[[Night], None]
STAGES: tuple[tuple[str, Stage], ...] = (
    ("collect", collect),
    ("ingest", ingest),
    ("translate", translate),
    ("brief", brief),
    ("stories", stories),
    ("alerts", alerts),
    ("publish", publish),
    ("archive", archive),
)


def run_night(night: Night, stages: tuple[tuple[str, Stage], ...] = STAGES) -> RunReport:
    """Every stage in order over `night`; the caller holds the outputs' lock."""
    for _name, stage in stages:
        stage(night)
    return night.report
