"""Run a function over chunks of a long input on worker processes, results in input order.

``ordered_map(setup, args, work, chunks, workers=N)`` starts N processes; each calls
``setup(*args)`` once (build its own engine, compile the rule sets) and then ``work(chunk)`` for
the chunks it is given. The results come back in the order of the chunks, whatever process
finished first, so whatever consumes them sees the same sequence for any N. At most a few
chunks per worker are in flight: the input is read as the workers need it, not up front.

``workers=1`` runs everything in this process, with no pool (so does an input of one chunk). A worker that dies (killed, out
of memory) does not lose its chunks: they are run again here, in this process.

>>> list(ordered_map(_demo_setup, (10,), _demo_work, iter([[1, 2], [3]]), workers=1))
[[11, 12], [13]]
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

C = TypeVar("C")
R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 4


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How worker processes start here: ``fork`` where the platform has it (they inherit what
    the parent has loaded and compiled), else ``spawn``."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def ordered_map(setup: Callable[..., None], args: Sequence[Any], work: Callable[[C], R], chunks: Iterable[C], *,
                workers: int = 1) -> Iterator[R]:
    """``work(chunk)`` for every chunk, in order, on ``workers`` processes (see the module)."""
    it = iter(chunks)
    first = list(itertools.islice(it, 2))
    it = itertools.chain(first, it)
    if workers <= 1 or len(first) < 2:  # one chunk: starting processes would only cost time
        setup(*args)
        for chunk in it:
            yield work(chunk)
        return
    # fork where there is one: the workers start at once with the modules already imported
    # (Python 3.11 forks them all at the first submit, before the pool starts its own thread).
    ctx = multiprocessing.get_context(start_method())
    local_ready = False
    pending: deque[tuple[C, Future]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=setup, initargs=tuple(args)) as pool:
        broken = False
        window = workers * IN_FLIGHT_PER_WORKER

        def submit(chunk: C) -> None:
            nonlocal broken
            fut: Future = Future()
            if not broken:
                try:
                    fut = pool.submit(work, chunk)
                except RuntimeError:  # the pool broke (BrokenProcessPool is a RuntimeError)
                    broken = True
            pending.append((chunk, fut))

        for chunk in it:
            submit(chunk)
            if len(pending) >= window:
                break
        while pending:
            chunk, fut = pending.popleft()
            try:
                if broken and not fut.done():
                    raise RuntimeError("pool broken")
                result = fut.result()
            except Exception:  # noqa: BLE001 - a worker died: this chunk is run here instead
                broken = True
                if not local_ready:
                    setup(*args)
                    local_ready = True
                result = work(chunk)
            yield result
            nxt = next(it, _END)
            if nxt is not _END:
                submit(nxt)  # type: ignore[arg-type]


_END = object()


def _demo_setup(n: int) -> None:
    global _DEMO
    _DEMO = n


_DEMO = 0


def _demo_work(chunk: list[int]) -> list[int]:
    return [x + _DEMO for x in chunk]


__all__ = ["ordered_map", "default_workers", "start_method"]
