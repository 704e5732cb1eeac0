"""How much work a call does, counted rather than timed: the lines of toolkit code it runs.

Timings belong in `toolkit bench`; a test that must tell linear from quadratic growth
counts executed lines instead, which is the same on every machine and under any load.
"""

import sys
from collections.abc import Callable
from pathlib import Path

TOOLKIT = str(Path(__file__).resolve().parents[1] / "toolkit")


def toolkit_lines(call: Callable[[], object]) -> int:
    """Lines of toolkit/ code executed by `call()` (generator expressions included)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def enter(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(TOOLKIT) else None

    previous = sys.gettrace()
    sys.settrace(enter)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def growth(work: Callable[[int], object], small: int, factor: int = 4) -> float:
    """How many times more lines `work(small * factor)` runs than `work(small)`."""
    return toolkit_lines(lambda: work(small * factor)) / toolkit_lines(lambda: work(small))
