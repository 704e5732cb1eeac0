"""sources.toml → Sources: who we are (user_agent) and where each outlet publishes.

A file that cannot be read, or a source table of the wrong shape, is a usage error (exit 2).
A URL that does not pass toolkit.collect.urls is the source's own failure: it is kept in
`bad`, named when collecting, and the other sources (and the source's other pages) go on.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.collect.destinations import Destinations
from toolkit.collect.urls import BadURL, checked_url
from toolkit.errors import ConfigError

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
KINDS = ("feed", "sitemap", "pages")


@dataclass(frozen=True)
class Source:
    name: str  # the outlet's slug: in file names and as the article's `source`
    kind: str  # feed | sitemap | pages
    urls: tuple[str, ...]  # one feed or sitemap, or the pages: checked and canonical
    delay: float | None = None  # s between requests to its hosts (None: the default)
    allow_private: bool = False  # an intranet outlet: private addresses may be fetched
    bad: tuple[str, ...] = ()  # each configured URL that is not valid, with why

    @property
    def destinations(self) -> Destinations:
        return Destinations.of(self.urls, self.allow_private)


@dataclass
class Sources:
    user_agent: str
    sources: list[Source] = field(default_factory=list)


def load_sources(path: Path) -> Sources:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from error
    agent = data.get("user_agent")
    if not isinstance(agent, str) or not agent.strip():
        raise ConfigError(
            f'{path}: set user_agent = "name/version (+mailto:you@example.org)": sites must '
            "know who is asking"
        )
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: no [[source]] tables")
    sources = Sources(agent.strip())
    for number, table in enumerate(tables, 1):
        source = _source(table, f"{path}: source {number}")
        if any(s.name == source.name for s in sources.sources):
            raise ConfigError(f"{path}: source {number}: name {source.name!r} used twice")
        sources.sources.append(source)
    return sources


def _source(table: object, where: str) -> Source:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a [[source]] table")
    name = table.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ConfigError(f"{where}: name must be a slug (a-z, 0-9, -), got {name!r}")
    where = f"{where} ({name})"
    given = [kind for kind in KINDS if kind in table]
    if len(given) != 1:
        raise ConfigError(f"{where}: give exactly one of feed, sitemap, pages")
    kind = given[0]
    value = table[kind]
    given_urls = value if kind == "pages" else [value]
    if not isinstance(given_urls, list) or not given_urls:
        raise ConfigError(f"{where}: {kind} must be http(s) URL(s)")
    if not all(isinstance(url, str) for url in given_urls):
        raise ConfigError(f"{where}: {kind} must be http(s) URL(s)")
    urls, bad = [], []
    for url in given_urls:
        try:
            urls.append(checked_url(url))
        except BadURL as error:
            bad.append(f"{kind} {error}")
    delay = table.get("delay")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int | float)):
        raise ConfigError(f"{where}: delay must be a number of seconds")
    if delay is not None and delay < 0:
        raise ConfigError(f"{where}: delay must be 0 or more seconds")
    allow_private = table.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise ConfigError(f"{where}: allow_private must be true or false")
    unknown = set(table) - {"name", "delay", "allow_private", *KINDS}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return Source(
        name,
        kind,
        tuple(dict.fromkeys(urls)),
        None if delay is None else float(delay),
        allow_private,
        tuple(bad),
    )
