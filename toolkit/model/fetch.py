"""Download a Marian model from the Hugging Face hub and convert it: the only networked code.

What `huggingface_hub` asks of the hub at `HF_ENDPOINT` (read from its 2.x source; the
tests in tests/hub.py serve exactly this on 127.0.0.1):

    GET  /api/models/{repo}[/revision/{rev}]?blobs=True   model_info: commit sha, files,
                                                          sizes, git blob ids, LFS sha256
    HEAD /{repo}/resolve/{commit}/{file}                  X-Repo-Commit, ETag or
                                                          X-Linked-Etag (the LFS sha256),
                                                          X-Linked-Size / Content-Length
    GET  /{repo}/resolve/{commit}/{file}                  the bytes (`Range: bytes=N-` to
                                                          resume after a broken read)

Only the files the converter needs are fetched, and one weights file: model.safetensors when
the hub offers it, else pytorch_model.bin. huggingface_hub checks sizes but not content, so
every file is checked here against the hub's sha256 (LFS files) or git blob id (the rest).

Time limits (seconds, from the environment at call time):
- HF_HUB_ETAG_TIMEOUT (default 15): to connect.
- HF_HUB_DOWNLOAD_TIMEOUT (default 30): the longest wait for the next bytes of any answer.
  huggingface_hub itself sends metadata and file-list requests with no timeout at all, and
  resumes a broken or stalled file download up to 5 times (1 s apart), retries a failed HEAD
  up to 6 more times (23 s of back-off): a hub that stops answering is given up after about
  7 x HF_HUB_DOWNLOAD_TIMEOUT + 25 s (under 4 minutes at the defaults).
- TOOLKIT_FETCH_DEADLINE (default 1800): the whole download, whatever happens (a hub that
  trickles a byte at a time included); no request starts or reads past it.
"""

import functools
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError, ToolkitError
from toolkit.fsutil import sha256_file
from toolkit.model.convert import convert_checkpoint
from toolkit.model.store import DEFAULT_MODEL_DIR, DEFAULT_REPO, ModelInfo
from toolkit.state.settings import setting

DEFAULT_ENDPOINT = "https://huggingface.co"
WEIGHTS = ("model.safetensors", "pytorch_model.bin")  # the first one the hub offers is fetched
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
# special_tokens_map.json: the tc-big repos publish it (MarianTokenizer reads it when present)
OPTIONAL_FILES = ("generation_config.json", "special_tokens_map.json", "tokenizer_config.json")

CONNECT_TIMEOUT_ENV = "HF_HUB_ETAG_TIMEOUT"
READ_TIMEOUT_ENV = "HF_HUB_DOWNLOAD_TIMEOUT"
DEADLINE_ENV = "TOOLKIT_FETCH_DEADLINE"

OFFLINE_HINT = (
    "offline, copy a converted model and point at it (MODEL=DIR with make, --model DIR with "
    "toolkit), or run `make demo` for a synthetic one"
)
SHA256 = re.compile(r"[0-9a-f]{64}")
GIT_OID = re.compile(r"[0-9a-f]{40}")


class FetchDeadlineExceeded(Exception):
    """The download outlived TOOLKIT_FETCH_DEADLINE (an exception the hub client does not retry)."""


@dataclass(frozen=True)
class Limits:
    connect: float
    read: float
    deadline: float

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(
            connect=setting(CONNECT_TIMEOUT_ENV),
            read=setting(READ_TIMEOUT_ENV),
            deadline=setting(DEADLINE_ENV),
        )


