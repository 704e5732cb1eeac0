"""Issue 28 against the loopback site (tests/collect_site.py): bad links, redirects and feed
links to other ports and private addresses, robots.txt behind a dot segment, a declared
charset, the page's own date, and Last-Modified after a 304."""

import json
from pathlib import Path

import pytest
from collect_site import PARK, Response, Site, rss_feed
from conftest import invoke

FAST = {"TOOLKIT_COLLECT_READ_TIMEOUT": "1", "NO_PROXY": "127.0.0.1"}
BAD_LINKS = ["http://[::1/x", "http://127.0.0.1:abc/x", "http://a..b/x"]


def collect(tmp_path: Path, sources: str, *more: str):
    path = tmp_path / "sources.toml"
    path.write_text(f'user_agent = "t/1"\n{sources}', encoding="utf-8")
    args = ["collect", "--sources", path, "--inbox", tmp_path / "in"]
    return invoke(*args, "--state", tmp_path / "s.sqlite", "--quiet", *more, env=FAST)


def records(tmp_path: Path) -> dict[str, dict]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "in").glob("*.json")]
    return {record["title"]: record for record in found}


@pytest.fixture
def hostile(tmp_path):
    """The site with the hostile outlet, and a second server on another port of 127.0.0.1
    that stands for an internal service."""
    with Site() as site, Site() as internal:
        table = site.add_hostile(internal.base)
        sky = f'[[source]]\nname = "sky"\nfeed = "{site.base}/sky/atom.xml"\ndelay = 0\n'
        bad = '[[source]]\nname = "ipv6"\nfeed = "http://[::1"\n'
        yield site, internal, table + sky + bad


def test_bad_links_private_destinations_and_dot_segments_are_named_once(tmp_path, hostile):
    site, internal, sources = hostile
    first = collect(tmp_path, sources)
    asked = len(site.requests)
    second = collect(tmp_path, sources)
    assert first.exit_code == 1, first.output
    lines = dict(line.split(": ", 1) for line in first.stdout.splitlines())
    # park new; 3 bad links, 3 refused links, 3 refused redirects, 1 bad redirect; robots
    assert (
        lines["hostile"] == "1 new, 0 seen, 0 duplicate, skipped 1 robots, 10 failed (listing new)"
    )
    assert lines["sky"] == "2 new, 0 seen, 0 duplicate, 0 failed (listing new)"
    assert lines["ipv6"].startswith("FAILED: feed http://[::1: not a valid URL")
    errors = first.stderr.splitlines()
    assert "Traceback" not in first.output
    for number, link in enumerate(BAD_LINKS, 2):
        named = [line for line in errors if f"item {number} (t{number - 1}): bad link" in line]
        assert len(named) == 1 and link in named[0]
    hostile_lines = [line.split("source hostile: ", 1)[1] for line in errors if "hostile" in line]
    port = internal.base.rsplit(":", 1)[1]
    for refused in (
        f"{internal.base}/al-ain/story-2.html: 127.0.0.1:{port} refused: loopback address",
        "http://192.168.1.20/intranet.html: 192.168.1.20:80 refused: private address",
        "http://localhost:1/x: localhost:1 refused: loopback address",
        f"{site.base}/hostile/to-internal.html: redirected to {internal.base}/al-ain/story-2.html"
        f": 127.0.0.1:{port} refused: loopback address 127.0.0.1, not the source's own host:port",
        f"{site.base}/hostile/to-private.html: redirected to http://10.1.2.3/admin: 10.1.2.3:80 "
        "refused: private address 10.1.2.3, not the source's own host:port; allow_private = true",
        f"{site.base}/hostile/to-metadata.html: redirected to http://169.254.169.254/latest/"
        "meta-data/: 169.254.169.254:80 refused: link-local address",
        f"{site.base}/hostile/to-bad.html: redirect to a bad URL: http://[::1/x: not a valid URL",
    ):
        assert sum(line.startswith(refused) for line in hostile_lines) == 1, refused
    assert len(hostile_lines) == 10
    assert sum("source ipv6:" in line for line in errors) == 1
    assert internal.requests == []  # refused before connecting: never asked
    paths = [path for _, path, _ in site.requests]
    assert not any(
        path.startswith("/private/") for path in paths
    )  # robots.txt on /private/secret.html
    assert set(records(tmp_path)) == {PARK[0], site.articles[-1].title, site.articles[0].title}
    # the validators were kept despite the bad items: the second night is a 304, named nothing
    again = {path: status for _, path, status in site.requests[asked:]}
    assert again == {"/robots.txt": 200, "/hostile/rss.xml": 304, "/sky/atom.xml": 304}
    assert "hostile: 0 new" in second.stdout and "bad link" not in second.stderr


