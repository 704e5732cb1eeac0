"""Alerts: `toolkit alerts`, breaking stories, the digest and index sections, readers.toml
e-mails on a real SMTP server (aiosmtpd on 127.0.0.1), and a nightly with readers."""

import json
import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import invoke
from test_publish import FakeInfo
from test_send import SENDER, server, traces  # noqa: F401  (the aiosmtpd fixture)

from toolkit.deliver.privacy import load_key
from toolkit.document import Article, Sentence, Source
from toolkit.publish import publish_archive, publish_digest
from toolkit.publish.article import article_json

DATE = "2026-11-24"
TELEGRAM = (
    "الشرطة تفكك خلية تجند الشبان عبر تيليغرام",
    ["قالت الشرطة إن الخلية نشطت وبتيليغرام جندت عشرات الشبان لصالح «داعش»."],
)
HAWALA = (
    "شبكة حوالات تنقل أموالا إلى الخارج",
    ["أرسل المتهمون الأموال عبر ويسترن يونيون ومكاتب حوالة غير مرخصة."],
)
QUIET = ("افتتاح معرض الكتاب في العاصمة", ["افتتح الوزير معرضا للكتاب يضم ألف دار نشر."])
READERS = """
[[reader]]
email = "ana@example.org"
name = "Ana"
watch = ["Telegram AND recruitment"]

[[reader]]
email = "bo@example.net"
name = "Bo"
watch = ['hawala OR "Western Union"']
only_watched = true

[[reader]]
email = "cy@example.com"
watch = ["ISIS AND sanctions"]
"""
KEYS = {"rule", "reader", "story", "articles", "why", "breaking"}


def write_articles(folder: Path, items: list[tuple[str, tuple[str, list[str]], str | None]]):
    """(id, (Arabic headline, Arabic sentences), story id or None) → articles/<id>.json."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    for article_id, (headline, sentences), story in items:
        article = Article(
            id=article_id,
            source=Source(f"inbox/{article_id}.txt", "0" * 64, "utf-8"),
            headline=Sentence(ar=headline, en=f"headline of {article_id}", paragraph=-1),
            sentences=[Sentence(ar=s, en="…", paragraph=0) for s in sentences],
        )
        record = article_json(article, FakeInfo())
        if story:
            record["story"] = story
        path = folder / "articles" / f"{article_id}.json"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    """readers.toml, no watchlists; run where no readers.toml or watchlists.toml lies about."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOOLKIT_READERS", raising=False)
    monkeypatch.delenv("TOOLKIT_WATCHLISTS", raising=False)
    path = tmp_path / "team.toml"
    path.write_text(READERS, encoding="utf-8")
    return path


@pytest.fixture
def day(tmp_path) -> Path:
    folder = tmp_path / "outputs" / DATE
    return write_articles(
        folder, [("a1", TELEGRAM, None), ("a2", HAWALA, None), ("a3", QUIET, None)]
    )


