"""Where collect may connect: the destination policy against server-side request forgery.

A feed, a page or a redirect can point anywhere, and whatever is fetched may end up in the
inbox and so in the published digest. So every hop's host is resolved here, once, and each
of its addresses checked: a public (global) address is fine; a loopback, private,
link-local, multicast, reserved or otherwise non-public one is refused, except

- at the source's own configured host and port (sources.toml names 127.0.0.1:8080, or an
  intranet name: that host and port, and no other, may be fetched whatever it resolves to);
- with `allow_private = true` on the source: private-network addresses (10/8, 172.16/12,
  192.168/16, 100.64/10, fc00::/7) anywhere, for an intranet outlet. Loopback, link-local
  (cloud metadata at 169.254.169.254), multicast and reserved stay refused.

Resolving once and connecting to what was checked: the connection pool's network backend
(CheckedBackend) connects only to the addresses of the latest check of that host and port,
and never asks DNS itself, so a name that answers a public address to the check and a
private one to the connect (DNS rebinding) cannot slip between the two. A host that was not
checked is never connected to. Through a proxy (HTTPS_PROXY) the proxy resolves the name
again; the check still runs first, on our own resolution.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from toolkit.collect.urls import host_and_port

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: private in practice


class Refused(Exception):
    """A destination the policy refuses (lasting), or a host that does not resolve (not)."""

    def __init__(self, message: str, lasting: bool = True):
        super().__init__(message)
        self.lasting = lasting


@dataclass(frozen=True)
class Destinations:
    """One source's policy: its own configured host:port pairs, and the intranet opt-in."""

    own: frozenset[tuple[str, int]]
    allow_private: bool = False

    @classmethod
    def of(cls, urls: Iterable[str], allow_private: bool = False) -> "Destinations":
        return cls(frozenset(host_and_port(url) for url in urls), allow_private)

    def refusal(self, host: str, port: int, address: Address) -> str | None:
        """Why `address` (of host:port) may not be fetched, or None when it may."""
        if (host, port) in self.own:
            return None
        kind = address_kind(address)
        if kind == "public" or (kind == "private" and self.allow_private):
            return None
        hint = (
            "; allow_private = true on the source allows an intranet" if kind == "private" else ""
        )
        return f"{kind} address {address}, not the source's own host:port{hint}"


def address_kind(address: Address) -> str:
    """public | private | loopback | link-local | multicast | unspecified | reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_reserved:
        return "reserved"
    if address.version == 4 and address in SHARED_SPACE:
        return "private"
    if address.is_private:
        return "private" if _private_network(address) else "reserved"
    return "public" if address.is_global else "reserved"


def _private_network(address: Address) -> bool:
    networks = (
        ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16") if address.version == 4 else ("fc00::/7",)
    )
    return any(address in ipaddress.ip_network(network) for network in networks)


def resolve(host: str, port: int) -> list[str]:
    """Every address of host (an IP literal is itself, without asking DNS)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"{host}: cannot resolve ({error})", lasting=False) from None
    return list(dict.fromkeys(answer[4][0] for answer in answers))


class Checker:
    """Checks each hop against a source's policy and remembers the addresses it allowed,
    which CheckedBackend alone connects to."""

    def __init__(self, resolver: Resolver = resolve):
        self.resolver = resolver
        self.allowed: dict[tuple[str, int], list[str]] = {}

    def check(self, url: str, policy: Destinations) -> None:
        host, port = host_and_port(url)
        addresses = self.resolver(host, port)
        if not addresses:
            raise Refused(f"{host}: no address", lasting=False)
        for text in addresses:
            refusal = policy.refusal(host, port, ipaddress.ip_address(text.split("%")[0]))
            if refusal:
                self.allowed.pop((host, port), None)
                where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
                raise Refused(f"{where} refused: {refusal}")
        self.allowed[(host, port)] = addresses


def checked_backend(checker: Checker):
    """An httpcore2 network backend that connects only to the addresses `checker` allowed."""
    import httpcore2

    class CheckedBackend(httpcore2.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            addresses = checker.allowed.get((host.strip("[]").lower(), port))
            if not addresses:
                raise httpcore2.ConnectError(f"{host}:{port} was not checked: not connected")
            error = None
            for address in addresses:
                try:
                    return super().connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                except httpcore2.ConnectError as failed:
                    error = failed
            raise error

    return CheckedBackend()
