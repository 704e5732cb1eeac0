"""One SMTP session for the day's messages: TLS, AUTH, one transaction per recipient, retries.

A server that cannot be reached (or refuses TLS or the login) is a configuration error
(exit 2, one line). A 5xx reply refuses that recipient only. A 4xx reply, or a connection
lost in the middle, is retried after RETRY_DELAYS (bounded), on a fresh connection if need be.

Time limits (seconds, from the environment when the send starts):
- TIMEOUT_S: the longest wait for the server's next bytes.
- TOOLKIT_SEND_MESSAGE_TIMEOUT (default 300): one message, every attempt and the waits
  between them included (the waits alone are 155 s); a wait that would end past it is not
  waited.
- TOOLKIT_SEND_DEADLINE (default 1800): the whole send. 1,000 recipients take under a
  minute on a local relay and some minutes on a remote one; past half an hour the relay is
  not taking mail and the next night's send should not find this one still holding the day.
Past either, no socket call waits any longer, whatever the server does (a server that
trickles a byte at a time included): the send stops, and the rest is sent on the next run.
"""

import math
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.settings import default, setting

RETRY_DELAYS = (5.0, 30.0, 120.0)  # seconds before the 2nd, 3rd and 4th attempt
TIMEOUT_S = 60.0
QUIT_TIMEOUT_S = 10.0  # a polite QUIT is not worth more
DEADLINE_ENV, MESSAGE_TIMEOUT_ENV = "TOOLKIT_SEND_DEADLINE", "TOOLKIT_SEND_MESSAGE_TIMEOUT"
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


@dataclass(frozen=True)
class SendLimits:
    deadline: float = default(DEADLINE_ENV)  # the whole send
    message: float = default(MESSAGE_TIMEOUT_ENV)  # one message, retries and their waits included

    @classmethod
    def from_env(cls) -> "SendLimits":
        return cls(setting(DEADLINE_ENV), setting(MESSAGE_TIMEOUT_ENV))


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


class TimedOut(ServerError):
    """The send, or one message, outlived its time limit: nothing more is sent this run."""


class Clock:
    """When the socket call in progress must be over (time.monotonic()), and why."""

    def __init__(self) -> None:
        self.until, self.why = math.inf, ""

    def left(self) -> float:
        return self.until - time.monotonic()


class _Bounded:
    """Socket calls that never wait past `clock.until`: each call waits at most what is left,
    so a reply trickled a byte at a time cannot stretch past it either."""

    clock: Clock

    def _limit(self) -> None:
        left = self.clock.left()
        if left <= 0:
            raise TimeoutError(self.clock.why)
        self.settimeout(min(left, TIMEOUT_S))

    def recv(self, *args, **kwargs):
        self._limit()
        return super().recv(*args, **kwargs)

    def recv_into(self, *args, **kwargs):
        self._limit()
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self._limit()
        return super().sendall(*args, **kwargs)


class _BoundedSocket(_Bounded, socket.socket):
    pass


class _BoundedSSLSocket(_Bounded, ssl.SSLSocket):
    pass


class _SMTP(smtplib.SMTP):
    """smtplib's client on bounded sockets (a TLS handshake is one call: its timeout, set
    from the clock at connect time, bounds all of it)."""

    def __init__(self, clock: Clock, *args, **kwargs):
        self.clock = clock
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        if not isinstance(sock, ssl.SSLSocket):
            sock = _BoundedSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())
        sock.clock = self.clock
        return sock

    def starttls(self, *args, **kwargs):
        reply = super().starttls(*args, **kwargs)
        self.sock.clock = self.clock
        return reply


class _SMTPSSL(_SMTP, smtplib.SMTP_SSL):
    pass


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

    def __init__(
        self,
        settings: SmtpSettings,
        limits: SendLimits = SendLimits(),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings, self.limits, self.sleep = settings, limits, sleep
        self.smtp: smtplib.SMTP | None = None
        self.end = time.monotonic() + limits.deadline
        self.clock = Clock()
        self.late: TimedOut | None = None  # the first connection was too slow

    def __enter__(self) -> "Mailer":
        """Connected: an unreachable server is a ServerError here; a slow one is the first
        message's TimedOut, like any later one's."""
        self._start_message()
        try:
            self.connect()
        except TimedOut as error:
            self.late = error
        return self

    def _start_message(self) -> None:
        """Set the clock for one message: its own time, or what is left of the send's."""
        message_end = time.monotonic() + self.limits.message
        if self.end <= message_end:
            self.clock.until = self.end
            self.clock.why = f"past {DEADLINE_ENV} ({self.limits.deadline:g} s)"
        else:
            self.clock.until = message_end
            self.clock.why = (
                f"one message took over {MESSAGE_TIMEOUT_ENV} ({self.limits.message:g} s)"
            )

    def _timed_out(self) -> TimedOut:
        return TimedOut(f"SMTP server {self.settings.server}: {self.clock.why}")

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        s = self.settings
        context = None
        if s.security is not Security.none:
            context = ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None)
            context.sslsocket_class = _BoundedSSLSocket
        if self.clock.left() <= 0:
            raise self._timed_out()
        timeout = min(TIMEOUT_S, self.clock.left())  # the TCP connect and a TLS handshake
        smtp = None
        try:
            if s.security is Security.ssl:
                smtp = _SMTPSSL(self.clock, s.host, s.port, timeout=timeout, context=context)
            else:
                smtp = _SMTP(self.clock, s.host, s.port, timeout=timeout)
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
            if self.clock.left() <= 0:
                raise self._timed_out() from None
            raise ServerError(f"cannot reach SMTP server {s.server}: {_reason(error)}") from None
        self.smtp = smtp

    def close(self) -> None:
        until = self.clock.until
        self.clock.until = min(until, time.monotonic() + QUIT_TIMEOUT_S)
        _quit(self.smtp)
        self.smtp = None
        self.clock.until = until

    def send(self, sender: str, recipient: str, data: bytes) -> Accepted:
        """Deliver one message to one recipient; raises Refusal (final), ServerError or
        TimedOut (past the send's deadline or the message's own time)."""
        if self.late:
            raise self.late
        self._start_message()
        if self.clock.left() <= 0:
            raise self._timed_out()
        for attempt, delay in enumerate((*RETRY_DELAYS, None), 1):
            try:
                if self.smtp is None:
                    self.connect()
                return Accepted(self._transaction(sender, recipient, data), attempt)
            except Refusal as refusal:
                if not refusal.temporary or not self._can_wait(delay):
                    raise
            except (OSError, smtplib.SMTPServerDisconnected) as error:
                timed_out = self.clock.left() <= 0
                self.close()  # lost in the middle: a fresh connection next time
                if timed_out:
                    raise self._timed_out() from None
                if not self._can_wait(delay):
                    raise ServerError(
                        f"lost SMTP server {self.settings.server}: {_reason(error)}"
                    ) from None
            self.sleep(delay)
        raise AssertionError("unreachable")

    def _can_wait(self, delay: float | None) -> bool:
        """Another attempt after `delay`: only if there is one, and it can start in time."""
        return delay is not None and delay < self.clock.left()

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