def alerts_json(day: Path, *extra, env=None) -> list[dict]:
    result = invoke("alerts", day, "--json", *extra, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_alerts_json_per_rule_reader_and_story(config, day, tmp_path):
    watchlists = tmp_path / "global.toml"
    watchlists.write_text("watch = ['crypto OR ISIS']\n", encoding="utf-8")
    alerts = alerts_json(day, "--readers", config, "--watchlists", watchlists)
    assert all(set(alert) == KEYS for alert in alerts)
    assert [(a["rule"], a["reader"], a["story"], a["articles"], a["why"]) for a in alerts] == [
        ("Telegram AND recruitment", "ana@example.org", "a1", ["a1"], ["Telegram", "recruitment"]),
        ('hawala OR "Western Union"', "bo@example.net", "a2", ["a2"], ["hawala", "Western Union"]),
        ("crypto OR ISIS", None, "a1", ["a1"], ["ISIS"]),
    ]
    assert not any(a["breaking"] for a in alerts)
    # the same files through the environment
    env = {"TOOLKIT_READERS": str(config), "TOOLKIT_WATCHLISTS": str(watchlists)}
    assert alerts_json(day, env=env) == alerts


def test_a_bad_rule_is_exit_2_naming_the_term(config, day):
    config.write_text(READERS.replace("Telegram AND", "Telegarm AND"), encoding="utf-8")
    result = invoke("alerts", day, "--readers", config)
    assert result.exit_code == 2
    assert "'Telegarm'" in result.stderr and "nearest: Telegram" in result.stderr
    assert f"{config}: reader 1" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[reader]]\nemail = 'not an address'\n", "is not an e-mail address"),
        ("[[reader]]\nemail = 'a@b.org'\nwacth = []\n", "unknown key 'wacth'"),
        ("[[reader]]\nemail = 'a@b.org'\nonly_watched = true\n", "only_watched without rules"),
        ("[[reader]]\nemail = 'a@b.org'\nwatch = 'Telegram'\n", "must be a list"),
        ("reader = [", "not TOML"),
        ("title = 'x'\n", "no [[reader]] tables"),
        ("reader = [1]\n", "must be a [[reader]] table"),
        ("[[reader]]\nemail = 'a@b.org'\nname = \"Ana\\r\\nBcc: e@x.org\"\n", "one line"),
        ("[[reader]]\nemail = 'a@b.org'\n[[reader]]\nemail = 'A@b.org'\n", "already"),
    ],
)
def test_bad_readers_files_are_exit_2(config, day, content, message):
    config.write_text(content, encoding="utf-8")
    result = invoke("alerts", day, "--readers", config)
    assert result.exit_code == 2 and message in result.stderr and str(config) in result.stderr


def test_breaking_by_reports_today_or_doubling(config, tmp_path):
    outputs = tmp_path / "outputs"
    write_articles(outputs / "2026-11-23", [("y1", HAWALA, "s-hawala"), ("y2", HAWALA, "s-ana")])
    write_articles(outputs / "2026-11-23", [("y3", TELEGRAM, "s-ana")])
    day = write_articles(
        outputs / DATE,
        [
            ("t1", TELEGRAM, "s-tele"),  # 3 reports today: breaking
            ("t2", TELEGRAM, "s-tele"),
            ("t3", TELEGRAM, "s-tele"),
            ("h1", HAWALA, "s-hawala"),  # 1 yesterday, 1 today: doubled, breaking
            ("b1", TELEGRAM, "s-ana"),  # 2 before, 1 today: not breaking
        ],
    )
    alerts = alerts_json(day, "--readers", config)
    assert {(a["story"], a["breaking"]) for a in alerts} == {
        ("s-tele", True),
        ("s-hawala", True),
        ("s-ana", False),
    }
    (tele,) = [a for a in alerts if a["story"] == "s-tele"]
    assert tele["articles"] == ["t1", "t2", "t3"]  # one alert per story, not per article

    publish_digest(day)  # no rules configured here: the section names the breaking stories
    digest = (day / "digest.md").read_text(encoding="utf-8")
    (breaking,) = [line for line in digest.splitlines() if line.startswith("**Breaking:**")]
    assert digest.index("## Alerts") < digest.index(breaking) < digest.index("## Overview")
    assert "(articles/h1.html)" in breaking and "(articles/t1.html) (+2 more)" in breaking
    assert "b1" not in breaking


