"""A polite, bounded HTTP client: robots.txt, per-host delay, User-Agent, hard limits, and
the destination policy (toolkit.collect.destinations) on every hop.

Every answer is streamed and counted: bytes on the wire against max_bytes, bytes after
gzip/deflate (decompressed here, in 64 KB steps) against max_decoded_bytes, and the whole
answer against page_seconds. Redirects are followed here, at most max_redirects; each hop's
Location is checked (toolkit.collect.urls), then its destination, then robots.txt, and only
then is it requested. 429 and 503 are retried after their Retry-After when it is within
retry_after_cap, at most `retries` times.
"""

import email.utils
import time
import zlib
from dataclasses import dataclass, field

from toolkit.collect.destinations import Checker, Destinations, Refused, checked_backend
from toolkit.collect.limits import CollectLimits, env_name
from toolkit.collect.urls import BadURL, checked_url, origin

STEP = 1 << 16


class FetchError(Exception):
    """A URL could not be fetched. `kind`: failed | too-big | robots | refused; `lasting`: not
    worth trying again on a later run (404, too big, a redirect loop, a refused address)."""

    def __init__(self, message: str, kind: str = "failed", lasting: bool = False):
        super().__init__(message)
        self.kind, self.lasting = kind, lasting


@dataclass
class Answer:
    url: str  # checked and canonical, after redirects
    status: int  # 200, or 304 for a conditional GET
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


class PoliteClient:
    """Fetches checked URLs (toolkit.collect.urls) for one source at a time: each call names
    the source's Destinations."""

    def __init__(self, user_agent: str, limits: CollectLimits, sleep=time.sleep, checker=None):
        import httpx2

        self.user_agent, self.limits, self.sleep = user_agent, limits, sleep
        self.requests = 0
        self.checker = checker or Checker()
        self._last: dict[str, float] = {}  # host → when its last request was sent
        self._robots: dict[str, object] = {}  # host → Protego, or None (allow all)
        self._client = httpx2.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=True,
        )
        _connect_only_checked(self._client, checked_backend(self.checker))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- robots.txt ---------------------------------------------------------------------------
    def allowed(self, url: str, delay: float, policy: Destinations) -> bool:
        rules = self._rules(url, delay, policy)
        return rules is None or rules.can_fetch(url, self.user_agent)

    def _rules(self, url: str, delay: float, policy: Destinations):
        """The host's robots.txt, read once per run (RFC 9309): missing (4xx) allows all;
        unreachable (5xx, no answer) fails every page of the host this run. Only asked
        once the host passed the destination check, so a refusal is never remembered here."""
        host = origin(url)
        if host not in self._robots:
            from protego import Protego

            try:
                answer = self._get(host + "/robots.txt", delay, {}, policy, robots=False)
                if answer.status >= 500:
                    raise FetchError(f"{host}/robots.txt: HTTP {answer.status}")
                rules = None if answer.status >= 400 else Protego.parse(_text(answer.body))
            except FetchError as error:
                rules = FetchError(f"robots.txt unreachable, the host is left alone: {error}")
            self._robots[host] = rules
        if isinstance(self._robots[host], FetchError):
            raise self._robots[host]
        return self._robots[host]

    def host_delay(self, url: str, delay: float | None, policy: Destinations) -> float:
        """The source's delay (or the default), or a longer robots.txt Crawl-delay (capped)."""
        chosen = self.limits.delay if delay is None else delay
        self._check(url, policy)
        rules = self._rules(url, chosen, policy)
        crawl = rules.crawl_delay(self.user_agent) if rules is not None else None
        return max(chosen, min(float(crawl or 0), self.limits.max_delay))

    # -- fetching -----------------------------------------------------------------------------
    def get(
        self,
        url: str,
        delay: float,
        policy: Destinations,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """GET a checked URL with redirects, each hop's destination and robots.txt checked
        before it is asked; FetchError for anything but 200/304."""
        return self._get(url, delay, headers or {}, policy, robots=True)

    def _check(self, url: str, policy: Destinations) -> None:
        try:
            self.checker.check(url, policy)
        except Refused as error:
            kind = "refused" if error.lasting else "failed"  # a name that did not resolve
            raise FetchError(f"{url}: {error}", kind, lasting=error.lasting) from None

    def _get(
        self, url: str, delay: float, headers: dict[str, str], policy: Destinations, robots: bool
    ) -> Answer:
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            try:
                self._check(current, policy)
            except FetchError as error:
                if current == url:
                    raise
                raise FetchError(
                    f"{url}: redirected to {error}", error.kind, error.lasting
                ) from None
            if robots and not self.allowed(current, delay, policy):
                raise FetchError(f"{current}: disallowed by robots.txt", "robots", lasting=True)
            status, answer_headers, body = self._retrying(current, delay, headers)
            if status in (301, 302, 303, 307, 308) and "location" in answer_headers:
                try:
                    current = checked_url(answer_headers["location"], current)
                except BadURL as error:
                    message = f"{current}: redirect to a bad URL: {error}"
                    raise FetchError(message, lasting=True) from None
                continue
            if status in (200, 304) or not robots:
                return Answer(current, status, body, answer_headers)
            lasting = status in (404, 410) or (400 <= status < 500 and status not in (408, 429))
            raise FetchError(f"{current}: HTTP {status}", lasting=lasting)
        raise FetchError(
            f"{url}: more than {self.limits.max_redirects} redirects ({env_name('max_redirects')})",
            lasting=True,
        )

    def _retrying(self, url: str, delay: float, headers: dict[str, str]):
        for attempt in range(self.limits.retries + 1):
            status, answer_headers, body = self._once(url, delay, headers)
            if status not in (429, 503):
                return status, answer_headers, body
            wait = retry_after(answer_headers.get("retry-after"), default=5.0 * (attempt + 1))
            if wait > self.limits.retry_after_cap:
                raise FetchError(
                    f"{url}: HTTP {status}, Retry-After {wait:g} s is over the "
                    f"{self.limits.retry_after_cap:g} s cap ({env_name('retry_after_cap')})"
                )
            if attempt < self.limits.retries:
                self.sleep(wait)
        raise FetchError(
            f"{url}: HTTP {status} after {self.limits.retries + 1} tries ({env_name('retries')})"
        )

    def _wait_turn(self, url: str, delay: float) -> None:
        host = origin(url)
        if host in self._last:
            left = self._last[host] + delay - time.monotonic()
            if left > 0:
                self.sleep(left)
        self._last[host] = time.monotonic()

    def _once(self, url: str, delay: float, headers: dict[str, str]):
        import httpx2

        limits = self.limits
        self._wait_turn(url, delay)
        self.requests += 1
        started = time.monotonic()
        timeout = httpx2.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.connect_timeout,
        )
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                answer_headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code != 200:
                    return response.status_code, answer_headers, b""
                body = self._read(url, response, answer_headers, started)
                return response.status_code, answer_headers, body
        except httpx2.TimeoutException as error:
            raise FetchError(
                f"{url}: no answer within the time limits (connect {limits.connect_timeout:g} s, "
                f"read {limits.read_timeout:g} s: {env_name('connect_timeout')}, "
                f"{env_name('read_timeout')}; {type(error).__name__})"
            ) from error
        except (httpx2.HTTPError, httpx2.InvalidURL, UnicodeError) as error:
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from error

    def _read(self, url: str, response, headers: dict[str, str], started: float) -> bytes:
        limits = self.limits
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise _too_big(url, int(declared), limits.max_bytes, "max_bytes")
        inflate = _inflater(url, headers.get("content-encoding", "identity"))
        raw = decoded = 0
        parts: list[bytes] = []
        for chunk in response.iter_raw():  # as the bytes arrive: the clock is checked each time
            raw += len(chunk)
            if raw > limits.max_bytes:
                raise _too_big(url, raw, limits.max_bytes, "max_bytes")
            for piece in inflate(chunk):
                decoded += len(piece)
                if decoded > limits.max_decoded_bytes:
                    raise _too_big(url, decoded, limits.max_decoded_bytes, "max_decoded_bytes")
                parts.append(piece)
            if time.monotonic() - started > limits.page_seconds:
                raise FetchError(
                    f"{url}: took more than {limits.page_seconds:g} s ({env_name('page_seconds')})"
                )
        return b"".join(parts)