def fetch_model(
    repo: str = DEFAULT_REPO,
    output: Path = DEFAULT_MODEL_DIR,
    *,
    revision: str | None = None,
    quantization: str = "int8",
) -> ModelInfo:
    """Download `repo` at `revision` (default branch if None) and convert it into `output`.

    Every failure is one ConfigError line; the download folder (beside `output`) is removed
    whatever happens, and `output` is replaced only by a complete, verified, converted model.
    """
    limits = Limits.from_env()
    endpoint = (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    try:
        import huggingface_hub  # noqa: F401
    except ImportError as error:
        raise ConfigError("model fetch needs the conversion extra: run `make setup`") from error

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output, limits.deadline)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.fetch-", dir=output.parent))
    try:
        checkpoint = staging / "checkpoint"
        commit = _download(repo, revision, endpoint, checkpoint, limits)
        try:
            return convert_checkpoint(
                checkpoint, output, quantization=quantization, source=repo, revision=commit
            )
        except ToolkitError:
            raise
        except Exception as error:
            raise ConfigError(
                f"downloaded {repo} at {commit[:12]} from {endpoint} but cannot convert it "
                f"({type(error).__name__}: {_first_line(error)}); is it a Marian checkpoint?"
            ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_staging(output: Path, deadline: float) -> None:
    """Download folders left by a killed fetch: older than the deadline, no fetch owns them."""
    for folder in output.parent.glob(f".{output.name}.fetch-*"):
        if time.time() - folder.stat().st_mtime > deadline:
            shutil.rmtree(folder, ignore_errors=True)


def _download(repo: str, revision: str | None, endpoint: str, target: Path, limits: Limits) -> str:
    """Fetch the checkpoint files into `target`; returns the commit they come from."""
    from huggingface_hub import HfApi, hf_hub_download

    current = None  # the file being fetched, for the error message
    try:
        with _guarded_hub_client(limits), _quiet_hub():
            info = HfApi(endpoint=endpoint).model_info(repo, revision=revision, files_metadata=True)
            commit = info.sha
            if not commit:
                raise ConfigError(
                    f"{endpoint} gave no commit for {repo}: is HF_ENDPOINT a Hugging Face hub?"
                )
            files = {sibling.rfilename: sibling for sibling in info.siblings or []}
            for name in _choose_files(files, repo, commit):
                current = name
                path = hf_hub_download(
                    repo, name, revision=commit, local_dir=target, endpoint=endpoint
                )
                _verify(Path(path), files[name], repo, commit, endpoint)
            return commit
    except ToolkitError:
        raise
    except Exception as error:  # every hub/network failure becomes one line
        raise ConfigError(_explain(error, repo, revision, endpoint, current, limits)) from error


def _choose_files(files: dict, repo: str, commit: str) -> list[str]:
    weights = next((name for name in WEIGHTS if name in files), None)
    missing = [name for name in REQUIRED_FILES if name not in files]
    if weights is None or missing:
        missing += [] if weights else [" or ".join(WEIGHTS)]
        raise ConfigError(
            f"{repo} at {commit[:12]} is not a Marian checkpoint this toolkit can convert "
            f"(missing {', '.join(missing)}): check --repo and --revision"
        )
    return [*REQUIRED_FILES, *(name for name in OPTIONAL_FILES if name in files), weights]


def _verify(path: Path, sibling, repo: str, commit: str, endpoint: str) -> None:
    """Compare a downloaded file with the hub's LFS sha256, else its git blob id.

    Both come with model info (`?blobs=true`); a mirror that leaves them out is asked for
    the file's ETag instead (X-Linked-Etag: the LFS sha256; else ETag: the git blob id).
    """
    name = sibling.rfilename
    lfs = getattr(sibling, "lfs", None)
    expected = getattr(lfs, "sha256", None) if lfs is not None else None
    if not expected and name not in WEIGHTS:
        expected = getattr(sibling, "blob_id", None)
    if not expected:
        expected = _etag(repo, name, commit, endpoint)
    if expected and SHA256.fullmatch(expected):
        kind, actual = "sha256", sha256_file(path)
    elif expected and GIT_OID.fullmatch(expected) and name not in WEIGHTS:
        kind, actual = "git blob id", _git_blob_id(path)
    elif name in WEIGHTS:
        raise ConfigError(
            f"{endpoint} gives no sha256 for {name} of {repo}: cannot verify the download; use "
            "a hub or mirror that serves LFS metadata (HF_ENDPOINT)"
        )
    else:
        return  # a small file the mirror gives no checksum for; the converter reads it
    if actual != expected:
        raise ConfigError(
            f"{name} of {repo} at {commit[:12]} from {endpoint} does not match the hub's {kind} "
            f"({actual[:12]}… instead of {expected[:12]}…), nothing was installed: run `make "
            "model` again; if it persists, check the mirror or proxy (HF_ENDPOINT, HTTPS_PROXY)"
        )


def _etag(repo: str, name: str, commit: str, endpoint: str) -> str | None:
    """The file's ETag as its HEAD advertises it (X-Linked-Etag first, as huggingface_hub does)."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    metadata = get_hf_file_metadata(hf_hub_url(repo, name, revision=commit, endpoint=endpoint))
    return (metadata.etag or "").lower() or None


def _git_blob_id(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class _Guard:
    """Request/response hooks: our time limits on every request, whatever the caller passed."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.deadline

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchDeadlineExceeded(
                f"download still unfinished after {self.limits.deadline:g} s"
            )
        return left

    def on_request(self, request) -> None:
        left = self.left()
        read = min(self.limits.read, left)
        timeout = {"connect": min(self.limits.connect, left), "read": read}
        request.extensions = {
            **request.extensions,
            "timeout": {**timeout, "write": read, "pool": read},
        }

    def on_response(self, response) -> None:
        response.stream = _deadline_stream_class()(response.stream, self)


@functools.cache
def _deadline_stream_class():
    import httpx2

    class DeadlineStream(httpx2.SyncByteStream):
        """A response body that stops at the deadline, even if bytes keep trickling in."""

        def __init__(self, stream, guard: _Guard):
            self._stream, self._guard = stream, guard

        def __iter__(self):
            for chunk in self._stream:
                self._guard.left()
                yield chunk

        def close(self) -> None:
            self._stream.close()

    return DeadlineStream


@contextmanager
def _guarded_hub_client(limits: Limits) -> Iterator[None]:
    """huggingface_hub's own client (proxies from the environment, offline mode) + our limits."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils._http import default_client_factory

    guard = _Guard(limits)

    def guarded_client():
        client = default_client_factory()
        hooks = client.event_hooks
        client.event_hooks = {
            "request": [*hooks.get("request", []), guard.on_request],
            "response": [*hooks.get("response", []), guard.on_response],
        }
        return client

    set_client_factory(guarded_client)
    try:
        yield
    finally:
        set_client_factory(default_client_factory)


@contextmanager
def _quiet_hub() -> Iterator[None]:
    """The CLI reports one line: no hub retry warnings, and progress bars only on a terminal."""
    from huggingface_hub.utils import (
        are_progress_bars_disabled,
        disable_progress_bars,
        enable_progress_bars,
    )
    from huggingface_hub.utils import logging as hub_logging

    verbosity = hub_logging.get_verbosity()
    hub_logging.set_verbosity_error()
    hide_bars = not sys.stderr.isatty() and not are_progress_bars_disabled()
    if hide_bars:
        disable_progress_bars()
    try:
        yield
    finally:
        hub_logging.set_verbosity(verbosity)
        if hide_bars:
            enable_progress_bars()


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:160] if text else type(error).__name__


def _explain(
    error: Exception,
    repo: str,
    revision: str | None,
    endpoint: str,
    current: str | None,
    limits: Limits,
) -> str:
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    what = f"cannot fetch {repo}" + (f" ({current})" if current else "") + f" from {endpoint}"
    retry = "retry `make model` later"
    for cause in _causes(error):
        if isinstance(cause, FetchDeadlineExceeded):
            return (
                f"{what}: gave up after {limits.deadline:g} s ({DEADLINE_ENV}): the hub is too "
                f"slow or stalled; {retry}, or raise {DEADLINE_ENV}"
            )
        if isinstance(cause, httpx2.TimeoutException):
            return (
                f"{what}: no answer for {limits.read:g} s ({READ_TIMEOUT_ENV}, connect "
                f"{limits.connect:g} s {CONNECT_TIMEOUT_ENV}): check the network or proxy "
                f"(HTTPS_PROXY); {retry}"
            )
        if isinstance(cause, OfflineModeIsEnabled):
            return f"{what}: HF_HUB_OFFLINE is set; unset it to download, or {OFFLINE_HINT}"
        if isinstance(cause, RevisionNotFoundError):
            return f"{what}: no revision {revision!r} in that repository: check --revision"
        if isinstance(cause, GatedRepoError):
            return f"{what}: the repository is gated: accept its terms on the hub and set HF_TOKEN"
        if isinstance(cause, RepositoryNotFoundError):
            return (
                f"{what}: no such repository (HTTP 404): check --repo, and HF_TOKEN if it is "
                "private, and HF_ENDPOINT for a mirror"
            )
        if isinstance(cause, RemoteEntryNotFoundError):
            return f"{what}: the hub lists the file but does not serve it (HTTP 404); {retry}"
        if isinstance(cause, HfHubHTTPError) and cause.response is not None:
            return (
                f"{what}: the hub answered HTTP {cause.response.status_code}; {retry}, or "
                f"{OFFLINE_HINT}"
            )
        if isinstance(cause, httpx2.TransportError):
            return (
                f"{what}: network error ({type(cause).__name__}: {_first_line(cause)}): check the "
                f"network, HTTPS_PROXY/NO_PROXY and HF_ENDPOINT; {retry}, or {OFFLINE_HINT}"
            )
    return f"{what} ({type(error).__name__}: {_first_line(error)}); {retry}, or {OFFLINE_HINT}"
