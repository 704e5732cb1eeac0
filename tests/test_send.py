"""`toolkit send` against a real SMTP server (aiosmtpd) on 127.0.0.1, started and stopped here.

Messages are parsed back with the stdlib `email` package. TLS uses a self-signed certificate
made in the test and trusted through $TOOLKIT_SMTP_CAFILE; nothing turns verification off.
"""

import asyncio
import datetime as dt
import email
import fcntl
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
from contextlib import contextmanager, suppress
from dataclasses import replace
from email import policy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from conftest import REPO, invoke
from test_page import fetch, serve_folder
from test_publish import HOSTILE, FakeInfo, make_article, write_day

from toolkit.deliver import SmtpSettings, parse_address, send_briefing
from toolkit.deliver import smtp as smtp_module
from toolkit.deliver.privacy import load_key
from toolkit.publish import publish_digest

DATE = "2026-11-24"
ARABIC_HEADLINE = "الشرطة تعتقل خمسة بتهمة تمويل داعش"
PASSWORD = "s3cret-Pa55-do-not-log"
SENDER = "briefing@example.org"


class Inbox:
    """aiosmtpd handler: keeps what it accepts; refuses or defers the addresses it is told to."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes, bool]] = []  # rcpts, content, authenticated
        self.refuse: set[str] = set()
        self.defer: dict[str, int] = {}  # address → how many 451 replies before accepting
        self.hang_up: set[str] = set()  # answer DATA for these with 421 (closing), once
        self.stall: set[str] = set()  # answer DATA for these only once `released` (or 30 s)
        self.released = threading.Event()
        self.victim: subprocess.Popen | None = None  # SIGKILLed at the MAIL after `kill_after`
        self.kill_after = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.kill_after and len(self.messages) >= self.kill_after:
            while self.victim is None:
                await asyncio.sleep(0.01)
            os.kill(self.victim.pid, signal.SIGKILL)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such user"
        if self.defer.get(address, 0) > 0:
            self.defer[address] -= 1
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall & set(envelope.rcpt_tos):
            for _ in range(300):
                if self.released.is_set():
                    break
                await asyncio.sleep(0.1)
            return "451 4.3.0 too late"
        if self.hang_up & set(envelope.rcpt_tos):
            self.hang_up -= set(envelope.rcpt_tos)
            server.transport.close()
            return "421 4.3.2 shutting down"
        self.messages.append((list(envelope.rcpt_tos), envelope.content, session.authenticated))
        return "250 2.0.0 OK queued as 42"

    def parsed(self) -> dict[str, email.message.EmailMessage]:
        by_rcpt = {}
        for rcpts, content, _ in self.messages:
            assert len(rcpts) == 1, rcpts  # one message per recipient: nobody sees the others
            by_rcpt[rcpts[0]] = email.message_from_bytes(content, policy=policy.default)
        return by_rcpt


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    """Start an SMTP server on loopback for one test: `server(**aiosmtpd options)`."""
    started = []

    def start(**options):
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        started.append(controller)
        inbox.address = f"127.0.0.1:{controller.port}"
        return inbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr(smtp_module, "RETRY_DELAYS", (0.0, 0.0, 0.0))


@pytest.fixture
def day(tmp_path) -> Path:
    folder = write_day(tmp_path / "outputs" / DATE, [make_article(1), make_article(2, HOSTILE)])
    publish_digest(folder)
    return folder


ADDRESSES = ["ana@example.org", "bo@example.net", "cy@example.com"]


@pytest.fixture
def recipients(tmp_path) -> Path:
    path = tmp_path / "recipients.txt"
    path.write_text(
        "# analysts\nana@example.org\n\n  Bo Analyst <bo@example.net>  # desk 2\n"
        "cy@example.com\nANA@example.org\n",
        encoding="utf-8",
    )
    return path


def send(day: Path, recipients: Path, address: str, *extra, env=None):
    return invoke(
        "send", day, "--to", recipients, "--smtp", address, "--from", SENDER, *extra, env=env
    )


def record(day: Path) -> dict:
    return json.loads((day / "sent.json").read_text(encoding="utf-8"))


def rid(address: str) -> str:
    """How sent.json names a recipient: the keyed hash of the address."""
    return load_key().recipient_id(address)


def recorded(day: Path) -> list[str]:
    """The recipients of sent.json, as addresses of ADDRESSES or reader<N>@example.org."""
    known = {rid(a): a for a in ADDRESSES + [f"reader{n}@example.org" for n in range(20)]}
    return [known[d["recipient"]] for d in record(day)["deliveries"]]


def test_one_multipart_message_per_recipient(server, day, recipients):
    inbox = server()
    result = send(day, recipients, inbox.address)
    assert result.exit_code == 0, result.output
    assert f"sent 3 of 3: Arabic press briefing — {DATE} · 2 articles" in result.stdout
    messages = inbox.parsed()
    assert sorted(messages) == sorted(ADDRESSES) and len(inbox.messages) == 3
    ids = set()
    for address, message in messages.items():
        assert message["Subject"] == f"Arabic press briefing — {DATE} · 2 articles"
        assert message["To"].addresses[0].addr_spec == address
        assert message["Cc"] is None and message["Bcc"] is None
        assert message["From"].addresses[0].addr_spec == SENDER
        assert message["List-Id"] == "Arabic press briefing <arabic-press-briefing.example.org>"
        assert email.utils.parsedate_to_datetime(message["Date"]).date() >= dt.date(2026, 1, 1)
        assert message["Message-ID"].endswith("@example.org>")
        ids.add(message["Message-ID"])
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]

        text = message.get_body(("plain",)).get_content()
        assert f"Arabic press briefing — {DATE}" in text and ARABIC_HEADLINE in text
        assert "Bottom line: Police arrested five people." in text
        assert "|---|" not in text and "**" not in text and "](#" not in text  # not Markdown

        html = message.get_body(("html",)).get_content()
        assert "<style" not in html and "<script" not in html.lower()
        assert "&lt;script&gt;" in html  # the hostile headline is shown as text
        assert 'href="javascript' not in html
        assert '<td style="' in html and "border: 1px solid #ddd" in html  # CSS inlined
        assert "var(--" not in html
        assert re.search(f'<span dir="rtl" lang="ar" style="[^"]+">{ARABIC_HEADLINE}</span>', html)
        assert DATE in html
    assert len(ids) == 3
    bo = messages["bo@example.net"]["To"].addresses[0]
    assert bo.display_name == "Bo Analyst"

    sent = record(day)
    assert sent["date"] == DATE
    assert recorded(day) == ADDRESSES
    for address, delivery in zip(ADDRESSES, sent["deliveries"], strict=True):
        assert delivery["status"] == "sent" and delivery["attempts"] == 1
        assert delivery["reply"] == "250 2.0.0 OK queued as 42"
        assert delivery["server"] == inbox.address
        assert delivery["message_id"] == messages[address]["Message-ID"]
        assert dt.datetime.fromisoformat(delivery["time"]).tzinfo is not None


def test_sent_once_then_resend_and_rebuilt_digest(server, day, recipients):
    inbox = server()
    assert send(day, recipients, inbox.address).exit_code == 0
    first_ids = {rcpt: m["Message-ID"] for rcpt, m in inbox.parsed().items()}

    again = send(day, recipients, inbox.address)
    assert again.exit_code == 0, again.output
    assert "already sent to 3" in again.stdout and "sent 0 of 3" in again.stdout
    assert len(inbox.messages) == 3  # nothing delivered
    assert "rebuilt" not in again.stderr

    # a recipient added later gets the briefing; the others do not get it twice
    with recipients.open("a", encoding="utf-8") as handle:
        handle.write("dee@example.org\n")
    later = send(day, recipients, inbox.address)
    assert later.exit_code == 0 and "already sent to 3" in later.stdout
    assert [rcpts for rcpts, _, _ in inbox.messages[3:]] == [["dee@example.org"]]

    publish_digest(write_day(day, [make_article(3, "A third story")]))  # rebuilt after sending
    stale = send(day, recipients, inbox.address)
    assert stale.exit_code == 0 and len(inbox.messages) == 4
    assert "digest.md was rebuilt after it was sent: --resend" in stale.stderr

    forced = send(day, recipients, inbox.address, "--resend")
    assert forced.exit_code == 0, forced.output
    resent = inbox.messages[4:]
    assert len(resent) == 4
    parsed = {r[0]: email.message_from_bytes(c, policy=policy.default) for r, c, _ in resent}
    assert all(parsed[rcpt]["Message-ID"] == first_ids[rcpt] for rcpt in first_ids)
    assert parsed["ana@example.org"]["Subject"].endswith("· 3 articles")
    assert len(record(day)["deliveries"]) == 8


def test_unreachable_server_is_exit_2_and_nothing_is_marked(day, recipients):
    result = send(day, recipients, f"127.0.0.1:{free_port()}")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("toolkit: error: cannot reach SMTP server 127.0.0.1:")
    assert not (day / "sent.json").exists()


def test_a_refused_recipient_is_named_and_the_others_are_sent(server, day, recipients):
    inbox = server()
    inbox.refuse.add("bo@example.net")
    result = send(day, recipients, inbox.address)
    assert result.exit_code == 1
    assert "bo@example.net: refused by the server: 550 5.1.1" in result.stderr
    assert "sent 2 of 3" in result.stdout
    assert sorted(inbox.parsed()) == ["ana@example.org", "cy@example.com"]
    statuses = {
        a: d["status"] for a, d in zip(recorded(day), record(day)["deliveries"], strict=True)
    }
    assert statuses == {
        "ana@example.org": "sent",
        "bo@example.net": "refused",
        "cy@example.com": "sent",
    }

    inbox.refuse.clear()  # the next run tries only the one that was refused
    retry = send(day, recipients, inbox.address)
    assert retry.exit_code == 0 and "already sent to 2" in retry.stdout
    assert [rcpts for rcpts, _, _ in inbox.messages[2:]] == [["bo@example.net"]]


def test_temporary_failures_are_retried_a_bounded_number_of_times(
    server, day, recipients, no_backoff
):
    inbox = server()
    inbox.defer = {"ana@example.org": 2, "cy@example.com": 99}
    inbox.hang_up = {"bo@example.net"}  # the connection is lost: a fresh one, and a retry
    result = send(day, recipients, inbox.address)
    assert result.exit_code == 1
    assert "cy@example.com: refused by the server: 451 4.7.1" in result.stderr
    assert sorted(inbox.parsed()) == ["ana@example.org", "bo@example.net"]
    deliveries = dict(zip(recorded(day), record(day)["deliveries"], strict=True))
    assert deliveries["ana@example.org"]["attempts"] == 3
    assert deliveries["bo@example.net"]["attempts"] == 2
    assert len(inbox.messages) == 2
    assert deliveries["cy@example.com"]["status"] == "refused"
    assert inbox.defer["cy@example.com"] == 99 - 1 - len(smtp_module.RETRY_DELAYS)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost (its own CA)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "toolkit test SMTP")])
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, False, False, False),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls(tmp_path):
    cert, key = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"briefing" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def test_starttls_with_auth(server, day, recipients, tls, tmp_path):
    cafile, context = tls
    inbox = server(
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        auth_required=True,
    )
    env = {"TOOLKIT_SMTP_PASSWORD": PASSWORD, "TOOLKIT_SMTP_CAFILE": str(cafile)}
    result = send(day, recipients, inbox.address, "--starttls", "--user", "briefing", env=env)
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 3 and all(auth for _, _, auth in inbox.messages)
    assert PASSWORD not in result.output and PASSWORD not in (day / "sent.json").read_text()

    # a wrong password: one line, exit 2, nothing marked; the password is not echoed
    wrong = {**env, "TOOLKIT_SMTP_PASSWORD": "wrong-" + PASSWORD}
    (day / "sent.json").unlink()
    refused = send(day, recipients, inbox.address, "--starttls", "--user", "briefing", env=wrong)
    assert refused.exit_code == 2, refused.output
    assert "refused the login of 'briefing': 535" in refused.stderr
    assert refused.stderr.count("\n") == 1 and PASSWORD not in refused.output
    assert not (day / "sent.json").exists()


def test_an_untrusted_certificate_is_refused_not_ignored(server, day, recipients, tls):
    _, context = tls
    inbox = server(tls_context=context, require_starttls=True)
    result = send(day, recipients, inbox.address, "--starttls", env={"TOOLKIT_SMTP_CAFILE": None})
    assert result.exit_code == 2
    assert "TLS certificate not trusted" in result.stderr and "TOOLKIT_SMTP_CAFILE" in result.stderr
    assert inbox.messages == [] and not (day / "sent.json").exists()


def test_implicit_tls(server, day, recipients, tls):
    cafile, context = tls
    inbox = server(ssl_context=context)
    result = send(day, recipients, inbox.address, "--ssl", "--cafile", cafile)
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 3


def test_dry_run_writes_one_eml_per_recipient(day, recipients, tmp_path):
    out = tmp_path / "eml"
    result = send(day, recipients, f"127.0.0.1:{free_port()}", "--dry-run", "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote 3 message(s)" in result.stdout
    files = sorted(out.glob("*.eml"))
    assert [f.name for f in files] == [
        f"{DATE}-ana_at_example.org.eml",
        f"{DATE}-bo_at_example.net.eml",
        f"{DATE}-cy_at_example.com.eml",
    ]
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert ARABIC_HEADLINE in message.get_body(("html",)).get_content()
    assert not (day / "sent.json").exists()


def test_synthetic_briefing_is_marked_in_the_subject(server, tmp_path, recipients):
    FakeInfo.synthetic = True
    try:
        folder = write_day(tmp_path / DATE, [make_article(1)])
    finally:
        FakeInfo.synthetic = False
    publish_digest(folder)
    inbox = server()
    assert send(folder, recipients, inbox.address).exit_code == 0
    message = inbox.parsed()["ana@example.org"]
    assert message["Subject"] == f"[SYNTHETIC] Arabic press briefing — {DATE} · 1 article"
    assert "SYNTHETIC MODEL" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("ana@example.org\nnot an address\n", ":2:"),
        ("# x\n\nana@example.org, bo@example.net\n", ":3:"),
        ("ana@example.org\nEvil <a@b.c>\\r\\nBcc: x@y.z\n", ":2:"),
        ("# nobody\n", ": no recipients"),
        (None, ": cannot read the recipients file"),
    ],
)
def test_bad_recipients_file_is_exit_2_naming_the_line(day, tmp_path, content, where):
    path = tmp_path / "to.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = send(day, path, "127.0.0.1:1")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and f"{path}{where}" in result.stderr


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        (["--starttls", "--ssl"], {}, "exclude each other"),
        (["--user", "u"], {"TOOLKIT_SMTP_PASSWORD": "x"}, "add --starttls or --ssl"),
        (["--starttls", "--user", "u"], {"TOOLKIT_SMTP_PASSWORD": None}, "TOOLKIT_SMTP_PASSWORD"),
        (["--dry-run"], {}, "--dry-run and -o DIR go together"),
        (["--password", "x"], {}, "No such option"),
        (["--from", "nobody"], {}, "is not an e-mail address"),
    ],
)
def test_usage_errors(day, recipients, extra, env, message):
    result = send(day, recipients, "127.0.0.1:1", *extra, env=env)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_day_without_digest_says_what_to_do(tmp_path, recipients):
    (tmp_path / DATE).mkdir()
    result = send(tmp_path / DATE, recipients, "127.0.0.1:1")
    assert result.exit_code == 2 and "run `toolkit brief" in result.stderr


def test_smtp_defaults_to_the_environment(server, day, recipients):
    inbox = server()
    result = invoke(
        "send", day, "--to", recipients, "--from", SENDER, env={"TOOLKIT_SMTP": inbox.address}
    )
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 3


@contextmanager
def trickling(gap: float = 0.2, lasts: float = 20.0):
    """A server on 127.0.0.1 that sends its greeting one byte every `gap` seconds (for
    `lasts` seconds, then it hangs up), in a thread of this test; stopped when the block ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(gap)
    stop = threading.Event()

    def serve() -> None:
        connections, ticks = [], 0
        while not stop.is_set() and ticks * gap < lasts:
            with suppress(TimeoutError):
                connections.append(listener.accept()[0])
            ticks += 1
            for connection in connections:
                with suppress(OSError):
                    connection.send(b"220 mail.example.org ESMTP"[ticks % 26 : ticks % 26 + 1])
        for connection in connections:
            connection.close()

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_a_trickling_server_is_given_up_at_the_deadline(server, day, recipients):
    with trickling() as address:
        result = send(day, recipients, address, env={"TOOLKIT_SEND_DEADLINE": "1"})
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"toolkit: error: SMTP server {address}: past TOOLKIT_SEND_DEADLINE")
    assert "not sent to 3 recipient(s)" in line and "next send sends them" in line
    assert "sent 0 of 3" in result.stdout
    assert not (day / "sent.json").exists()
    with open(day / ".send.lock") as lock:  # released
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_UN)

    inbox = server()
    again = send(day, recipients, inbox.address)
    assert again.exit_code == 0 and sorted(inbox.parsed()) == sorted(ADDRESSES)


