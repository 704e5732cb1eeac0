"""Deliver stage: the day's briefing by e-mail, one message per recipient, sent once.

recipients.py reads the recipients file, message.py builds each multipart message,
smtp.py speaks to the server (TLS, AUTH, retries), record.py keeps DAY_DIR/sent.json.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.deliver.message import Briefing, build_message, eml_name, load_briefing
from toolkit.deliver.recipients import Recipient, default_sender, parse_address, read_recipients
from toolkit.deliver.record import RECORD, Delivery, journal, load_record, now, send_lock
from toolkit.deliver.smtp import (
    Mailer,
    Refusal,
    Security,
    SendLimits,
    ServerError,
    SmtpSettings,
    parse_server,
)
from toolkit.fsutil import atomic_write_bytes

__all__ = [
    "Briefing",
    "Recipient",
    "Security",
    "SendReport",
    "SmtpSettings",
    "default_sender",
    "parse_address",
    "parse_server",
    "send_briefing",
    "write_eml",
]


@dataclass
class SendReport:
    briefing: Briefing
    recipients: int
    sent: list[Delivery] = field(default_factory=list)
    refused: list[Delivery] = field(default_factory=list)
    unsent: dict[str, str] = field(default_factory=dict)  # recipient → why (server lost, late)
    already: list[Delivery] = field(default_factory=list)  # sent before, skipped
    record: Path | None = None

    @property
    def rebuilt_since(self) -> bool:
        """digest.md changed after it was sent to someone who is not sent it again."""
        return any(d.digest_sha256 != self.briefing.digest_sha256 for d in self.already)


def write_eml(day_dir: Path, recipients_file: Path, sender: Recipient, out_dir: Path) -> list[Path]:
    """--dry-run: one .eml per recipient (what would be sent), nothing sent or recorded."""
    briefing = load_briefing(day_dir)
    written = []
    for recipient in read_recipients(recipients_file):
        path = Path(out_dir) / eml_name(briefing, recipient)
        atomic_write_bytes(path, build_message(briefing, sender, recipient).as_bytes())
        written.append(path)
    return written


def send_briefing(
    day_dir: Path,
    recipients_file: Path,
    sender: Recipient,
    settings: SmtpSettings,
    resend: bool = False,
    log: Callable[[str], None] | None = None,
) -> SendReport:
    """Send the day's briefing to every recipient it was not sent to yet (all with `resend`).

    Past the send's deadline or a message's time limit (SendLimits, from the environment),
    the rest is left `unsent`: what was sent is recorded, and the next run sends the rest.
    """
    day_dir = Path(day_dir)
    limits = SendLimits.from_env()
    briefing = load_briefing(day_dir)
    recipients = read_recipients(recipients_file)
    report = SendReport(briefing, len(recipients), record=day_dir / RECORD)
    with send_lock(day_dir):
        record = load_record(day_dir, briefing.date)
        done = {} if resend else record.sent()
        report.already = [done[r.address.lower()] for r in recipients if r.address.lower() in done]
        todo = [r for r in recipients if r.address.lower() not in done]
        if not todo:
            return report
        with journal(day_dir, record) as add, Mailer(settings, limits) as mailer:
            # unreachable: ServerError, nothing recorded; too slow: TimedOut at the first send
            for index, recipient in enumerate(todo):
                message = build_message(briefing, sender, recipient)
                entry = dict(
                    recipient=recipient.address,
                    message_id=message["Message-ID"],
                    server=settings.server,
                    digest_sha256=briefing.digest_sha256,
                )
                try:
                    accepted = mailer.send(sender.address, recipient.address, message.as_bytes())
                except Refusal as refusal:
                    delivery = Delivery(**entry, time=now(), reply=str(refusal), status="refused")
                    report.refused.append(delivery)
                except ServerError as error:
                    for rest in todo[index:]:
                        report.unsent[rest.address] = str(error)
                    break
                else:
                    delivery = Delivery(
                        **entry, time=now(), reply=accepted.reply, attempts=accepted.attempts
                    )
                    report.sent.append(delivery)
                add(delivery)
                if log:
                    log(f"{delivery.status} {recipient.address}: {delivery.reply}")
    return report