def one_feed(site: Site, name: str, links: list[str]) -> str:
    """A feed at /<name>/rss.xml of these links; its [[source]] table."""
    items = [(f"t{n}", link, "2026-11-15") for n, link in enumerate(links)]
    site.routes[f"/{name}/rss.xml"] = site._feed(rss_feed(site.base, items), "application/rss+xml")
    return f'[[source]]\nname = "{name}"\nfeed = "{site.base}/{name}/rss.xml"\ndelay = 0\n'


def test_another_port_of_loopback_is_never_asked_by_link_or_redirect(tmp_path):
    with Site() as site, Site() as internal:
        site.add_hostile(internal.base)
        secret = f"{internal.base}/al-ain/story-2.html"  # an internal page robots.txt allows
        table = one_feed(site, "ssrf", [secret, f"{site.base}/hostile/to-internal.html"])
        result = collect(tmp_path, table)
    assert result.exit_code == 1, result.output
    assert internal.requests == []
    assert "ssrf: 0 new, 0 seen, 0 duplicate, 2 failed" in result.stdout
    assert result.stderr.count("refused: loopback address 127.0.0.1") == 2
    assert not list((tmp_path / "in").glob("*.json"))


def test_robots_txt_is_asked_after_dot_segments_are_removed(tmp_path):
    with Site() as site:
        table = one_feed(site, "dots", [f"{site.base}/outlet-a/../private/secret.html"])
        result = collect(tmp_path, table)
    assert result.exit_code == 0, result.output
    assert "dots: 0 new, 0 seen, 0 duplicate, skipped 1 robots" in result.stdout
    assert not any("private/" in path for _, path, _ in site.requests)
    assert not list((tmp_path / "in").glob("*.json"))


def test_a_connection_goes_only_to_the_address_that_was_checked(monkeypatch):
    """No second DNS lookup between the check and the connect (DNS rebinding), and a host
    that was not checked is never connected to."""
    import httpx2

    from toolkit.collect.destinations import Checker, Destinations
    from toolkit.collect.http import PoliteClient
    from toolkit.collect.limits import CollectLimits

    monkeypatch.setenv("NO_PROXY", "*")
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:  # 127.0.0.1 once, then a private one
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.66.0.1"]

    with Site() as site:
        port = int(site.base.rsplit(":", 1)[1])
        url = f"http://outlet.test:{port}/sky/atom.xml"
        checker = Checker(resolver=rebinding)
        with PoliteClient("t/1", CollectLimits(), checker=checker) as client:
            checker.check(url, Destinations.of([url]))
            with pytest.raises(httpx2.ConnectError, match="not checked"):
                client._client.get(f"http://127.0.0.1:{port}/sky/atom.xml")
            assert client._client.get(url).status_code == 200  # to 127.0.0.1: as checked
    assert lookups == ["outlet.test"]
    assert [path for _, path, _ in site.requests] == ["/sky/atom.xml"]


