"""Measuring in a fresh process, so that its peak RSS is its own: the bench's legs and eval's
models each run this way."""

import os
import subprocess
import sys
from pathlib import Path


def run_in_process(module: str, spec: Path) -> subprocess.CompletedProcess:
    """`python -m module SPEC` in a fresh process (its own peak RSS): the bench's legs and
    eval's models; the result is the last line of its stdout."""
    return subprocess.run(
        [sys.executable, "-m", module, str(spec)],
        capture_output=True,
        text=True,
        env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
    )


def peak_rss_mb() -> float:
    """VmHWM: this process image's peak RSS (ru_maxrss would include the parent's, as it
    survives execve on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
