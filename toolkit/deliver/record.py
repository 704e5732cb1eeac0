"""DAY_DIR/sent.json: what `toolkit send` delivered, so that a day is e-mailed once.

One entry per attempt that reached the server: recipient, Message-ID, time, the server's
reply, the digest's sha256 and whether it was sent or refused. No user name or password is
ever written here, and no address: the recipient is its keyed hash (privacy.py), and the
record names the key it was made with. A record or journal of an older toolkit, with
addresses, is rewritten with their hashes when it is next read.

While a send runs, each entry is appended to DAY_DIR/.sent.jsonl (one line, fsynced before
the next message goes out), so a send killed half-way resends nothing that was accepted, and
each message costs the same whatever the number before it (sent.json rewritten after every
message made 1,000 recipients quadratic). The journal is folded into sent.json when the send
ends, and by the next send if this one died.
"""

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from toolkit.deliver.privacy import KEY_ENV, SendKey, hide_addresses, is_recipient_id
from toolkit.errors import ConfigError
from toolkit.fsutil import atomic_write_text
from toolkit.state.lock import file_lock

RECORD = "sent.json"
JOURNAL = ".sent.jsonl"  # deliveries not yet folded into sent.json
LOCK = ".send.lock"


@dataclass(frozen=True)
class Delivery:
    recipient: str  # SendKey.recipient_id of the address, never the address
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
    key: str = ""  # the fingerprint of the SendKey its recipients are hashed with

    def sent(self) -> dict[str, Delivery]:
        """Recipient id → its latest accepted delivery."""
        return {d.recipient: d for d in self.deliveries if d.status == "sent"}

    def to_json(self) -> dict:
        return {
            "date": self.date,
            "key": self.key,
            "deliveries": [asdict(d) for d in self.deliveries],
        }


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load_record(day_dir: Path, date: str, key: SendKey, resend: bool = False) -> SendRecord:
    """sent.json, with the journal of a send that died folded in, and addresses (an older
    toolkit's) replaced by their hashes. Made under another key: a ConfigError, unless
    `resend`, which sends everyone again anyway."""
    path = Path(day_dir) / RECORD
    record = SendRecord(date, key=key.fingerprint)
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            deliveries = [Delivery(**d) for d in data["deliveries"]]
            record = SendRecord(data["date"], deliveries, data.get("key") or key.fingerprint)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise _unreadable(path, error) from None
    if record.key != key.fingerprint and not resend:
        raise ConfigError(
            f"{path}: recorded under another send key than {key.path} ({KEY_ENV}): point "
            f"{KEY_ENV} at that key, or --resend to send everyone again"
        )
    record.key = key.fingerprint
    journal = Path(day_dir) / JOURNAL
    addresses = [d for d in record.deliveries if not is_recipient_id(d.recipient)]
    if journal.exists() or addresses:
        known = set(record.deliveries)  # a fold that died before removing the journal
        if journal.exists():
            record.deliveries += [d for d in _read_journal(journal) if d not in known]
        record.deliveries = [_hidden(d, key) for d in record.deliveries]
        save_record(day_dir, record)
    return record


def _hidden(delivery: Delivery, key: SendKey) -> Delivery:
    """A delivery of an older toolkit with its address replaced by the address's hash."""
    if is_recipient_id(delivery.recipient):
        return delivery
    return replace(
        delivery,
        recipient=key.recipient_id(delivery.recipient),
        reply=hide_addresses(delivery.reply),
    )


def _read_journal(path: Path) -> list[Delivery]:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError) as error:
        raise _unreadable(path, error) from None
    deliveries = []
    for number, line in enumerate(lines[:-1], 1):  # past the last newline: a torn write
        try:
            deliveries.append(Delivery(**json.loads(line)))
        except (ValueError, TypeError) as error:
            raise _unreadable(f"{path}:{number}", error) from None
    return deliveries


def _unreadable(where: Path | str, error: Exception) -> ConfigError:
    return ConfigError(
        f"{where}: unreadable record of what was sent ({type(error).__name__}); "
        "move it aside to send again"
    )


def save_record(day_dir: Path, record: SendRecord) -> None:
    """Write sent.json whole; the journal's entries are in it, so the journal goes."""
    text = json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(Path(day_dir) / RECORD, text)
    (Path(day_dir) / JOURNAL).unlink(missing_ok=True)


@contextmanager
def journal(day_dir: Path, record: SendRecord) -> Iterator[Callable[[Delivery], None]]:
    """`add(delivery)`: into `record`, and on disk before it returns (one appended line);
    the send's deliveries are folded into sent.json when the block ends, however it ends."""
    handle = None

    def add(delivery: Delivery) -> None:
        nonlocal handle
        record.deliveries.append(delivery)
        if handle is None:
            handle = open(Path(day_dir) / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115
        handle.write(json.dumps(asdict(delivery), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())

    try:
        yield add
    finally:
        if handle is not None:
            handle.close()
            save_record(day_dir, record)


@contextmanager
def send_lock(day_dir: Path) -> Iterator[None]:
    """One `toolkit send` per day folder at a time: two would both mail everyone."""

    def busy(_holder: str) -> ConfigError:
        return ConfigError(f"{day_dir} is being sent by another toolkit send")

    with file_lock(Path(day_dir) / LOCK, busy):
        yield
