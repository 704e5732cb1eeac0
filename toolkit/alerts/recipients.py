"""The recipients file: one address per line, `#` starts a comment."""

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError

# A conservative addr-spec (RFC 5321 dot-atom local part, LDH domain): what a relay accepts
# without SMTPUTF8, and nothing that could smuggle a second address or a header.
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
ADDRESS = re.compile(rf"{ATOM}(?:\.{ATOM})*@{LABEL}(?:\.{LABEL})*")
# a display name bare, or quoted when it holds a comma or the like: "Doe, John" <j@x.org>
NAMED = re.compile(
    r"(?:\"(?P<quoted>[^\"\\\r\n]*)\"|(?P<name>[^<>@,;:\"\\]+?))\s*<(?P<address>[^<>\s]+)>"
)


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""

    def __str__(self) -> str:
        return self.address


def parse_address(text: str) -> Recipient | None:
    """`user@example.org`, `Display Name <user@example.org>` or `"Name, Other" <user@…>`;
    None when it is none of them."""
    text = text.strip()
    named = NAMED.fullmatch(text)
    name = (named["quoted"] or named["name"] or "").strip() if named else ""
    address = named["address"] if named else text
    if not ADDRESS.fullmatch(address) or len(address) > 254 or len(address.split("@")[0]) > 64:
        return None
    return Recipient(address, name)


def read_recipients(path: Path) -> list[Recipient]:
    """Every address in the file, once each (the first spelling wins), in file order."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ConfigError(f"{path}: cannot read the recipients file ({reason})") from None
    recipients: dict[str, Recipient] = {}
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        recipient = parse_address(text)
        if recipient is None:
            raise ConfigError(f"{path}:{number}: {text!r} is not an e-mail address")
        recipients.setdefault(recipient.address.lower(), recipient)
    if not recipients:
        raise ConfigError(f"{path}: no recipients (one address per line, # for comments)")
    return list(recipients.values())


def default_sender(hostname: str) -> Recipient:
    return parse_address(f"toolkit@{hostname}") or Recipient("toolkit@localhost")
