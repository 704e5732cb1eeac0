"""A story's people, places and quotes after a nightly: `country:XX` and person rules fire on
the story whose briefs hold them, and the digest and the e-mail show each story's countries
and who said what. The articles are our own Arabic about fictional events."""

import email
import json
import re
from dataclasses import replace
from email import policy
from pathlib import Path

import pytest
from conftest import invoke
from test_publish import HOSTILE, make_article, write_day

from toolkit.document import Place, Quote
from toolkit.publish import publish_digest
from toolkit.publish.digest import escape

DATE = "2026-11-25"
SOMALI = """الشرطة الصومالية تفكك شبكة حوالة في مقديشو
أعلنت الشرطة في مقديشو تفكيك شبكة حوالة غير مرخصة نقلت أموالا إلى مسلحين في كيسمايو.
وقال قائد الشرطة عبد الرحمن حسن يوسف: «لن نسمح لمكاتب الحوالة بتمويل الجماعات المسلحة بعد اليوم».
"""
IRAQI = """اعتقال أربعة أشخاص يديرون مكاتب حوالة في بغداد
اعتقلت السلطات في بغداد أربعة أشخاص يديرون مكاتب حوالة غير رسمية.
وأوضح القاضي حيدر الموسوي أن الأموال أرسلت من البصرة إلى خلايا نائمة.
"""


@pytest.fixture(scope="module")
def day(tiny_model, tmp_path_factory) -> Path:
    """One night over the two hawala stories."""
    root = tmp_path_factory.mktemp("facts")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "somali.txt").write_text(SOMALI, encoding="utf-8")
    (inbox / "iraqi.txt").write_text(IRAQI, encoding="utf-8")
    run = invoke(
        "nightly", "--inbox", inbox, "--outputs", root / "outputs", "--date", DATE,
        "--model", tiny_model, "--beam", "1", "--quiet",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    return root / "outputs" / DATE


def record(day: Path, name: str) -> dict:
    return json.loads((day / "articles" / f"{name}-1.json").read_text(encoding="utf-8"))


def test_country_and_person_rules_fire_on_the_story_whose_briefs_hold_them(day, tmp_path):
    somali, iraqi = record(day, "somali"), record(day, "iraqi")
    assert somali["story"] != iraqi["story"]
    assert {p["country"] for p in somali["brief"]["places"]} == {"SO"}
    assert {p["country"] for p in iraqi["brief"]["places"]} == {"IQ"}
    judge = iraqi["brief"]["people"][0]["english"]  # the brief's spelling, whatever it is
    assert judge not in {p["english"] for p in somali["brief"]["people"]}
    watchlists = tmp_path / "watchlists.toml"
    watchlists.write_text(
        f'watch = ["country:SO AND hawala", "{judge}", "country:IQ AND NOT hawala"]\n',
        encoding="utf-8",
    )
    run = invoke("alerts", day, "--watchlists", watchlists, "--json")
    assert run.exit_code == 0, run.output
    fired = {(a["rule"], a["story"], tuple(a["why"])) for a in json.loads(run.stdout)}
    assert fired == {
        ("country:SO AND hawala", somali["story"], ("country:SO", "hawala")),
        (judge, iraqi["story"], (judge,)),
    }
    # a person's spelling matches in any case, as glossary names do
    watchlists.write_text(f'watch = ["{judge.upper()} AND country:iq"]\n', encoding="utf-8")
    run = invoke("alerts", day, "--watchlists", watchlists, "--json")
    assert [a["story"] for a in json.loads(run.stdout)] == [iraqi["story"]]


def test_the_digest_and_the_email_give_each_story_its_countries_and_who_said_what(day, tmp_path):
    somali = record(day, "somali")
    people = {p["english"] for p in somali["brief"]["people"]}
    quote = somali["brief"]["quotes"][0]
    assert quote["kind"] == "direct" and quote["speaker"] in people  # the named police chief
    digest = (day / "digest.md").read_text(encoding="utf-8")
    sections = digest.split("\n## ")
    somali_section = next(s for s in sections if "مقديشو" in s and "Bottom line" in s)
    iraqi_section = next(s for s in sections if "بغداد" in s and "Bottom line" in s)
    assert "**Countries:** Somalia" in somali_section and "Iraq" not in somali_section
    assert "**Countries:** Iraq" in iraqi_section and "Somalia" not in iraqi_section
    assert f"- **{quote['speaker']}** (direct): “" in somali_section
    html = (day / "digest.html").read_text(encoding="utf-8")
    assert f"<strong>{quote['speaker']}</strong> (direct)" in html

    recipients = tmp_path / "to.txt"
    recipients.write_text("ana@example.org\n", encoding="utf-8")
    out = tmp_path / "eml"
    sent = invoke(
        "send", day, "--to", recipients, "--smtp", "127.0.0.1:1", "--from", "b@example.org",
        "--dry-run", "-o", out,
    )  # fmt: skip
    assert sent.exit_code == 0, sent.output
    (eml,) = out.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    # the e-mail's styles are inlined: tags compared without their attributes
    mail_html = re.sub(r"<(\w+)\s[^>]*>", r"<\1>", message.get_body(("html",)).get_content())
    text = message.get_body(("plain",)).get_content()
    assert "Who said what" in mail_html and f"<strong>{quote['speaker']}</strong>" in mail_html
    assert "<strong>Countries:</strong> Somalia" in mail_html
    assert f"Said: {quote['speaker']} (direct):" in " ".join(text.split())
    assert "Countries: Somalia" in text and "Countries: Iraq" in text


def test_who_said_what_takes_the_leads_quotes_first_each_once_three_at_most(tmp_path):
    """Two reports of one story: the lead's quotes, then the other's, a repeat dropped; the
    countries of both, most mentioned first; article text never turns into markup."""
    lead, other = make_article(1), replace(make_article(2), story="story-1")
    lead.brief.quotes = [
        Quote(HOSTILE, "direct", "…", "We will not allow it."),
        Quote("Police", "reported", "…", "The money went abroad."),
    ]
    lead.brief.places = [Place("Mogadishu", ("مقديشو", "بمقديشو"), "SO")]
    other.brief.quotes = [
        Quote("Police", "reported", "…", "The money went abroad."),  # the lead's, again
        Quote("Halima Warsame", "direct", "…", "Nobody paid."),
        Quote("Omar Haddad", "reported", "…", "A fourth quote, not shown."),
    ]
    other.brief.places = [Place("Nairobi", ("نيروبي",), "KE")]
    day = write_day(tmp_path / "2026-11-24", [lead, other])
    publish_digest(day)
    digest = (day / "digest.md").read_text(encoding="utf-8")
    said = re.findall(r"^- \*\*(.+?)\*\* \((direct|reported)\): “(.+)”$", digest, re.M)
    assert [(speaker, kind) for speaker, kind, _ in said] == [
        (escape(HOSTILE), "direct"),
        ("Police", "reported"),
        ("Halima Warsame", "direct"),
    ]
    assert digest.count("**Countries:** Somalia · Kenya") == 1
    html = (day / "digest.html").read_text(encoding="utf-8")
    assert "<strong>Halima Warsame</strong> (direct): “Nobody paid.”" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A fourth quote" not in digest
