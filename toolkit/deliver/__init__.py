"""Deliver stage: the day's briefing by e-mail, one message per recipient, sent once.

recipients.py reads the recipients file (or readers.toml: toolkit.alerts), message.py builds
each multipart message (a reader's own: their alerts first), smtp.py speaks to the server
(TLS, AUTH, retries), record.py keeps DAY_DIR/sent.json, privacy.py keeps the readers'
addresses out of it (and out of the outputs folder).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from toolkit.deliver.message import (
    Briefing,
    build_message,
    eml_name,
    load_briefing,
    reader_briefing,
)
from toolkit.deliver.privacy import check_outside, hide_addresses, load_key, published_folder
from toolkit.deliver.recipients import Recipient, default_sender, parse_address, read_recipients
from toolkit.deliver.record import (
    RECORD,
    Delivery,
    journal,
    load_record,
    now,
    save_record,
    send_lock,
)
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


QUIET = "nothing matched the reader's rules today: no e-mail"


@dataclass(frozen=True)
class Letter:
    recipient: Recipient
    # built as it goes out: 5,000 readers' briefings held at once fill the memory
    compose: Callable[[], Briefing | None]
    quiet: bool = False  # an only_watched reader on a day nothing matched: nothing to send


def letters(day_dir: Path, to: Path | None, readers: Path | None) -> tuple[Briefing, list[Letter]]:
    """The day's briefing, and what each recipient (plain file) or reader (readers.toml) gets."""
    briefing = load_briefing(day_dir)
    if readers is None:
        return briefing, [Letter(r, lambda: briefing) for r in read_recipients(to)]
    from toolkit.alerts import day_alerts, watch_setup

    watch, glossary, topics = watch_setup(readers=readers)
    day = day_alerts(day_dir, watch, glossary, topics)
    return briefing, [
        Letter(
            r.recipient,
            partial(reader_briefing, day_dir, day, r, briefing.digest_sha256),
            quiet=r.only_watched and not day.of(r),
        )
        for r in watch.readers
    ]


@dataclass
class SendReport:
    briefing: Briefing
    recipients: int
    sent: list[Delivery] = field(default_factory=list)
    refused: dict[str, Delivery] = field(default_factory=dict)  # address → its refusal
    unsent: dict[str, str] = field(default_factory=dict)  # address → why (server lost, late)
    already: list[Delivery] = field(default_factory=list)  # sent before, skipped
    quiet: list[str] = field(default_factory=list)  # addresses: only_watched, nothing matched
    record: Path | None = None

    @property
    def rebuilt_since(self) -> bool:
        """digest.md changed after it was sent to someone who is not sent it again."""
        return any(d.digest_sha256 != self.briefing.digest_sha256 for d in self.already)


def write_eml(
    day_dir: Path, recipients_file: Path | None, sender: Recipient, out_dir: Path, readers=None
) -> list[Path]:
    """--dry-run: one .eml per recipient (what would be sent), nothing sent or recorded;
    never into the published outputs folder, since each holds its reader's address."""
    served = published_folder(day_dir)
    check_outside(Path(out_dir), served, "--dry-run -o")
    key = load_key(served)
    written = []
    for letter in letters(day_dir, recipients_file, readers)[1]:
        briefing = None if letter.quiet else letter.compose()
        if briefing is None:
            continue
        path = Path(out_dir) / eml_name(briefing, letter.recipient)
        recipient_id = key.recipient_id(letter.recipient.address)
        message = build_message(briefing, sender, letter.recipient, recipient_id)
        atomic_write_bytes(path, message.as_bytes())
        written.append(path)
    return written


def send_briefing(
    day_dir: Path,
    recipients_file: Path,
    sender: Recipient,
    settings: SmtpSettings,
    resend: bool = False,
    log: Callable[[str], None] | None = None,
    readers: Path | None = None,
) -> SendReport:
    """Send the day's briefing to every recipient it was not sent to yet (all with `resend`).

    With `readers` (readers.toml) each reader gets their own message; an only_watched reader
    nothing matched gets none, and the record says so (once a day per digest).
    Past the send's deadline or a message's time limit (SendLimits, from the environment),
    the rest is left `unsent`: what was sent is recorded, and the next run sends the rest.
    """
    day_dir = Path(day_dir)
    limits = SendLimits.from_env()
    key = load_key(published_folder(day_dir))
    briefing, mail = letters(day_dir, recipients_file, readers)
    report = SendReport(briefing, len(mail), record=day_dir / RECORD)
    ids = {letter.recipient.address: key.recipient_id(letter.recipient.address) for letter in mail}
    with send_lock(day_dir):
        record = load_record(day_dir, briefing.date, key, resend)
        done = {} if resend else record.sent()
        report.already = [
            done[ids[x.recipient.address]] for x in mail if ids[x.recipient.address] in done
        ]
        todo = [letter for letter in mail if ids[letter.recipient.address] not in done]
        quiet = [letter for letter in todo if letter.quiet]
        _record_quiet(day_dir, record, quiet, ids, briefing, report)
        todo = [letter for letter in todo if not letter.quiet]
        if not todo:
            return report
        with journal(day_dir, record) as add, Mailer(settings, limits) as mailer:
            # unreachable: ServerError, nothing recorded; too slow: TimedOut at the first send
            for index, letter in enumerate(todo):
                recipient = letter.recipient
                recipient_id = ids[recipient.address]
                message = build_message(letter.compose(), sender, recipient, recipient_id)
                entry = dict(
                    recipient=recipient_id,
                    message_id=message["Message-ID"],
                    server=settings.server,
                    digest_sha256=briefing.digest_sha256,
                )
                try:
                    accepted = mailer.send(sender.address, recipient.address, message.as_bytes())
                except Refusal as refusal:
                    reply = hide_addresses(str(refusal))
                    delivery = Delivery(**entry, time=now(), reply=reply, status="refused")
                    report.refused[recipient.address] = replace(delivery, reply=str(refusal))
                except ServerError as error:
                    for rest in todo[index:]:
                        report.unsent[rest.recipient.address] = str(error)
                    break
                else:
                    delivery = Delivery(
                        **entry,
                        time=now(),
                        reply=hide_addresses(accepted.reply),
                        attempts=accepted.attempts,
                    )
                    report.sent.append(delivery)
                add(delivery)
                if log:
                    log(f"{delivery.status} {recipient.address}: {delivery.reply}")
    return report


def _record_quiet(
    day_dir: Path,
    record,
    quiet: list[Letter],
    ids: dict[str, str],
    briefing: Briefing,
    report: SendReport,
) -> None:
    """Record each only_watched reader left without mail, unless this digest's already is."""
    known = {(d.recipient, d.digest_sha256) for d in record.deliveries if d.status == "quiet"}
    for letter in quiet:
        if (ids[letter.recipient.address], briefing.digest_sha256) in known:
            continue
        delivery = Delivery(
            recipient=ids[letter.recipient.address],
            message_id="",
            time=now(),
            server="",
            reply=QUIET,
            digest_sha256=briefing.digest_sha256,
            status="quiet",
        )
        record.deliveries.append(delivery)
        report.quiet.append(letter.recipient.address)
    if report.quiet:
        save_record(day_dir, record)
