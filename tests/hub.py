"""A Hugging Face hub on 127.0.0.1 for tests: the part of its HTTP API huggingface_hub uses.

Read from huggingface_hub 2.x (hf_api.py model_info / list_repo_tree, file_download.py
hf_hub_download / get_hf_file_metadata / http_get, utils/_http.py hf_raise_for_status):

    GET  /api/models/{repo}[/revision/{rev}][?blobs=true]   model info: sha, siblings
    GET  /api/models/{repo}/tree/{rev}[?recursive=..]       tree listing (snapshot_download)
    HEAD /{repo}/resolve/{rev}/{file}                       X-Repo-Commit, ETag, X-Linked-Etag,
                                                            X-Linked-Size, Content-Length
    GET  /{repo}/resolve/{rev}/{file}                       bytes; `Range: bytes=N-` → 206

Errors carry X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound), which is how
huggingface_hub tells them apart. No X-Xet-Hash header and no `xet-auth` link are ever sent,
so the client downloads over plain HTTP. LFS files are served directly (the real hub
redirects them to a CDN; the HEAD then carries the same X-Linked-* headers).

Faults, for the failure tests: `status` answers every request with that HTTP status;
`faults[name]` is "corrupt" (same length, different bytes), "drop" (close the connection at
the middle of the file, every time, resumed requests included), "drop-once" (only the first
time), "stall" (send the first half, then nothing until the hub stops);
`faults["api"] = "stall"` stalls model info before any header. `blobs = False` makes model
info ignore `?blobs=true` (a thin mirror).
"""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LFS_SUFFIXES = (".bin", ".safetensors", ".h5", ".ot", ".msgpack")
# The tc-big repos also keep their SentencePiece models and zips in LFS (their .gitattributes)
TC_BIG_LFS = (*LFS_SUFFIXES, ".spm", ".zip")


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[
            str, dict
        ] = {}  # repo → {"branches": {name: sha}, "commits": {sha: files}, "lfs": suffixes}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request, in order
        self.status: int | None = None
        self.faults: dict[str, str] = {}
        self.blobs = True
        self._dropped: set[str] = set()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- content ---------------------------------------------------------------------------
    def add_commit(
        self,
        repo: str,
        files: dict[str, bytes],
        branch: str | None = "main",
        lfs: tuple[str, ...] = LFS_SUFFIXES,
    ) -> str:
        """`lfs`: the name endings the repo stores in Git LFS (served with their sha256)."""
        digest = hashlib.sha1(repo.encode())
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        sha = digest.hexdigest()
        entry = self.repos.setdefault(repo, {"branches": {}, "commits": {}, "lfs": lfs})
        entry["commits"][sha] = dict(files)
        if branch:
            entry["branches"][branch] = sha
        return sha

    def downloads(self) -> list[str]:
        """File names fetched with GET /{repo}/resolve/…, in order."""
        return [
            path.split("/resolve/", 1)[1].split("/", 1)[1]
            for method, path in self.requests
            if method == "GET" and "/resolve/" in path
        ]

    # -- server ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeHub":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # stalled answers end now
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> "FakeHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- answers ---------------------------------------------------------------------------
    def is_lfs(self, repo: str, name: str) -> bool:
        return name.endswith(self.repos[repo]["lfs"])

    def resolve(self, repo: str, revision: str) -> tuple[str | None, dict | None, str | None]:
        """(commit, files, error code) for a repo and a branch name or commit sha."""
        entry = self.repos.get(repo)
        if entry is None:
            return None, None, "RepoNotFound"
        sha = entry["branches"].get(revision, revision)
        if sha not in entry["commits"]:
            return None, None, "RevisionNotFound"
        return sha, entry["commits"][sha], None