def _connect_only_checked(client, backend) -> None:
    """Direct connections go through `backend` (toolkit.collect.destinations.CheckedBackend).
    httpx2 has no public hook for a network backend, and giving it a transport of our own
    would turn off the proxies of the environment; so its pool gets the backend. Pinned
    httpx2: a change of its inside fails here, loudly, never silently unchecked."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpx2's connection pool changed: the destination check needs it")
    pool._network_backend = backend


def _too_big(url: str, size: int, cap: int, setting: str) -> FetchError:
    return FetchError(
        f"{url}: too big (over {cap:,} bytes, {env_name(setting)}; {size:,} read)",
        "too-big",
        lasting=True,
    )


def _inflater(url: str, encoding: str):
    """chunk → decompressed pieces of at most STEP bytes each (a bomb never fills memory)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda chunk: [chunk]
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}", lasting=True)
    # gzip, zlib-wrapped deflate (47 = detect the header); raw deflate is tried if that fails
    state = {"d": zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)}

    def inflate(chunk: bytes):
        data = chunk
        while data:
            try:
                piece = state["d"].decompress(data, STEP)
            except zlib.error as error:
                if encoding == "deflate" and not state.get("raw"):
                    state["d"], state["raw"] = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                raise FetchError(f"{url}: broken {encoding} data ({error})") from error
            yield piece
            data = state["d"].unconsumed_tail
            if not piece and not data:
                break

    return inflate


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait: Retry-After as seconds or an HTTP date; `default` when absent."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())
