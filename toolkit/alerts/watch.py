"""Who watches what: readers.toml (one [[reader]] per person) and watchlists.toml (global rules).

    [[reader]]
    email = "ana@example.org"
    name = "Ana"
    watch = ["Telegram AND recruitment"]
    only_watched = false

    # watchlists.toml
    watch = ['hawala OR "Western Union"']

Without a path, $TOOLKIT_READERS / $TOOLKIT_WATCHLISTS, else readers.toml / watchlists.toml
in the current folder when they exist.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.alerts.rules import Rule, Vocabulary, parse_rule
from toolkit.deliver.recipients import Recipient, parse_address
from toolkit.errors import ConfigError
from toolkit.state.settings import setting as setting_value

READERS = "readers.toml"
WATCHLISTS = "watchlists.toml"
READER_KEYS = {"email", "name", "watch", "only_watched"}


@dataclass(frozen=True)
class Reader:
    recipient: Recipient
    rules: tuple[Rule, ...]
    only_watched: bool = False

    @property
    def email(self) -> str:
        return self.recipient.address

    @property
    def label(self) -> str:
        """How the digest names the reader: never by address, since digests are published."""
        return self.recipient.name or "unnamed reader"


@dataclass
class Watch:
    readers: list[Reader] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)  # global: watchlists.toml

    @property
    def all_rules(self) -> list[Rule]:
        return self.rules + [r for reader in self.readers for r in reader.rules]

    @property
    def phrases(self) -> list[str]:
        return list(dict.fromkeys(p for rule in self.all_rules for p in rule.phrases))


def configured(path: Path | None, setting: str, default: str) -> Path | None:
    """The file given, else $setting, else `default` in the current folder if it is there."""
    if path is not None:
        return Path(path)
    if value := setting_value(setting):
        return Path(value)
    return Path(default) if Path(default).is_file() else None


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ConfigError(f"{path}: cannot read ({reason})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not TOML ({error})") from None


def _rules(value: object, where: str, vocabulary: Vocabulary) -> tuple[Rule, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: watch must be a list of rules (strings)")
    return tuple(parse_rule(text, vocabulary, f"{where}: rule") for text in value)


def read_readers(path: Path, vocabulary: Vocabulary) -> list[Reader]:
    tables = _read_toml(path).get("reader", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: no [[reader]] tables (email, name, watch, only_watched)")
    readers: dict[str, Reader] = {}
    for number, table in enumerate(tables, 1):
        where = f"{path}: reader {number}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: each reader must be a [[reader]] table")
        unknown = sorted(set(table) - READER_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r} ({', '.join(READER_KEYS)})")
        email, name = table.get("email"), table.get("name", "")
        recipient = parse_address(email) if isinstance(email, str) else None
        if recipient is None or not isinstance(name, str):
            raise ConfigError(f"{where}: email {email!r} is not an e-mail address")
        if not name.isprintable():
            raise ConfigError(f"{where}: name must be one line of printable text")
        only = table.get("only_watched", False)
        if not isinstance(only, bool):
            raise ConfigError(f"{where}: only_watched must be true or false")
        rules = _rules(table.get("watch", []), where, vocabulary)
        if only and not rules:
            raise ConfigError(f"{where}: only_watched without rules would never be sent anything")
        reader = Reader(Recipient(recipient.address, name or recipient.name), rules, only)
        if reader.email.lower() in readers:
            raise ConfigError(f"{where}: {reader.email} is already an earlier reader")
        readers[reader.email.lower()] = reader
    return list(readers.values())


def read_watchlists(path: Path, vocabulary: Vocabulary) -> list[Rule]:
    return list(_rules(_read_toml(path).get("watch", []), str(path), vocabulary))


def load_watch(
    vocabulary: Vocabulary, readers: Path | None = None, watchlists: Path | None = None
) -> Watch:
    readers = configured(readers, "TOOLKIT_READERS", READERS)
    watchlists = configured(watchlists, "TOOLKIT_WATCHLISTS", WATCHLISTS)
    return Watch(
        read_readers(readers, vocabulary) if readers else [],
        read_watchlists(watchlists, vocabulary) if watchlists else [],
    )