def _handler(hub: FakeHub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: no idle threads left

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            self.route(body=False)

        def do_GET(self) -> None:  # noqa: N802
            self.route(body=True)

        # ----------------------------------------------------------------------------------
        def route(self, body: bool) -> None:
            split = urlsplit(self.path)
            path = unquote(split.path)
            query = parse_qs(split.query)
            with hub._lock:
                hub.requests.append((self.command, path))
            if hub.status is not None:
                return self.error(hub.status, None, "Internal Error", body)
            parts = [unquote(part) for part in split.path.strip("/").split("/")]
            if parts[:2] == ["api", "models"] and len(parts) >= 4:
                return self.api(parts[2:], query, body)
            if len(parts) >= 5 and parts[2] == "resolve":
                repo, revision, name = "/".join(parts[:2]), parts[3], "/".join(parts[4:])
                return self.resolve_file(repo, revision, name, body)
            self.error(404, None, "Not Found", body)

        def api(self, parts: list[str], query: dict, body: bool) -> None:
            repo, rest = "/".join(parts[:2]), parts[2:]
            if hub.faults.get("api") == "stall":
                hub._release.wait(30)
                return
            if not rest:
                revision = "main"
            elif rest[0] in ("revision", "tree") and len(rest) >= 2:
                revision = "/".join(rest[1:])
            else:
                return self.error(404, None, "Not Found", body)
            sha, files, code = hub.resolve(repo, revision)
            if code:
                return self.error(404, code, f"{code} {repo}@{revision}", body)
            if rest and rest[0] == "tree":
                listing = [
                    self.tree_entry(name, data, hub.is_lfs(repo, name))
                    for name, data in sorted(files.items())
                ]
                return self.json(listing, body)
            blobs = hub.blobs and query.get("blobs", [""])[0].lower() in ("true", "1")
            siblings = [
                self.sibling(name, data, hub.is_lfs(repo, name)) if blobs else {"rfilename": name}
                for name, data in sorted(files.items())
            ]
            info = {
                "_id": hashlib.md5(repo.encode()).hexdigest()[:24],
                "id": repo,
                "modelId": repo,
                "author": repo.split("/")[0],
                "sha": sha,
                "lastModified": "2023-08-16T12:00:00.000Z",
                "private": False,
                "disabled": False,
                "gated": False,
                "library_name": "transformers",
                "pipeline_tag": "translation",
                "tags": ["transformers", "pytorch", "marian", "text2text-generation", "ar", "en"],
                "siblings": siblings,
            }
            self.json(info, body)

        @staticmethod
        def sibling(name: str, data: bytes, lfs: bool) -> dict:
            entry = {"rfilename": name, "size": len(data), "blobId": git_blob_id(data)}
            if lfs:
                entry["lfs"] = {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": 134,
                }
                entry["blobId"] = git_blob_id(b"lfs pointer of " + name.encode())
            return entry

        @staticmethod
        def tree_entry(name: str, data: bytes, lfs: bool) -> dict:
            entry = {"type": "file", "oid": git_blob_id(data), "size": len(data), "path": name}
            if lfs:
                sha = hashlib.sha256(data).hexdigest()
                entry["lfs"] = {"oid": sha, "size": len(data), "pointerSize": 134}
            return entry

        def resolve_file(self, repo: str, revision: str, name: str, body: bool) -> None:
            sha, files, code = hub.resolve(repo, revision)
            if code:
                return self.error(404, code, f"{code} {repo}@{revision}", body)
            if name not in files:
                return self.error(404, "EntryNotFound", f"{name} not in {repo}", body, sha)
            data = files[name]
            headers = {"X-Repo-Commit": sha, "Accept-Ranges": "bytes"}
            if hub.is_lfs(repo, name):
                sha256 = hashlib.sha256(data).hexdigest()
                headers |= {
                    "ETag": f'"{sha256}"',
                    "X-Linked-Etag": f'"{sha256}"',
                    "X-Linked-Size": str(len(data)),
                }
            else:
                headers["ETag"] = f'"{git_blob_id(data)}"'
            fault = hub.faults.get(name) if body else None
            if fault == "corrupt":
                data = bytes(byte ^ 0xFF for byte in data[:64]) + data[64:]
            start = self.range_start(len(data))
            status = 206 if start else 200
            if start:
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            payload = data[start:]
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not body:
                return
            once = fault == "drop-once" and name not in hub._dropped
            if fault in ("drop", "stall") or once:
                hub._dropped.add(name)
                self.wfile.write(data[start : max(start, len(data) // 2)])  # up to the middle
                self.wfile.flush()
                if fault == "stall":
                    hub._release.wait(30)
                self.close_connection = True
                return
            self.wfile.write(payload)

        def range_start(self, size: int) -> int:
            value = self.headers.get("Range", "")
            if value.startswith("bytes=") and value.endswith("-"):
                start = int(value[len("bytes=") : -1] or 0)
                return start if 0 < start < size else 0
            return 0

        def json(self, value, body: bool) -> None:
            data = json.dumps(value).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def error(
            self, status: int, code: str | None, message: str, body: bool, sha: str | None = None
        ) -> None:
            data = json.dumps({"error": message}).encode()
            self.send_response(status)
            if code:
                self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
            if sha:
                self.send_header("X-Repo-Commit", sha)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler


# Helsinki-NLP/opus-mt-tc-big-ar-en at main, as the hub lists it (docs/choosing-a-model.md)
TC_BIG_REPO = "Helsinki-NLP/opus-mt-tc-big-ar-en"
TC_BIG_FILES = (
    ".gitattributes",
    "README.md",
    "benchmark_results.txt",
    "benchmark_translations.zip",
    "config.json",
    "generation_config.json",
    "pytorch_model.bin",
    "source.spm",
    "special_tokens_map.json",
    "target.spm",
    "tf_model.h5",
    "tokenizer_config.json",
    "vocab.json",
)
# what `model fetch` downloads of them: what the converter reads
TC_BIG_NEEDED = sorted(
    set(TC_BIG_FILES)
    - {".gitattributes", "README.md", "benchmark_results.txt", "benchmark_translations.zip"}
    - {"tf_model.h5"}
)


def tc_big_test_shape():
    """tc-big's quirks at test size: relu, 1,024 positions, </s> in the middle of the
    vocabulary, <pad> last; the dimensions of the tiny shape."""
    from dataclasses import replace

    from toolkit.model.synth import SHAPES

    tiny = SHAPES["tiny"]
    return replace(
        SHAPES["opus-mt-tc-big-ar-en"],
        layers=tiny.layers,
        d_model=tiny.d_model,
        heads=tiny.heads,
        ffn=tiny.ffn,
        pieces_per_side=tiny.pieces_per_side,
        vocab_size=None,
        eos_id=300,
    )


def tc_big_layout(checkpoint: dict[str, bytes]) -> dict[str, bytes]:
    """The files of Helsinki-NLP/opus-mt-tc-big-ar-en around a checkpoint from `build_checkpoint`
    (of reduced dimensions in the tests): config.json with the published keys and ids
    (Transformers 4.22 wrote the generation settings into it too), fp16 weights in
    pytorch_model.bin (its tensors are HalfStorage), tokenizer_config.json and
    special_tokens_map.json as published, and the files a fetch never needs."""
    import io

    import torch
    from safetensors.torch import load

    built = json.loads(checkpoint["config.json"])
    vocab = json.loads(checkpoint["vocab.json"])
    eos, pad = vocab["</s>"], vocab["<pad>"]
    config = {
        "_name_or_path": "/tmp/Helsinki-NLP/opus-mt-tc-big-ar-en",
        "activation_dropout": 0.0,
        "activation_function": built["activation_function"],
        "architectures": ["MarianMTModel"],
        "attention_dropout": 0.0,
        "bad_words_ids": [[pad]],
        "bos_token_id": 0,
        "classifier_dropout": 0.0,
        "d_model": built["d_model"],
        "decoder_attention_heads": built["decoder_attention_heads"],
        "decoder_ffn_dim": built["decoder_ffn_dim"],
        "decoder_layerdrop": 0.0,
        "decoder_layers": built["decoder_layers"],
        "decoder_start_token_id": pad,
        "decoder_vocab_size": len(vocab),
        "dropout": 0.1,
        "encoder_attention_heads": built["encoder_attention_heads"],
        "encoder_ffn_dim": built["encoder_ffn_dim"],
        "encoder_layerdrop": 0.0,
        "encoder_layers": built["encoder_layers"],
        "eos_token_id": eos,
        "forced_eos_token_id": eos,
        "init_std": 0.02,
        "is_encoder_decoder": True,
        "max_length": 512,
        "max_position_embeddings": built["max_position_embeddings"],
        "model_type": "marian",
        "normalize_embedding": False,
        "num_beams": 4,
        "num_hidden_layers": built["encoder_layers"],
        "pad_token_id": pad,
        "scale_embedding": True,
        "share_encoder_decoder_embeddings": True,
        "static_position_embeddings": True,
        "torch_dtype": "float16",
        "transformers_version": "4.22.0.dev0",
        "use_cache": True,
        "vocab_size": len(vocab),
    }
    generation = {
        "bad_words_ids": [[pad]],
        "bos_token_id": 0,
        "decoder_start_token_id": pad,
        "eos_token_id": eos,
        "forced_eos_token_id": eos,
        "max_length": 512,
        "num_beams": 4,
        "pad_token_id": pad,
        "renormalize_logits": True,
        "transformers_version": "4.34.0.dev0",
    }
    tokenizer = {
        "source_lang": "ar",
        "target_lang": "en",
        "unk_token": "<unk>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "model_max_length": 512,
        "sp_model_kwargs": {},
        "separate_vocabs": False,
        "special_tokens_map_file": None,
        "name_or_path": "marian-models/opusTCv20210807+bt_transformer-big_2022-03-09/ar-en",
        "tokenizer_class": "MarianTokenizer",
    }
    weights = io.BytesIO()
    state = load(checkpoint["model.safetensors"])
    torch.save({name: tensor.half() for name, tensor in state.items()}, weights)
    files = {
        ".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n"
        b"*.spm filter=lfs diff=lfs merge=lfs -text\n",
        "README.md": b"---\nlanguage: [ar, en]\nlicense: cc-by-4.0\n---\n# opus-mt-tc-big-ar-en\n",
        "benchmark_results.txt": b"ara-eng\tflores101-devtest\t0.66\t42.6\t1012\t24721\n",
        "benchmark_translations.zip": b"PK\x05\x06" + bytes(18),
        "config.json": json.dumps(config, indent=2).encode(),
        "generation_config.json": json.dumps(generation, indent=2).encode(),
        "pytorch_model.bin": weights.getvalue(),
        "source.spm": checkpoint["source.spm"],
        "special_tokens_map.json": json.dumps(
            {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
        ).encode(),
        "target.spm": checkpoint["target.spm"],
        "tf_model.h5": b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 64,
        "tokenizer_config.json": json.dumps(tokenizer).encode(),
        "vocab.json": checkpoint["vocab.json"],
    }
    assert tuple(sorted(files)) == TC_BIG_FILES
    return files
