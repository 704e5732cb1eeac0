"""Every URL that comes from outside (sources.toml, feeds, sitemaps, pages, Location headers)
is parsed and checked here, and only here, before robots.txt is asked and before any request.

A URL is accepted when it is http(s), has a valid host (a DNS name, a dotted-quad IPv4 or a
bracketed IPv6 address) and a port from 1 to 65535, and carries no user name or password.
It is then made canonical: lower-case scheme and host (IDNA for non-ASCII names), no default
port, percent-encoded unreserved characters decoded and dot segments removed (RFC 3986
6.2.2 and 5.2.4, so `/a/../private/x` is checked by robots.txt and fetched as `/private/x`),
characters that may not stand in a path percent-encoded, no fragment, no utm_*/click ids.
Anything else is a BadURL: a one-line reason, never a traceback.
"""

import ipaddress
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

DROPPED_PARAMS = ("fbclid", "gclid", "mc_cid", "mc_eid")
DEFAULT_PORTS = {"http": 80, "https": 443}
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
PATH_SAFE = "/%!$&'()*+,;=:@-._~"
ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")  # a resolver would read it as IPv4


class BadURL(ValueError):
    """A URL that cannot be fetched; the message says what is wrong with it."""


def checked_url(link: str, base: str | None = None) -> str:
    """`link` (resolved against `base`, itself already checked) as a canonical http(s) URL."""
    if not isinstance(link, str) or not link.strip():
        raise BadURL("empty link")
    text = link.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise BadURL(f"{text!r}: control characters in a URL")
    try:
        absolute = urljoin(base, text) if base else text
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError as error:  # an unclosed [ ], a port that is not a number or too big
        raise BadURL(f"{text}: not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise BadURL(f"{text}: only http and https URLs are fetched")
    if parts.username is not None or parts.password is not None:
        raise BadURL(f"{text}: a user name or password in a URL is not accepted")
    host = _host(parts.hostname or "", parts.netloc, text)
    if port == 0:
        raise BadURL(f"{text}: port 0")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in DROPPED_PARAMS
    ]
    return urlunsplit((scheme, netloc, _path(parts.path), urlencode(query), ""))


def host_and_port(url: str) -> tuple[str, int]:
    """The host (IPv6 without brackets) and port of a checked URL."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]


def origin(url: str) -> str:
    """scheme://host[:port] of a checked URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: `.` and `..` segments resolved, never above /."""
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
            continue
        kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # /a/b/.. is the folder /a/
    result = "/".join(kept)
    return result if result.startswith("/") else "/" + result


def _path(path: str) -> str:
    def unescape(match: re.Match) -> str:
        char = chr(int(match[1], 16))
        return char if char in UNRESERVED else "%" + match[1].upper()

    path = STRAY_PERCENT.sub("%25", ESCAPE.sub(unescape, path or "/"))
    return quote(remove_dot_segments(path), safe=PATH_SAFE)


def _host(host: str, netloc: str, text: str) -> str:
    """The host as it is sent: lower-case, IDNA for a non-ASCII name, [brackets] for IPv6."""
    if not host:
        raise BadURL(f"{text}: no host")
    if "[" in netloc:
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            raise BadURL(f"{text}: not a valid IPv6 address {host!r}") from None
        if address.scope_id:
            raise BadURL(f"{text}: an IPv6 zone is not accepted")
        return f"[{address.compressed}]"
    name = host.removesuffix(".")
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise BadURL(f"{text}: not a valid host name ({error})") from None
    labels = name.split(".")
    if NUMERIC_LABEL.fullmatch(labels[-1]):
        try:
            return str(ipaddress.IPv4Address(name))
        except ValueError:
            raise BadURL(f"{text}: not a valid IPv4 address {host!r}") from None
    if len(name) > 253 or not all(LABEL.fullmatch(label) for label in labels):
        raise BadURL(f"{text}: not a valid host name {host!r}")
    return name