def test_a_message_past_its_time_stops_the_send_and_the_rest_waits(server, day, recipients):
    inbox = server()
    inbox.stall = {"bo@example.net"}
    result = send(day, recipients, inbox.address, env={"TOOLKIT_SEND_MESSAGE_TIMEOUT": "2"})
    inbox.released.set()
    assert result.exit_code == 1, result.output
    (error,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert "over TOOLKIT_SEND_MESSAGE_TIMEOUT (2 s)" in error
    assert "not sent to 2 recipient(s) (from bo@example.net on)" in error
    assert recorded(day) == ["ana@example.org"]

    inbox.stall.clear()
    retry = send(day, recipients, inbox.address)
    assert retry.exit_code == 0 and "already sent to 1" in retry.stdout
    assert sorted(inbox.parsed()) == sorted(ADDRESSES) and len(inbox.messages) == 3


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan"])
def test_a_bad_time_limit_is_exit_2(day, recipients, value):
    result = send(day, recipients, "127.0.0.1:1", env={"TOOLKIT_SEND_DEADLINE": value})
    assert result.exit_code == 2 and "TOOLKIT_SEND_DEADLINE" in result.stderr


def many_recipients(tmp_path: Path, count: int) -> tuple[Path, list[str]]:
    addresses = [f"reader{n}@example.org" for n in range(count)]
    path = tmp_path / "many.txt"
    path.write_text("".join(f"{a}\n" for a in addresses), encoding="utf-8")
    return path, addresses


def test_a_send_killed_half_way_sends_only_the_rest_on_the_next_run(server, day, tmp_path):
    inbox = server()
    path, addresses = many_recipients(tmp_path, 6)
    inbox.kill_after = 3
    command = [sys.executable, "-m", "toolkit", "send", str(day), "--to", str(path)]
    command += ["--smtp", inbox.address, "--from", SENDER, "--quiet"]
    inbox.victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    assert inbox.victim.wait(timeout=120) == -signal.SIGKILL
    assert not (day / "sent.json").exists()  # died before the journal was folded
    assert len((day / ".sent.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    with (day / ".sent.jsonl").open("a", encoding="utf-8") as journal:
        journal.write('{"recipient": "reader5@exa')  # a line torn by the kill: not a delivery

    inbox.kill_after = 0
    rerun = send(day, path, inbox.address)
    assert rerun.exit_code == 0, rerun.output
    assert "already sent to 3" in rerun.stdout and "sent 3 of 6" in rerun.stdout
    delivered = [rcpts[0] for rcpts, _, _ in inbox.messages]
    assert sorted(delivered) == sorted(addresses)  # every one once, none twice
    assert recorded(day) == addresses
    assert not (day / ".sent.jsonl").exists()


def test_each_delivery_is_appended_to_the_journal_and_sent_json_written_once(server, day, tmp_path):
    inbox = server()
    path, addresses = many_recipients(tmp_path, 12)
    journal, seen = day / ".sent.jsonl", []

    def look(_line: str) -> None:  # called after each delivery is on disk
        seen.append((journal.stat().st_ino, journal.read_bytes(), (day / "sent.json").exists()))

    host, port = inbox.address.split(":")
    settings = SmtpSettings(host, int(port))
    report = send_briefing(day, path, parse_address(SENDER), settings, log=look)
    assert len(report.sent) == len(seen) == 12
    assert len({inode for inode, _, _ in seen}) == 1  # one file, never replaced
    for (_, before, _), (_, after, _) in zip(seen, seen[1:], strict=False):
        assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert not any(written for _, _, written in seen)  # sent.json: once, at the end
    assert recorded(day) == addresses
    assert not journal.exists()


def traces(outputs: Path, addresses: list[str]) -> list[str]:
    """`file: address` for every reader's address, or its unkeyed hash, in a file under
    outputs/ (what is served as static files), in any case."""
    import hashlib

    found = []
    for path in sorted(p for p in outputs.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace").lower()
        for address in addresses:
            unkeyed = hashlib.sha256(f"{DATE}\n{address}".encode()).hexdigest()[:24]
            if address.lower() in text or unkeyed in text:
                found.append(f"{path.relative_to(outputs)}: {address}")
    return found


def test_no_file_under_outputs_holds_a_recipients_address(server, day, tmp_path, no_backoff):
    inbox = server()
    path, addresses = many_recipients(tmp_path, 8)
    inbox.refuse.add(addresses[1])  # the refusal names the address: "550 <reader1@…>"
    inbox.kill_after = 4  # killed half-way: the journal is left in the day folder
    command = [sys.executable, "-m", "toolkit", "send", str(day), "--to", str(path)]
    command += ["--smtp", inbox.address, "--from", SENDER, "--quiet"]
    inbox.victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    assert inbox.victim.wait(timeout=120) == -signal.SIGKILL
    assert (day / ".sent.jsonl").exists()
    outputs = day.parent
    assert traces(outputs, addresses) == []

    inbox.kill_after = 0
    result = send(day, path, inbox.address)
    assert result.exit_code == 1, result.output  # the refused one, named on stderr only
    assert f"{addresses[1]}: refused by the server: 550 5.1.1 <{addresses[1]}>" in result.stderr
    assert "already sent to 4" in result.stdout
    assert sorted(rcpts[0] for rcpts, _, _ in inbox.messages) == sorted(
        set(addresses) - {addresses[1]}
    )
    assert traces(outputs, addresses) == []
    refusal = record(day)["deliveries"][1]
    assert refusal["status"] == "refused" and "<address>" in refusal["reply"]

    assert send(day, path, inbox.address, "--resend").exit_code == 1
    assert traces(outputs, addresses) == []


OLD_RECORD = {  # what an older toolkit wrote: addresses in the clear
    "date": DATE,
    "deliveries": [
        {
            "recipient": address,
            "message_id": f"<briefing.{DATE}.x{n}@example.org>",
            "time": "2026-11-24T06:00:00+00:00",
            "server": "127.0.0.1:25",
            "reply": "250 2.0.0 OK queued as 42" if n else f"550 5.1.1 <{address}>: no such user",
            "digest_sha256": "0" * 64,
            "status": "sent" if n else "refused",
            "attempts": 1,
        }
        for n, address in enumerate(ADDRESSES)
    ],
}


def test_an_older_record_with_addresses_is_hashed_and_still_sends_once(server, day, recipients):
    old, journal = dict(OLD_RECORD), dict(OLD_RECORD["deliveries"][1])
    old["deliveries"] = OLD_RECORD["deliveries"][:2]
    (day / "sent.json").write_text(json.dumps(old), encoding="utf-8")
    journal["recipient"] = ADDRESSES[2]  # a journal left by a send that died
    (day / ".sent.jsonl").write_text(json.dumps(journal) + "\n", encoding="utf-8")
    inbox = server()
    result = send(day, recipients, inbox.address)
    assert result.exit_code == 0, result.output
    assert "already sent to 2" in result.stdout  # bo and cy, in sent.json and the journal
    assert [rcpts for rcpts, _, _ in inbox.messages] == [["ana@example.org"]]  # was refused
    assert traces(day.parent, ADDRESSES) == []
    assert recorded(day) == ["ana@example.org", "bo@example.net", "cy@example.com"] + [
        "ana@example.org"
    ]
    assert record(day)["deliveries"][0]["reply"] == "550 5.1.1 <address>: no such user"
    assert not (day / ".sent.jsonl").exists()


def test_a_record_made_under_another_key_is_exit_2_unless_resend(
    server, day, recipients, tmp_path, send_key
):
    inbox = server()
    assert send(day, recipients, inbox.address).exit_code == 0
    other = {"TOOLKIT_SEND_KEY": str(tmp_path / "other.key")}
    result = send(day, recipients, inbox.address, env=other)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "another send key" in result.stderr and "--resend" in result.stderr
    assert len(inbox.messages) == 3  # nobody mailed twice
    forced = send(day, recipients, inbox.address, "--resend", env=other)
    assert forced.exit_code == 0 and len(inbox.messages) == 6
    again = send(day, recipients, inbox.address, env=other)  # now recorded under the new key
    assert again.exit_code == 0 and "already sent to 3" in again.stdout
    assert oct(send_key.stat().st_mode & 0o777) == "0o600"


def test_dry_run_and_the_key_stay_out_of_the_outputs_folder(day, recipients):
    outputs = day.parent
    inside = send(day, recipients, "127.0.0.1:1", "--dry-run", "-o", outputs / "eml")
    assert inside.exit_code == 2 and "inside the published folder" in inside.stderr
    assert not (outputs / "eml").exists()
    env = {"TOOLKIT_SEND_KEY": str(outputs / "send.key")}
    key = send(day, recipients, "127.0.0.1:1", env=env)
    assert key.exit_code == 2 and "send key lies in the published folder" in key.stderr
    assert not (outputs / "send.key").exists()


class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])


def dry_run_message(day: Path, recipients: Path, out: Path, env=None):
    result = send(day, recipients, f"127.0.0.1:{free_port()}", "--dry-run", "-o", out, env=env)
    assert result.exit_code == 0, result.output
    first = sorted(out.glob("*.eml"))[0]
    message = email.message_from_bytes(first.read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    return Links(html).links, html, message.get_body(("plain",)).get_content()


def test_with_a_public_url_every_link_of_the_email_is_absolute_and_opens(day, recipients, tmp_path):
    earlier = write_day(day.parent / "2026-11-20", [replace(make_article(3), story="story-1")])
    publish_digest(earlier)
    (day / "articles" / "story-1.json").write_text(
        (day / "articles" / "story-1.json").read_text(encoding="utf-8")[:-1]
        + ', "story": "story-1"}',
        encoding="utf-8",
    )
    publish_digest(day)  # story-1 now has an earlier version, linked as ../2026-11-20/…
    with serve_folder(day.parent) as root:
        env = {"TOOLKIT_PUBLIC_URL": root.rstrip("/")}
        links, _, text = dry_run_message(day, recipients, tmp_path / "eml", env)
        assert links and all(urlsplit(link).scheme in ("http", "https") for link in links)
        ours = [link for link in links if link.startswith(root)]
        pages = {link for link in ours if "/articles/" in link}
        assert pages == {
            f"{root}{DATE}/articles/story-1.html",
            f"{root}{DATE}/articles/story-2.html",
            f"{root}2026-11-20/articles/story-3.html",
        }
        assert f"{root}{DATE}/digest.html#article-1" in ours  # the overview's own anchors
        for link in ours:
            content_type, body = fetch(link)
            assert content_type.startswith("text/html"), link
            if link in pages:
                shown = re.sub(r"<[^>]+>", "", body.decode("utf-8"))  # UTF-8: the page says so
                assert ARABIC_HEADLINE in shown
        assert f"Page: {root}{DATE}/articles/story-1.html" in text
        assert "TOOLKIT_PUBLIC_URL" not in text


def test_without_a_public_url_the_email_has_no_link_that_cannot_open(day, recipients, tmp_path):
    links, html, text = dry_run_message(day, recipients, tmp_path / "eml")
    assert links  # the sources' own addresses
    assert all(urlsplit(link).scheme in ("http", "https") for link in links), links
    assert html.count("TOOLKIT_PUBLIC_URL") == 1 and text.count("TOOLKIT_PUBLIC_URL") == 1
    assert "Page:" not in text


def test_a_public_url_that_is_not_http_is_exit_2(day, recipients, tmp_path):
    result = send(
        day,
        recipients,
        "127.0.0.1:1",
        "--dry-run",
        "-o",
        tmp_path / "eml",
        env={"TOOLKIT_PUBLIC_URL": "outputs/"},
    )
    assert result.exit_code == 2 and "TOOLKIT_PUBLIC_URL" in result.stderr
