"""Breaking (docs/stories.md): at least 3 reports of the day from at least 2 outlets, and at
least twice the story's usual daily rate over the 7 days before. A quiet week of steady
coverage is never breaking; a surge is. Fictional Arabic articles about fictional events."""

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import invoke
from test_publish import FakeInfo

from toolkit.document import Article, Sentence, Source
from toolkit.publish import publish_digest
from toolkit.publish.article import article_json
from toolkit.stories.story import Report, Story

DAY0 = dt.date(2026, 5, 4)
OUTLETS = ("صحيفة الفجر", "وكالة النخيل", "موقع المرصد", "إذاعة الساحل")
# a dam's maintenance in a fictional town: reported every day, never urgent
DAM = (
    "أعمال صيانة سد وادي الريحان تدخل أسبوعها الثاني",
    "قال مهندسو البلدية إن أعمال الصيانة في سد وادي الريحان تسير وفق الجدول.",
)
# a fictional crypto-funding network dismantled: quiet, then everyone reports it
NETWORK = (
    "تفكيك شبكة «القافلة الرقمية» لتمويل الإرهاب بالعملات المشفرة",
    "أعلنت النيابة العامة تفكيك شبكة القافلة الرقمية التي جمعت تبرعات بالعملات المشفرة.",
)


def day_of(n: int) -> str:
    return (DAY0 + dt.timedelta(days=n)).isoformat()


def write(outputs: Path, n: int, story: str, text: tuple[str, str], outlets: list[str]) -> Path:
    """One article per outlet on day n, all of `story`."""
    folder = outputs / day_of(n) / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for number, outlet in enumerate(outlets):
        article_id = f"{story}-{n}-{number}"
        article = Article(
            id=article_id,
            source=Source(f"inbox/{article_id}.json", "0" * 64, "utf-8", outlet=outlet),
            headline=Sentence(ar=text[0], en=f"{story} day {n}", paragraph=-1),
            sentences=[Sentence(ar=text[1], en="…", paragraph=0)],
            story=story,
        )
        record = json.dumps(article_json(article, FakeInfo()), ensure_ascii=False)
        (folder / f"{article_id}.json").write_text(record, encoding="utf-8")
    return outputs / day_of(n)


def stories_of(outputs: Path, n: int) -> dict[str, dict]:
    result = invoke("stories", outputs, "--day", day_of(n), "--json")
    assert result.exit_code == 0, result.output
    return {story["id"]: story for story in json.loads(result.stdout)}


def test_a_quiet_week_is_never_breaking(tmp_path):
    outputs = tmp_path / "outputs"
    for n in range(7):  # two reports a day from two outlets, then three on the usual beat
        write(outputs, n, "dam", DAM, list(OUTLETS[:2]))
    write(outputs, 7, "dam", DAM, list(OUTLETS[:3]))
    write(outputs, 7, "pair", NETWORK, list(OUTLETS[:2]))  # a new story, two reports
    write(outputs, 7, "echo", NETWORK, [OUTLETS[0]] * 3)  # three reports, one outlet
    for n in range(8):
        assert not any(s["breaking"] for s in stories_of(outputs, n).values()), n
    last = stories_of(outputs, 7)
    assert last["dam"]["developing"] and not last["pair"]["developing"]
    digest_dir = outputs / day_of(7)
    publish_digest(digest_dir)
    assert "Breaking" not in (digest_dir / "digest.md").read_text(encoding="utf-8")


def test_a_surge_is_breaking(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOOLKIT_READERS", raising=False)
    monkeypatch.delenv("TOOLKIT_WATCHLISTS", raising=False)
    outputs = tmp_path / "outputs"
    for n in (0, 2, 4):  # one report every other day
        write(outputs, n, "caravan", NETWORK, [OUTLETS[n % 4]])
    day = write(outputs, 5, "caravan", NETWORK, list(OUTLETS))  # four outlets at once
    write(outputs, 5, "fresh", NETWORK, list(OUTLETS[:3]))  # a new story, three outlets
    stories = stories_of(outputs, 5)
    assert stories["caravan"]["breaking"] and stories["caravan"]["developing"]
    assert stories["fresh"]["breaking"] and not stories["fresh"]["developing"]
    assert not stories_of(outputs, 4)["caravan"]["breaking"]
    watchlists = tmp_path / "watch.toml"
    watchlists.write_text("watch = ['crypto']\n", encoding="utf-8")
    result = invoke("alerts", day, "--watchlists", watchlists, "--json")
    assert result.exit_code == 0, result.output
    alerts = {a["story"]: a for a in json.loads(result.stdout)}
    assert alerts["caravan"]["breaking"] and alerts["caravan"]["lead"] == "caravan-5-0"
    publish_digest(day)
    breaking = [
        line
        for line in (day / "digest.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("**Breaking:**")
    ]
    assert len(breaking) == 1 and "(articles/caravan-5-0.html) (+3 more)" in breaking[0]


def report(day: str, outlet: str, n: int = 0) -> Report:
    return Report(f"{day}-{outlet}-{n}", day, outlet, "", "h")


@pytest.mark.parametrize(
    ("today", "before", "breaking"),
    [
        (["a", "b"], [], False),  # two reports: never
        (["a", "a", "a"], [], False),  # one outlet
        (["a", "b", "a"], [], True),  # a new story, three reports, two outlets
        (["a", "b", "c"], [3] * 7, False),  # its usual three a day
        (["a", "b", "c", "d", "e", "f"], [3] * 7, True),  # twice its usual rate
        (["a", "b", "c"], [1, 0, 1, 0, 1, 0, 1], True),
    ],
)
def test_the_rule(today, before, breaking):
    day = day_of(7)
    reports = [report(day, outlet, n) for n, outlet in enumerate(today)]
    for back, count in enumerate(before, 1):
        reports += [report(day_of(7 - back), "x", n) for n in range(count)]
    assert Story.of("s", reports, day).breaking is breaking