def test_an_intranet_source_must_opt_in_and_loopback_stays_its_own(tmp_path):
    import ipaddress

    from toolkit.collect.destinations import Destinations, address_kind

    own = Destinations.of(["http://127.0.0.1:8080/feed.xml"])
    intranet = Destinations.of(["http://news.corp/feed.xml"], allow_private=True)
    private, loopback = ipaddress.ip_address("10.0.0.5"), ipaddress.ip_address("127.0.0.1")
    metadata = ipaddress.ip_address("169.254.169.254")
    assert own.refusal("127.0.0.1", 8080, loopback) is None
    assert "loopback" in own.refusal("127.0.0.1", 8081, loopback)
    assert "allow_private" in own.refusal("wiki.corp", 80, private)
    assert intranet.refusal("wiki.corp", 80, private) is None
    assert "loopback" in intranet.refusal("127.0.0.1", 8080, loopback)
    assert "link-local" in intranet.refusal("x", 80, metadata)
    kinds = {
        a: address_kind(ipaddress.ip_address(a))
        for a in ("8.8.8.8", "::ffff:127.0.0.1", "fe80::1", "100.64.1.1", "0.0.0.0", "224.0.0.1")
    }
    assert kinds == {
        "8.8.8.8": "public",
        "::ffff:127.0.0.1": "loopback",
        "fe80::1": "link-local",
        "100.64.1.1": "private",
        "0.0.0.0": "unspecified",
        "224.0.0.1": "multicast",
    }
    wrong = tmp_path / "sources.toml"
    wrong.write_text('user_agent = "t/1"\n[[source]]\nname = "x"\nfeed = "http://a/f"\n'
                     'allow_private = "yes"\n')  # fmt: skip
    result = invoke("collect", "--sources", wrong, "--inbox", tmp_path / "in")
    assert result.exit_code == 2 and "allow_private must be true or false" in result.stderr


@pytest.mark.parametrize("link", [*BAD_LINKS, "http://[::1", "ftp://x/y", "http://u:p@x/", ""])
def test_a_bad_url_is_one_line_never_a_traceback(link):
    from toolkit.collect.urls import BadURL, checked_url

    with pytest.raises(BadURL) as error:
        checked_url(link)
    assert "\n" not in str(error.value)


def test_dot_segments_are_removed_before_robots_and_the_request():
    from toolkit.collect.urls import checked_url

    base = "http://Example.org:80/outlet-a/rss.xml"
    assert checked_url("/outlet-a/../private/x.html", base) == "http://example.org/private/x.html"
    assert checked_url("http://h/a/%2E%2E/private/./x") == "http://h/private/x"
    assert checked_url("http://h/../../x/..") == "http://h/"


def test_a_sitemap_with_an_impossible_lastmod_and_a_bad_loc_goes_on(tmp_path):
    with Site() as site:
        first, second = site.articles[:2]
        site.routes["/odd-sitemap.xml"] = site._feed(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{site.base}{site.page_path(first)}</loc>"
            "<lastmod>0001-01-01T00:00:00+01:00</lastmod></url>"
            "<url><loc>http://[::1/x</loc><lastmod>2026-11-20</lastmod></url>"
            f"<url><loc>{site.base}{site.page_path(second)}</loc><lastmod>garbage</lastmod></url>"
            "</urlset>",
            "application/xml",
        )
        table = f'[[source]]\nname = "odd"\nsitemap = "{site.base}/odd-sitemap.xml"\ndelay = 0\n'
        result = collect(tmp_path, table)
    assert result.exit_code == 1, result.output
    assert "odd: 2 new" in result.stdout
    assert "url 2: bad <loc>: http://[::1/x: not a valid URL" in result.stderr
    dates = {title: record["date"] for title, record in records(tmp_path).items()}
    assert dates == {first.title: first.date, second.title: second.date}  # the pages' own


def test_a_declared_iso_8859_6_charset_is_honoured(tmp_path):
    with Site() as site:
        park = site.add_charsets()
        pages = f'["{site.base}/charsets/header.html", "{site.base}/charsets/meta.html"]'
        result = collect(tmp_path, f'[[source]]\nname = "cs"\npages = {pages}\ndelay = 0\n')
    assert result.exit_code == 0, result.output
    # the same text both ways: decoded alike, so the second is a duplicate of the first
    assert "cs: 1 new, 0 seen, 1 duplicate" in result.stdout
    record = records(tmp_path)[park.title]
    assert record["text"].splitlines() == park.paragraphs
    assert record["arabic_share"] == 1.0


