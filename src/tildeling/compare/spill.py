"""A sorted sequence too long to hold: items kept in memory up to a limit, then written to
temporary files in sorted runs and merged back when read (an external merge sort).

The order is that of a stable sort of everything added: equal keys keep the order they were
added in (each run is sorted stably, and :func:`heapq.merge` takes equal keys from the earlier
run first). A sequence that never reaches the limit never touches the disk.

>>> s = SortedSpill(key=lambda x: x[0], run_size=2)
>>> for x in [(3, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")]:
...     s.add(x)
>>> list(s), len(s)
([(0, 'e'), (1, 'b'), (1, 'd'), (2, 'c'), (3, 'a')], 5)
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from typing import IO, Any, Callable, Generic, Iterator, TypeVar

T = TypeVar("T")
_BATCH = 512  # items per pickle record in a run file: fewer, larger writes and reads


class SortedSpill(Generic[T]):
    """Add items in any order; iterate them sorted by ``key`` (as often as wanted)."""

    def __init__(self, key: Callable[[T], Any], run_size: int = 20_000) -> None:
        self._key = key
        self._run_size = max(1, run_size)
        self._buffer: list[T] = []
        self._runs: list[IO[bytes]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def runs(self) -> int:
        """How many sorted runs are on disk (0 while everything fits in memory)."""
        return len(self._runs)

    @property
    def held(self) -> int:
        """How many items are in memory now (at most ``run_size``)."""
        return len(self._buffer)

    def add(self, item: T) -> None:
        self._buffer.append(item)
        self._count += 1
        if len(self._buffer) >= self._run_size:
            self._spill()

    def _spill(self) -> None:
        self._buffer.sort(key=self._key)
        f = tempfile.TemporaryFile(prefix="tildeling-diff-")  # removed by the OS when closed
        for i in range(0, len(self._buffer), _BATCH):
            pickle.dump(self._buffer[i:i + _BATCH], f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        self._runs.append(f)
        self._buffer = []

    def __iter__(self) -> Iterator[T]:
        self._buffer.sort(key=self._key)  # stable: a later sort keeps the order
        if not self._runs:
            return iter(list(self._buffer))
        return heapq.merge(*(self._read(f) for f in self._runs), iter(list(self._buffer)), key=self._key)

    @staticmethod
    def _read(f: IO[bytes]) -> Iterator[T]:
        f.seek(0)
        while True:
            try:
                batch = pickle.load(f)  # our own file, written above: never data from elsewhere
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        for f in self._runs:
            f.close()
        self._runs = []
        self._buffer = []


class FirstN(Generic[T]):
    """The first ``limit`` items in ``key`` order of everything added (``None``: all), held in
    bounded memory (at most twice the limit), and how many were left out. Stable: among equal
    keys the one added first comes first.

    >>> f = FirstN(key=lambda x: x, limit=2)
    >>> for x in [5, 1, 4, 2]:
    ...     f.add(x)
    >>> f.items, f.omitted
    ([1, 2], 2)
    """

    def __init__(self, key: Callable[[T], Any], limit: int | None) -> None:
        self._key = key
        self.limit = limit
        self._items: list[T] = []
        self._sorted = True
        self.count = 0

    def __len__(self) -> int:
        """How many items are held now (at most twice the limit; :attr:`items` trims them)."""
        return len(self._items)

    def add(self, item: T) -> None:
        self.count += 1
        if self.limit == 0:
            return
        self._items.append(item)
        self._sorted = False
        if self.limit is not None and len(self._items) >= 2 * self.limit:
            self._trim()

    def _trim(self) -> None:
        self._items.sort(key=self._key)
        if self.limit is not None:
            del self._items[self.limit:]
        self._sorted = True

    @property
    def items(self) -> list[T]:
        if not self._sorted:
            self._trim()
        return self._items

    @property
    def omitted(self) -> int:
        return self.count - len(self.items)


__all__ = ["SortedSpill", "FirstN"]
