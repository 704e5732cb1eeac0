"""The docs cannot drift from the code: docs/cli.md is what the commands print, and the
tables of docs/limits.md name every TOOLKIT_* setting the code reads and every limit of
toolkit/limits.py with its value."""

import re
import tokenize
from itertools import takewhile
from pathlib import Path

import pytest

import toolkit.limits
from toolkit.cli import docs
from toolkit.state.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
LIMITS_PAGE = ROOT / "docs" / "limits.md"
SETTING = re.compile(r"\bTOOLKIT_[A-Z0-9_]*[A-Z0-9]\b")
# Python 3.12 splits f-strings into parts; 3.11 has them as one STRING token.
TEXT_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def settings_in_code() -> dict[str, str]:
    """Every TOOLKIT_* name in a string literal under toolkit/ → where it first appears.

    Only string literals count: an environment read, an `envvar=` or a help text names the
    variable in quotes, while a Python identifier such as the bench leg TOOLKIT_VMAP is not
    a setting.
    """
    found: dict[str, str] = {}
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type in TEXT_TOKENS:
                    for name in SETTING.findall(token.string):
                        found.setdefault(name, f"{path.relative_to(ROOT)}:{token.start[0]}")
    return found


def table_rows(page: Path, header: str) -> list[list[str]]:
    """The cells of each row of the Markdown table whose header row starts with `header`."""
    lines = page.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = takewhile(lambda line: line.startswith("|"), lines[start + 2 :])
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def documented_settings() -> set[str]:
    rows = table_rows(LIMITS_PAGE, "| setting | default | what it bounds |")
    return {name for row in rows for name in SETTING.findall(row[0])}


def test_cli_md_is_what_the_commands_print():
    current = (ROOT / docs.DOC).read_text(encoding="utf-8")
    printed = docs.render()
    if current != printed:
        pytest.fail(docs.difference(current, printed))


def test_cli_md_has_every_command_and_subcommand():
    page = (ROOT / docs.DOC).read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (toolkit.*)$", page, re.MULTILINE))
    assert {"toolkit", "toolkit translate", "toolkit send", "toolkit model fetch"} <= headings
    assert "toolkit glossary import" in headings and "toolkit model vmap" in headings


def test_every_setting_the_code_reads_is_in_the_limits_table_and_no_other():
    in_code = settings_in_code()
    documented = documented_settings()
    assert {"TOOLKIT_MODEL", "TOOLKIT_SMTP_PASSWORD"} <= in_code.keys()  # the scan works
    missing = {name: where for name, where in in_code.items() if name not in documented}
    assert not missing, f"add these to the settings table of docs/limits.md: {missing}"
    stale = documented - in_code.keys()
    assert not stale, f"docs/limits.md documents settings no code reads: {sorted(stale)}"


def test_the_settings_table_is_generated_from_the_declared_settings():
    current = LIMITS_PAGE.read_text(encoding="utf-8")
    generated = docs.render_limits(current)
    if current != generated:
        pytest.fail(docs.difference(current, generated, LIMITS_PAGE))
    assert documented_settings() == {n for n in SETTINGS if n.startswith("TOOLKIT_")}


def test_every_hard_limit_is_in_the_limits_table_with_its_value():
    rows = table_rows(LIMITS_PAGE, "| limit | value | what it bounds |")
    limits = {n: v for n, v in vars(toolkit.limits).items() if n.isupper() and type(v) is int}
    assert limits
    for name, value in limits.items():
        values = [row[1] for row in rows if f"`{name}`" in row[0]]
        assert values == [f"{value:,}"], f"docs/limits.md: {name} is {value:,} in the code"


def flat(name: str) -> str:
    return " ".join((ROOT / "docs" / name).read_text(encoding="utf-8").split())


def test_delivery_md_names_the_entry_of_each_feed_as_the_code_makes_it(tmp_path):
    from dataclasses import replace

    from test_publish import make_article, write_day

    from toolkit.publish import publish_archive, publish_digest

    day = tmp_path / "2026-11-23"
    write_day(day, [replace(make_article(n), story="s-0000000001") for n in (1, 2)])
    publish_digest(day)
    publish_archive(tmp_path)
    day_feed = (day / "feed.xml").read_text(encoding="utf-8").count("<entry>")
    rolling = (tmp_path / "feed.xml").read_text(encoding="utf-8").count("<entry>")
    assert (day_feed, rolling) == (2, 1)  # the day's feed: per article; the rolling one: per story
    page = flat("delivery.md")
    assert "`feed.xml` is Atom, one entry per article" in page
    assert "one Atom feed over the last days" in page
    rolling_text = page.split("`outputs/feed.xml` is one Atom feed", 1)[1][:200]
    assert "one entry per story" in rolling_text and "per article" not in rolling_text
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert digest.count("\n## 1. ") == 1 and "\n## 2. " not in digest  # one section per story
    assert "one section per story" in page and "one section per article" not in page


def test_glossaries_md_counts_the_shipped_glossary():
    from toolkit.glossary import load_glossary

    shipped = load_glossary([ROOT / "glossaries" / "ar-en-security.tsv"])
    count = re.search(
        r"ar-en-security\.tsv` ships with the repo: (\d+) names", flat("glossaries.md")
    )
    assert count and int(count.group(1)) == len(shipped.entries)


def test_no_page_cites_our_issue_tracker():
    """Pages are read by users, who cannot see the project's issues: say it, cite the source."""
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert not re.search(r"\bissue #\d+", flat(page.name), re.IGNORECASE), page.name


def test_the_default_model_is_the_one_the_docs_name():
    from toolkit.model.store import DEFAULT_REPO

    assert f"{DEFAULT_REPO} (2022, transformer-big, **the default**)" in flat("choosing-a-model.md")
    assert f"by default {DEFAULT_REPO}" in flat("models.md")