def test_the_digest_and_the_index_open_with_the_alerts(config, day, monkeypatch):
    publish_digest(day)
    assert "Alert" not in (day / "digest.md").read_text(encoding="utf-8")  # nothing configured
    monkeypatch.setenv("TOOLKIT_READERS", str(config))
    publish_digest(day)
    digest = (day / "digest.md").read_text(encoding="utf-8")
    headings = [line for line in digest.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Alerts", "## Overview"]
    section = digest[digest.index("## Alerts") : digest.index("## Overview")]
    assert "Telegram AND recruitment | Ana | [headline of a1](articles/a1.html)" in section
    assert "@example" not in digest  # readers' addresses are not published
    publish_archive(day.parent)
    index = (day.parent / "index.html").read_text(encoding="utf-8")
    assert index.index("Alerts") < index.index(DATE)
    assert f'href="{DATE}/articles/a1.html"' in index


def send(day: Path, address: str, readers: Path, *extra):
    return invoke("send", day, "--readers", readers, "--smtp", address, "--from", SENDER, *extra)


def body(message: EmailMessage, subtype: str) -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_each_reader_gets_their_own_message(server, config, day):  # noqa: F811
    publish_digest(day)
    inbox = server()
    result = send(day, inbox.address, config)
    assert result.exit_code == 0, result.output
    messages = inbox.parsed()
    assert sorted(messages) == ["ana@example.org", "bo@example.net", "cy@example.com"]
    ana, bo, cy = (messages[a] for a in sorted(messages))

    assert ana["Subject"].startswith("[ALERT] ") and "3 articles" in ana["Subject"]
    text = body(ana, "plain")
    assert text.startswith("YOUR ALERTS (1)")
    assert text.index("Rule: Telegram AND recruitment") < text.index("Arabic press briefing")
    assert "Story a1 (articles: a1):\r\n  headline of a1" in text
    html = body(ana, "html")
    assert html.index("Your alerts") < html.index("Overview")
    assert "Telegram AND recruitment" in html and "Western Union" not in html.split("Overview")[0]

    assert bo["Subject"].startswith("[ALERT] ") and "1 article" in bo["Subject"]
    text = body(bo, "plain")
    assert 'Rule: hawala OR "Western Union"' in text
    assert "headline of a2" in text and "headline of a1" not in text  # only_watched

    assert not cy["Subject"].startswith("[ALERT]") and "3 articles" in cy["Subject"]
    assert body(cy, "plain").startswith("Your alerts: none today (1 rule(s) checked).")
    assert "No alerts today (1 rule(s) checked)" in body(cy, "html")

    again = send(day, inbox.address, config)
    assert again.exit_code == 0 and "already sent to 3" in again.stdout
    assert len(inbox.messages) == 3  # sent once per reader per day


def test_an_only_watched_reader_gets_nothing_on_a_quiet_day(server, config, tmp_path):  # noqa: F811
    day = write_articles(tmp_path / "outputs" / DATE, [("q1", QUIET, None)])
    publish_digest(day)
    inbox = server()
    result = send(day, inbox.address, config)
    assert result.exit_code == 0, result.output
    assert "not sent to bo@example.net: nothing matched" in result.stdout
    assert sorted(inbox.parsed()) == ["ana@example.org", "cy@example.com"]
    assert not inbox.parsed()["ana@example.org"]["Subject"].startswith("[ALERT]")
    record = json.loads((day / "sent.json").read_text(encoding="utf-8"))
    quiet = [d for d in record["deliveries"] if d["status"] == "quiet"]
    assert [d["recipient"] for d in quiet] == [load_key().recipient_id("bo@example.net")]

    again = send(day, inbox.address, config)
    assert again.exit_code == 0 and len(inbox.messages) == 2
    readers = ["ana@example.org", "bo@example.net", "cy@example.com"]
    assert traces(day.parent, readers) == []  # sent.json names readers by keyed hashes
    record = json.loads((day / "sent.json").read_text(encoding="utf-8"))
    assert sum(d["status"] == "quiet" for d in record["deliveries"]) == 1  # recorded once


def test_a_bad_rule_sends_nothing(server, config, day):  # noqa: F811
    publish_digest(day)
    config.write_text(READERS.replace("hawala OR", "hawalla OR"), encoding="utf-8")
    inbox = server()
    result = send(day, inbox.address, config)
    assert result.exit_code == 2 and "'hawalla'" in result.stderr
    assert "nearest: hawala" in result.stderr
    assert inbox.messages == [] and not (day / "sent.json").exists()


def test_breaking_is_in_the_subject(server, config, tmp_path):  # noqa: F811
    day = write_articles(
        tmp_path / "outputs" / DATE, [(f"t{n}", TELEGRAM, "s-tele") for n in range(3)]
    )
    publish_digest(day)
    inbox = server()
    assert send(day, inbox.address, config).exit_code == 0
    messages = inbox.parsed()
    assert messages["ana@example.org"]["Subject"].startswith("[ALERT] [BREAKING] ")
    assert "[BREAKING] Rule: Telegram AND recruitment" in body(messages["ana@example.org"], "plain")
    assert messages["cy@example.com"]["Subject"].startswith("[BREAKING] ")
    assert "bo@example.net" not in messages  # only_watched, and nothing of his matched


def test_dry_run_with_readers(config, day, tmp_path):
    publish_digest(day)
    out = tmp_path / "eml"
    result = invoke("send", day, "--readers", config, "--dry-run", "-o", out, "--from", SENDER)
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.eml"))) == 3


@pytest.mark.parametrize("extra", [[], ["--to", "x.txt", "--readers", "y.toml"]])
def test_send_needs_one_of_to_or_readers(day, extra):
    result = invoke("send", day, *extra)
    assert result.exit_code == 2 and "--to RECIPIENTS or --readers" in result.stderr


def test_a_nightly_with_readers_mails_each_reader_their_briefing(
    server,  # noqa: F811
    config,
    tiny_model,
    tmp_path,
):
    inbox_dir = tmp_path / "inbox"
    inbox_dir.mkdir()
    for name, (headline, sentences) in (("tele", TELEGRAM), ("hawala", HAWALA), ("book", QUIET)):
        (inbox_dir / f"{name}.txt").write_text("\n".join([headline, *sentences]), encoding="utf-8")
    outputs = tmp_path / "outputs"
    env = {"TOOLKIT_READERS": str(config)}
    run = invoke(
        "nightly", "--inbox", inbox_dir, "--outputs", outputs, "--date", DATE,
        "--model", tiny_model, "--beam", "1", "--quiet", env=env,
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    day = outputs / DATE
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert digest.index("## Alerts") < digest.index("## Overview")
    assert "Telegram AND recruitment" in digest

    inbox = server()
    assert send(day, inbox.address, config).exit_code == 0
    messages = inbox.parsed()
    ana_text = body(messages["ana@example.org"], "plain")
    assert ana_text.startswith("YOUR ALERTS (1)") and "Rule: Telegram AND recruitment" in ana_text
    assert re.search(r"Story s-[0-9a-f]{10} \(articles: tele-1\):", ana_text)  # the nightly's
    bo_text = body(messages["bo@example.net"], "plain")
    assert bo_text.startswith("YOUR ALERTS (1)")
    assert re.search(r"Story s-[0-9a-f]{10} \(articles: hawala-1\):", bo_text)
    assert "1 article" in messages["bo@example.net"]["Subject"]
    assert not messages["cy@example.com"]["Subject"].startswith("[ALERT]")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("Telegarm AND recruitment", "'Telegarm'"),
        ("NOT " * 2000 + "Telegram", "nested deeper than 50"),  # in one line, not a traceback
    ],
)
def test_a_bad_readers_file_stops_the_nightly_before_it_translates(
    config, tiny_model, tmp_path, rule, message
):
    config.write_text(READERS.replace('"Telegram AND recruitment"', repr(rule)), encoding="utf-8")
    inbox_dir = tmp_path / "inbox"
    inbox_dir.mkdir()
    (inbox_dir / "a.txt").write_text("\n".join([TELEGRAM[0], *TELEGRAM[1]]), encoding="utf-8")
    run = invoke(
        "nightly", "--inbox", inbox_dir, "--outputs", tmp_path / "outputs", "--date", DATE,
        "--model", tiny_model, "--quiet", env={"TOOLKIT_READERS": str(config)},
    )  # fmt: skip
    assert run.exit_code == 2 and message in run.stderr
    assert run.stderr.count("\n") == 1 and f"{config}: reader 1" in run.stderr
    assert not (tmp_path / "outputs" / DATE).exists()


