"""DAY_DIR/sent.json: what `toolkit send` delivered, so that a day is e-mailed once.

One entry per attempt that reached the server: recipient, Message-ID, time, the server's
reply, the digest's sha256 and whether it was sent or refused. Written atomically after
every message, so a send killed half-way resends nothing that was accepted. No user name or
password is ever written here.
"""

import datetime as dt
import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.fsutil import atomic_write_text

RECORD = "sent.json"
LOCK = ".send.lock"


@dataclass(frozen=True)
class Delivery:
    recipient: str
    message_id: str
    time: str  # UTC, ISO 8601
    server: str  # host:port
    reply: str  # the server's reply, e.g. "250 OK queued as 1234"
    digest_sha256: str
    status: str = "sent"  # sent | refused
    attempts: int = 1


@dataclass
class SendRecord:
    date: str
    deliveries: list[Delivery] = field(default_factory=list)

    def sent(self) -> dict[str, Delivery]:
        """Recipient (lower case) → its latest accepted delivery."""
        return {d.recipient.lower(): d for d in self.deliveries if d.status == "sent"}

    def to_json(self) -> dict:
        return {"date": self.date, "deliveries": [asdict(d) for d in self.deliveries]}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load_record(day_dir: Path, date: str) -> SendRecord:
    path = Path(day_dir) / RECORD
    if not path.exists():
        return SendRecord(date)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SendRecord(data["date"], [Delivery(**d) for d in data["deliveries"]])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(
            f"{path}: unreadable record of what was sent ({type(error).__name__}); "
            "move it aside to send again"
        ) from None


def save_record(day_dir: Path, record: SendRecord) -> None:
    text = json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(Path(day_dir) / RECORD, text)


@contextmanager
def send_lock(day_dir: Path) -> Iterator[None]:
    """One `toolkit send` per day folder at a time: two would both mail everyone."""
    with open(Path(day_dir) / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"{day_dir} is being sent by another toolkit send") from None
        yield
