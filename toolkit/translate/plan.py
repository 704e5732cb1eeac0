"""The batch plan: what the decoder is asked to do, independent of who does it.

The driver cuts sentences into model segments, then packs the segments into batches; each
`Batch` is one call to CTranslate2 with everything the call needs (source tokens, beam,
n-best, decoding limits, suppressed sequences). Any executor — the local engine, local
Dask processes, a remote cluster — runs the same batches, so the same plan gives the same
translations wherever it runs.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.translate.options import DecodingOptions

Tokens = tuple[str, ...]

# Segments planned together: batches are length-sorted within a window, and a window is
# planned only once the one before it has been handed over, so the first files of a large
# night are written early while batches still fill up (≈ 100 batches of 512 tokens).
PLAN_WINDOW_SEGMENTS = 1024


@dataclass(frozen=True)
class SegmentInput:
    """One model input: source tokens (end marker included) and what it must not produce."""

    tokens: Tokens
    suppress: tuple[Tokens, ...] = ()
    # bench only: decode exactly this many target tokens (random weights have no natural end)
    forced_length: int | None = None


@dataclass(frozen=True)
class Batch:
    """One decoder call. `members` are the indices of its segments in the planned list."""

    index: int
    members: tuple[int, ...]
    sources: tuple[Tokens, ...]
    beam_size: int
    num_hypotheses: int
    max_decoding_length: int
    min_decoding_length: int = 0
    suppress: tuple[Tokens, ...] = ()
    use_vmap: bool = False  # restrict the output to the model folder's vmap.txt

    @property
    def source_tokens(self) -> int:
        return sum(map(len, self.sources))


@dataclass
class BatchResult:
    """The decoder's raw n-best output for one batch, in the batch's order."""

    index: int
    hypotheses: list[list[list[str]]]  # per source: n-best token lists, best first
    scores: list[list[float]]  # mean log-probability per target token, same shape
    worker: str = "local"  # who decoded it (the manifest counts batches per worker)


def plan_batches(
    segments: list[SegmentInput], options: DecodingOptions, batch_tokens: int
) -> Iterator[Batch]:
    """Pack segments into batches of at most `batch_tokens` source tokens (padding counted).

    Segments share a batch only if they forbid the same sequences and, when forced, have the
    same length; within that they are sorted by length, so a batch's decoding limit (from
    its longest segment) fits all its members and padding stays small.
    """
    index = 0
    for start in range(0, len(segments), PLAN_WINDOW_SEGMENTS):
        window = range(start, min(start + PLAN_WINDOW_SEGMENTS, len(segments)))
        order = sorted(window, key=lambda i: _group(segments[i]) + (len(segments[i].tokens), i))
        members: list[int] = []
        for i in order:
            if members and (
                _group(segments[i]) != _group(segments[members[-1]])
                or (len(members) + 1) * len(segments[i].tokens) > batch_tokens
            ):
                yield _batch(index, members, segments, options)
                index += 1
                members = []
            members.append(i)
        if members:
            yield _batch(index, members, segments, options)
            index += 1


def _group(segment: SegmentInput) -> tuple:
    return (segment.suppress, segment.forced_length or 0)


def _batch(
    index: int, members: list[int], segments: list[SegmentInput], options: DecodingOptions
) -> Batch:
    first = segments[members[0]]
    longest = max(len(segments[i].tokens) for i in members)
    limit = first.forced_length or options.decoding_limit(longest)
    return Batch(
        index=index,
        members=tuple(members),
        sources=tuple(segments[i].tokens for i in members),
        beam_size=options.beam_size,
        num_hypotheses=options.num_hypotheses,
        max_decoding_length=limit,
        min_decoding_length=first.forced_length or 0,
        suppress=first.suppress,
        use_vmap=options.vmap is not None,
    )