def test_makefile_passes_readers_to_nightly_and_send():
    import subprocess

    from conftest import REPO

    if shutil.which("make") is None:
        pytest.skip("no make")
    dry = subprocess.run(
        ["make", "-n", "nightly", "READERS=team.toml", "MODEL=models/x", "DATE=2026-11-24"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert 'TOOLKIT_READERS="team.toml"' in dry
    assert 'send outputs/2026-11-24 --readers "team.toml"' in dry


def test_topics_and_rules_on_the_real_articles(shared_articles, config, tmp_path):
    from toolkit.ingest import ingest_file

    day = tmp_path / "outputs" / DATE
    items = [
        (article.id, (article.headline.ar, [s.ar for s in article.sentences]), None)
        for path in sorted(shared_articles.iterdir())
        for article in ingest_file(str(path)).articles
    ]
    write_articles(day, items)
    config.write_text(
        '[[reader]]\nemail = "ana@example.org"\nwatch = ["Telegram AND takedown", "arrest"]\n',
        encoding="utf-8",
    )
    alerts = alerts_json(day, "--readers", config)
    assert all(set(alert) == KEYS for alert in alerts)
    fired = {alert["rule"] for alert in alerts}
    assert fired == {"Telegram AND takedown", "arrest"}


DEEP_RULES = ["(" * 400 + "Telegram" + ")" * 400, "NOT " * 2000 + "Telegram"]


@pytest.mark.parametrize("deep", DEEP_RULES)
def test_a_deep_rule_is_exit_2_in_one_line_naming_rule_and_file(config, day, tmp_path, deep):
    config.write_text(READERS.replace('"Telegram AND recruitment"', repr(deep)), encoding="utf-8")
    result = invoke("alerts", day, "--readers", config)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert f"{config}: reader 1: rule '{deep[:20]}" in result.stderr
    assert "nested deeper than 50" in result.stderr

    watchlists = tmp_path / "global.toml"
    watchlists.write_text(f"watch = [{deep!r}]\n", encoding="utf-8")
    result = invoke("alerts", day, "--watchlists", watchlists)
    assert result.exit_code == 2 and f"{watchlists}: rule '" in result.stderr


def test_each_readers_alerts_are_looked_up_in_steps_linear_in_the_readers(config, day):
    """5,000 readers took 37 × as long as 1,000: each one's alerts were found by a scan of
    everybody's. Counted in executed lines (tests.counting), not timed."""
    from counting import growth

    from toolkit.alerts import day_alerts, watch_setup

    def lookup(count: int) -> None:
        readers = "".join(
            f'[[reader]]\nemail = "r{n}@example.org"\nwatch = ["Telegram", "hawala"]\n'
            for n in range(count)
        )
        config.write_text(readers, encoding="utf-8")
        watch, glossary, topics = watch_setup(readers=config)
        alerts = day_alerts(day, watch, glossary, topics)
        assert [len(alerts.of(reader)) for reader in watch.readers] == [2] * count

    assert growth(lookup, 100) < 5  # 4 × the readers


def test_bench_readers_times_the_dry_run_per_number_of_readers():
    result = invoke("bench", "--readers", "--sizes", "3,6", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["readers"] for row in rows] == [3, 6]
    # every third reader is only_watched, and one of the rules matches nothing
    assert all(0 < row["messages"] <= row["readers"] for row in rows)
    assert rows[1]["messages"] > rows[0]["messages"] and rows[1]["alerts"] > rows[0]["alerts"]
    assert rows[0]["ratio"] == 1.0 and rows[1]["dry_run_cpu_s"] > 0
