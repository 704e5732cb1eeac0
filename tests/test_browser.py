"""digest.html, the archive (index.html, feed.xml) and the e-mail HTML in a real headless
Chromium (Debian's package; `make test` installs it as root)."""

import json
import re
import shutil
import subprocess

import pytest
from test_page import fetch, serve_folder, three_nights  # noqa: F401 (a fixture)
from test_publish import HOSTILE, make_article, write_day
from test_stories import DAYS

from toolkit.publish import publish_archive, publish_digest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (make test installs it with apt-get as root)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(tmp_path, *args: str) -> str:
    profile = tmp_path / "profile"
    process = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web") / "2026-11-23"
    write_day(folder, [make_article(1, HOSTILE), make_article(2, "Telegram closes 2,300 channels")])
    publish_digest(folder)
    return folder


def test_rendered_dom(day, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", (day / "digest.html").as_uri())
    assert re.findall(r'<h2 id="article-(\d+)">', dom) == ["1", "2"]
    assert dom.count("<table>") >= 4  # overview, two figure tables, entity index
    assert '<span dir="rtl" lang="ar">الشرطة تعتقل خمسة بتهمة تمويل داعش</span>' in dom
    body = dom.split("<body", 1)[1]
    assert "data-pwned" not in dom  # the article's script never ran
    assert "&lt;script&gt;document.body.dataset.pwned" in body  # it shows as text
    assert "<script" not in body


def test_screenshots_on_phone_and_desktop(day, tmp_path):
    for name, size in (("phone", "390,1600"), ("desktop", "1200,1600")):
        shot = tmp_path / f"{name}.png"
        chromium(
            tmp_path,
            f"--window-size={size}",
            f"--screenshot={shot}",
            (day / "digest.html").as_uri(),
        )
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000, name


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from test_archive import make_outputs

    root = make_outputs(tmp_path_factory.mktemp("archive") / "outputs")
    publish_archive(root)
    return root


def test_archive_index_dom(outputs, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", (outputs / "index.html").as_uri())
    links = re.findall(r'<td><a href="(\d{4}-\d{2}-\d{2})/digest.html">', dom)
    assert links == ["2026-11-24", "2026-11-22", "2026-10-26", "2026-10-15"]  # newest first
    assert '<link rel="alternate" type="application/atom+xml"' in dom
    body = dom.split("<body", 1)[1]
    assert "data-pwned" not in dom and "<script" not in body
    assert "&lt;script&gt;document.body.dataset.pwned" in body


def test_rolling_feed_parses_in_chromium(outputs, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", (outputs / "feed.xml").as_uri())
    assert "parsererror" not in dom and "This page contains the following errors" not in dom
    assert "2026-11-24/digest.html#article-2" in dom and "2026-10-15" not in dom
    assert "Telegram closes channels" in dom


def test_email_html_in_chromium(day, tmp_path):
    from toolkit.deliver.message import load_briefing

    page = tmp_path / "email.html"
    page.write_text(load_briefing(day).html, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    body = dom.split("<body", 1)[1]
    assert "data-pwned" not in dom and "<script" not in body
    assert re.search(r'<span dir="rtl" lang="ar" style="[^"]*">الشرطة تعتقل', dom)
    assert "<style" not in dom


def test_a_served_article_page_shows_its_arabic(three_nights, tmp_path):  # noqa: F811
    """Served by a plain web server (text/html, no charset), the page still reads as UTF-8."""
    record = three_nights / DAYS[0] / "articles" / "valencia-1-1.json"
    headline = json.loads(record.read_text(encoding="utf-8"))["headline"]["ar"]
    with serve_folder(three_nights) as root:
        url = f"{root}{DAYS[0]}/articles/valencia-1-1.html"
        content_type, _ = fetch(url)
        assert content_type.startswith("text/html")
        dom = chromium(tmp_path, "--dump-dom", url)
    shown = re.sub(r"<[^>]+>", "", dom.split("<body", 1)[1])
    assert headline in shown  # not mojibake
    assert re.search(r'<p class="ar headline" dir="rtl" lang="ar">', dom)
    assert dom.count('<div class="pair">') >= 1
    assert f"../../{DAYS[2]}/articles/valencia-4-1.html" in dom  # its story, two days later
    assert "<script" not in dom.split("<body", 1)[1]


def test_an_article_page_on_a_phone_and_in_print(three_nights, tmp_path):  # noqa: F811
    page = (three_nights / DAYS[0] / "articles" / "valencia-1-1.html").as_uri()
    shot = tmp_path / "phone.png"
    chromium(tmp_path, "--window-size=390,1600", f"--screenshot={shot}", page)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    pdf = tmp_path / "page.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
