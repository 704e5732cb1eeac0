"""No reader's address in the outputs folder, which is served as static files.

What `toolkit send` records in a day folder (sent.json, .sent.jsonl) names each recipient by
a keyed hash of the address, HMAC-SHA256 under this installation's send key, never by the
address: the record still tells whether an address was sent to (hash it again), while
someone who reads it cannot test guessed addresses without the key. The same key makes the
Message-ID's token, which the record holds too. Server replies are recorded with any address
in them replaced.

The key: 32 random bytes (64 hex digits) in the file $TOOLKIT_SEND_KEY, else
$XDG_CONFIG_HOME/toolkit/send.key (~/.config/toolkit/send.key), made on first use with mode
0600. It must lie outside the outputs folder. Lose it and every record made with it no longer
recognizes anyone: sent.json holds the key's fingerprint, and a send under another key is
refused (exit 2) rather than mailing everyone a second time.
"""

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from toolkit.deliver.recipients import ADDRESS
from toolkit.errors import ConfigError
from toolkit.state.settings import setting

KEY_ENV = "TOOLKIT_SEND_KEY"
KEY_FILE = Path("toolkit") / "send.key"
PREFIX = "hmac-sha256:"
KEY_HEX = re.compile(r"[0-9a-f]{64}")
HIDDEN = "<address>"
IN_REPLY = re.compile(rf"<?{ADDRESS.pattern}>?")


@dataclass(frozen=True)
class SendKey:
    secret: bytes = b""
    path: Path | None = None

    def recipient_id(self, address: str) -> str:
        """What the record names `address` by (any case of it): "hmac-sha256:" + 32 hex."""
        digest = hmac.new(self.secret, address.strip().lower().encode(), hashlib.sha256)
        return PREFIX + digest.hexdigest()[:32]

    @property
    def fingerprint(self) -> str:
        """Which key a record was written with (it tells nothing about the key)."""
        return hmac.new(self.secret, b"toolkit send key", hashlib.sha256).hexdigest()[:16]


def key_path() -> Path:
    if configured := setting(KEY_ENV):
        return Path(configured).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / KEY_FILE


def load_key(served: Path | None = None) -> SendKey:
    """This installation's key, made on first use; one outside `served` (the outputs folder)."""
    path = key_path()
    if served is not None and _inside(path, served):
        raise ConfigError(
            f"{KEY_ENV}={path}: the send key lies in the published folder {served}; keep it outside"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as error:
        raise ConfigError(f"{path}: cannot make the send key ({error.strerror})") from None
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not text"
        raise ConfigError(f"{path}: cannot read the send key ({reason})") from None
    if not KEY_HEX.fullmatch(text):
        raise ConfigError(
            f"{path}: not a send key (64 hex digits); restore it from a backup ({KEY_ENV})"
        )
    return SendKey(bytes.fromhex(text), path)


def is_recipient_id(text: str) -> bool:
    return text.startswith(PREFIX)


def hide_addresses(text: str) -> str:
    """`text` (a server's reply) with every e-mail address in it replaced."""
    return IN_REPLY.sub(HIDDEN, text)


def published_folder(day_dir: Path) -> Path:
    """The folder served as static files: the outputs folder of a day folder named by its date
    (outputs/<YYYY-MM-DD>), else the day folder itself."""
    from toolkit.publish.records import DAY

    day_dir = Path(day_dir).resolve()
    return day_dir.parent if DAY.fullmatch(day_dir.name) else day_dir


def _inside(path: Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def check_outside(path: Path, served: Path, what: str) -> None:
    """A ConfigError when `path` lies in the published folder: it would hold addresses."""
    if _inside(path, served):
        raise ConfigError(
            f"{what} {path}: inside the published folder {served}; the messages hold "
            "readers' addresses: write them elsewhere"
        )