def test_the_pages_own_date_wins_over_the_feeds(tmp_path):
    with Site() as site:
        own = site.add_dated()
        table = f'[[source]]\nname = "dated"\nfeed = "{site.base}/dated/rss.xml"\ndelay = 0\n'
        result = collect(tmp_path, table)
    assert result.exit_code == 0, result.output
    by_url = {
        record["url"].rsplit("/", 1)[1]: record["date"] for record in records(tmp_path).values()
    }
    assert by_url == {f"{slug}.html": day for slug, day in own.items()}


def test_last_modified_is_kept_after_a_304(tmp_path):
    with Site() as site:
        site.add_last_modified()
        table = f'[[source]]\nname = "lm"\nfeed = "{site.base}/modified/rss.xml"\ndelay = 0\n'
        for _night in range(3):
            assert collect(tmp_path, table).exit_code == 0
    statuses = [status for _, path, status in site.requests if path == "/modified/rss.xml"]
    assert statuses == [200, 304, 304]


def test_an_etag_that_cannot_be_sent_back_is_not_kept(tmp_path):
    with Site() as site:
        raw_utf8 = '"é-€"'.encode().decode("latin-1")  # the bytes of UTF-8 on the wire
        body = site.routes["/sky/atom.xml"].body
        site.routes["/etag/atom.xml"] = Response(
            body=body, headers={"Content-Type": "application/atom+xml", "ETag": raw_utf8}
        )
        table = f'[[source]]\nname = "etag"\nfeed = "{site.base}/etag/atom.xml"\ndelay = 0\n'
        nights = [collect(tmp_path, table) for _night in range(2)]
    assert [night.exit_code for night in nights] == [0, 0], nights[1].output
    assert "etag: 0 new, 2 seen" in nights[1].stdout  # read again in full, nothing fetched
    assert [s for _, p, s in site.requests if p == "/etag/atom.xml"] == [200, 200]


def test_nightly_with_one_hostile_outlet_publishes_every_good_article(tiny_model, tmp_path):
    inbox, outputs = tmp_path / "inbox", tmp_path / "outputs"
    inbox.mkdir()
    with Site() as site, Site() as internal:
        dropped = site.articles[-2]  # a file already in the inbox: translated whatever happens
        (inbox / "dropped.txt").write_text(
            f"{dropped.title}\n\n" + "\n\n".join(dropped.paragraphs), encoding="utf-8"
        )
        hostile = site.add_hostile(internal.base)
        ain = site.articles[:-3]
        pages = ", ".join(f'"{site.base}{site.page_path(a)}"' for a in ain)
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'user_agent = "t/1"\n[[source]]\nname = "al-ain"\npages = [{pages}]\ndelay = 0\n'
            f'[[source]]\nname = "sky"\nfeed = "{site.base}/sky/atom.xml"\ndelay = 0\n'
            f'{hostile}[[source]]\nname = "ipv6"\nfeed = "http://[::1"\n',
            encoding="utf-8",
        )
        result = invoke(
            "nightly", "--inbox", inbox, "--outputs", outputs, "--date", "2026-11-20",
            "--model", tiny_model, "--no-glossary", "--sources", sources, "--quiet",
            env=FAST,
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and internal.requests == []
    day = outputs / "2026-11-20"
    published = {
        json.loads(p.read_text())["headline"]["ar"] for p in (day / "articles").glob("*.json")
    }
    # al-ain's pages, sky's own (its other is al-ain's first), the hostile outlet's one real
    # article, and the file that was in the inbox
    assert published == {a.title for a in ain} | {site.articles[-1].title, PARK[0], dropped.title}
    errors = result.stderr.splitlines()
    for number, link in enumerate(BAD_LINKS, 2):
        named = [line for line in errors if f"item {number} (t{number - 1}): bad link" in line]
        assert len(named) == 1 and link in named[0] and "collect: source hostile" in named[0]
    assert sum("collect: source ipv6:" in line for line in errors) == 1
    manifest = json.loads((day / "manifest.json").read_text())
    counts = {s["name"]: s for s in manifest["collect"]["sources"]}
    assert counts["hostile"]["new"] == 1 and counts["hostile"]["failed"] == 10
    assert counts["al-ain"]["new"] == len(ain) and counts["al-ain"]["failed"] == 0
