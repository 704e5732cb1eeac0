"""digest.html in a real headless Chromium (Debian's package; `make test` installs it as root)."""

import re
import shutil
import subprocess

import pytest
from test_publish import HOSTILE, make_article, write_day

from toolkit.publish import publish_digest

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
