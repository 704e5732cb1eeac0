"""What `toolkit send --readers` costs as the desk grows (`toolkit bench --readers`).

The bench writes a synthetic day folder (ARTICLES articles on a handful of stories, in
Arabic that the rules below find: names, topics, phrases) and a readers.toml of N readers
who cycle through RULES, every third of them only_watched. Timed: the alerts of every
reader (rules parsed, the day's stories matched, each reader's alerts looked up) and the
dry run, `toolkit send --readers … --dry-run -o DIR`: every reader's message built and
written as an .eml, nothing sent. Both should grow linearly with the readers. Seconds are
wall time and CPU time (this process): on a shared machine the CPU time is the steadier.
The send key is the bench's own, in its scratch folder.
"""

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from toolkit.alerts import folder_alerts, watch_setup
from toolkit.alerts.recipients import parse_address
from toolkit.corpus import ModelRef, write_record
from toolkit.deliver import write_eml
from toolkit.deliver.privacy import KEY_ENV
from toolkit.document import Article, Sentence, Source
from toolkit.model.store import ModelInfo
from toolkit.publish import publish_digest

SIZES = (1_000, 5_000)
DATE = "2026-11-24"
ARTICLES = (
    (
        "الشرطة تفكك خلية تجند الشبان عبر تيليغرام",
        "قالت الشرطة إن الخلية نشطت على تيليغرام وجندت عشرات الشبان لصالح «داعش».",
    ),
    (
        "شبكة حوالة غير مرخصة تنقل أموالا إلى الخارج",
        "نقل أفراد الشبكة الأموال عبر نظام الحوالة ومكاتب صرافة غير مرخصة.",
    ),
    (
        "عقوبات جديدة على ممولي التنظيم",
        "أعلنت الوزارة تجميد أصول ثلاثة أشخاص بتهمة تمويل «داعش».",
    ),
    (
        "محفظة رقمية لجمع التبرعات",
        "جمعت المجموعة تبرعات بعملة بيتكوين عبر محفظة رقمية.",
    ),
    ("افتتاح معرض الكتاب في العاصمة", "افتتح الوزير معرضا للكتاب يضم ألف دار نشر."),
)
RULES = (
    "Telegram AND recruitment",
    'hawala OR "Western Union"',
    "ISIS AND sanctions",
    "crypto AND NOT arrest",
    "«معرض الكتاب»",
    "TikTok",  # matches nothing
)
SENDER = "briefing@example.org"


def write_day(day_dir: Path) -> None:
    """The synthetic day folder: articles/*.json, then its digest."""
    model = ModelRef.of(ModelInfo("bench", "synthetic:bench", None, "int8", "0" * 64, DATE, True))
    articles = day_dir / "articles"
    articles.mkdir(parents=True)
    for number, (headline, text) in enumerate(ARTICLES * 2, 1):
        article = Article(
            id=f"a{number}",
            source=Source(f"inbox/a{number}.txt", f"{number:064x}", "utf-8"),
            headline=Sentence(ar=headline, en=f"Headline {number}", paragraph=-1),
            sentences=[Sentence(ar=text, en=f"Sentence {number}.", paragraph=0)],
            story=f"s{(number - 1) % len(ARTICLES)}",
        )
        write_record(articles, article, model)
    publish_digest(day_dir)


def write_readers(path: Path, count: int) -> None:
    tables = []
    for number in range(count):
        rules = [RULES[number % len(RULES)], RULES[(number + 1) % len(RULES)]]
        tables.append(
            f'[[reader]]\nemail = "reader{number}@example.org"\nname = "Reader {number}"\n'
            f"watch = {json.dumps(rules, ensure_ascii=False)}\n"
            f"only_watched = {'true' if number % 3 == 0 else 'false'}\n"
        )
    path.write_text("\n".join(tables), encoding="utf-8")


def measure_readers(sizes=SIZES, log: Callable[[str], None] | None = None) -> list[dict]:
    """Per number of readers: seconds for their alerts, and for the dry run of the send."""
    rows = []
    key = os.environ.get(KEY_ENV)
    with tempfile.TemporaryDirectory(prefix="toolkit-readers-bench-") as scratch:
        os.environ[KEY_ENV] = str(Path(scratch) / "send.key")
        try:
            day_dir = Path(scratch) / "outputs" / DATE
            write_day(day_dir)
            rows = [_measure(Path(scratch), day_dir, size, log) for size in sizes]
        finally:
            if key is None:
                os.environ.pop(KEY_ENV, None)
            else:
                os.environ[KEY_ENV] = key
    first = rows[0]
    for row in rows:
        row["ratio"] = round(row["dry_run_cpu_s"] / first["dry_run_cpu_s"], 2)
    return rows


def _measure(scratch: Path, day_dir: Path, size: int, log) -> dict:
    if log:
        log(f"bench: send --readers --dry-run for {size:,} readers")
    readers = scratch / f"readers-{size}.toml"
    write_readers(readers, size)
    wall, cpu = time.perf_counter(), time.process_time()
    setup = watch_setup(readers=readers)
    day = folder_alerts(day_dir, setup)
    alerts = sum(len(day.of(reader)) for reader in setup.watch.readers)
    alerts_cpu_s = time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    written = write_eml(day_dir, None, parse_address(SENDER), scratch / f"eml-{size}", readers)
    dry_run_s, dry_run_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "readers": size,
        "alerts": alerts,
        "alerts_cpu_s": round(alerts_cpu_s, 2),
        "messages": len(written),
        "dry_run_s": round(dry_run_s, 2),
        "dry_run_cpu_s": round(dry_run_cpu_s, 2),
        "cpu_ms_per_reader": round(1000 * dry_run_cpu_s / size, 2),
    }


def readers_bench_text(rows: list[dict]) -> str:
    lines = [
        f"{'readers':>8} {'alerts':>7} {'alerts cpu s':>13} {'messages':>9} {'dry run s':>10} "
        f"{'cpu s':>8} {'cpu ms/reader':>14} {'cpu × first':>12}"
    ]
    for r in rows:
        lines.append(
            f"{r['readers']:>8,} {r['alerts']:>7} {r['alerts_cpu_s']:>13} {r['messages']:>9} "
            f"{r['dry_run_s']:>10} {r['dry_run_cpu_s']:>8} {r['cpu_ms_per_reader']:>14} "
            f"{r['ratio']:>12}"
        )
    return "\n".join(lines)
