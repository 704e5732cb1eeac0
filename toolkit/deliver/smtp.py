"""One SMTP session for the day's messages: TLS, AUTH, one transaction per recipient, retries.

A server that cannot be reached (or refuses TLS or the login) is a configuration error
(exit 2, one line). A 5xx reply refuses that recipient only. A 4xx reply, or a connection
lost in the middle, is retried after RETRY_DELAYS (bounded), on a fresh connection if need be.
"""

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from toolkit.errors import ConfigError

RETRY_DELAYS = (5.0, 30.0, 120.0)  # seconds before the 2nd, 3rd and 4th attempt
TIMEOUT_S = 60.0
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class Security(StrEnum):
    none = "none"
    starttls = "starttls"
    ssl = "ssl"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security = Security.none
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # from the environment only
    cafile: Path | None = None  # trust this CA (PEM) instead of the system's

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def parse_server(text: str, security: Security) -> tuple[str, int]:
    """`host:port`, `host` (the usual port for the security), `[v6::addr]:port`."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or (host.count(":") and not host.startswith("[")):
        host, port = text.strip(), ""
    host = host.strip("[]")
    if not host or (port and not port.isdigit()) or (port and not 0 < int(port) < 65536):
        raise ConfigError(f"--smtp {text!r}: use HOST:PORT, for example localhost:25")
    return host, int(port) if port else DEFAULT_PORTS[security.value]


class ServerError(ConfigError):
    """The server cannot be reached, or refuses TLS or the login: exit 2."""


@dataclass
class Refusal(Exception):
    """The server refused one message: `code` and its reply."""

    code: int
    reply: str

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500

    def __str__(self) -> str:
        return f"{self.code} {self.reply}"


@dataclass(frozen=True)
class Accepted:
    reply: str  # the server's reply to the end of DATA, e.g. "250 OK queued as 1234"
    attempts: int


class Mailer:
    """`with Mailer(settings) as mailer: mailer.send(sender, recipient, data)`."""

    def __init__(self, settings: SmtpSettings, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.sleep = sleep
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        s = self.settings
        context = None
        if s.security is not Security.none:
            context = ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None)
        smtp = None
        try:
            if s.security is Security.ssl:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_S, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
            smtp.ehlo_or_helo_if_needed()
            if s.security is Security.starttls:
                if not smtp.has_extn("starttls"):
                    raise ServerError(f"SMTP server {s.server} does not offer STARTTLS")
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except ServerError:
            _quit(smtp)
            raise
        except smtplib.SMTPAuthenticationError as error:
            _quit(smtp)
            raise ServerError(
                f"SMTP server {s.server} refused the login of {s.user!r}: "
                f"{error.smtp_code} {_text(error.smtp_error)} (password: $TOOLKIT_SMTP_PASSWORD)"
            ) from None
        except ssl.SSLCertVerificationError as error:
            _quit(smtp)
            raise ServerError(
                f"SMTP server {s.server}: TLS certificate not trusted ({error.verify_message}); "
                "point --cafile or $TOOLKIT_SMTP_CAFILE at the CA that signed it"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            _quit(smtp)
            raise ServerError(f"cannot reach SMTP server {s.server}: {_reason(error)}") from None
        self.smtp = smtp

    def close(self) -> None:
        _quit(self.smtp)
        self.smtp = None

    def send(self, sender: str, recipient: str, data: bytes) -> Accepted:
        """Deliver one message to one recipient; raises Refusal (final) or ServerError."""
        for attempt, delay in enumerate((*RETRY_DELAYS, None), 1):
            try:
                if self.smtp is None:
                    self.connect()
                return Accepted(self._transaction(sender, recipient, data), attempt)
            except Refusal as refusal:
                if not refusal.temporary or delay is None:
                    raise
            except (OSError, smtplib.SMTPServerDisconnected) as error:
                self.close()  # lost in the middle: a fresh connection next time
                if delay is None:
                    raise ServerError(
                        f"lost SMTP server {self.settings.server}: {_reason(error)}"
                    ) from None
            self.sleep(delay)
        raise AssertionError("unreachable")

    def _transaction(self, sender: str, recipient: str, data: bytes) -> str:
        smtp = self.smtp
        code, reply = smtp.mail(sender)
        if code != 250:
            raise self._refused(code, reply)
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise self._refused(code, reply)
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as error:  # DATA itself was refused
            raise self._refused(error.smtp_code, error.smtp_error) from None
        if code != 250:
            raise self._refused(code, reply)
        return f"{code} {_text(reply)}"

    def _refused(self, code: int, reply: bytes | str) -> Refusal:
        if code == 421:  # the server is closing the connection
            self.close()
        else:
            try:
                self.smtp.rset()
            except (OSError, smtplib.SMTPException):
                self.close()
        return Refusal(code, _text(reply))


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
