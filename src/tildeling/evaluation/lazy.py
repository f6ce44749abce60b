"""A dict whose values are made when first asked for: the compiled services of a rule set
read from the cache are compiled only for the services a case needs (issue 9, cold start).

It is a real ``dict`` (``isinstance`` and type hints hold). Looking one key up (``d[k]``,
``d.get(k)``) makes only that value; ``k in d`` and ``len(d)`` make nothing; anything that
goes through every value (iterating items or values, comparing, copying, printing) makes
the rest first, and the order is always that of the keys given.

>>> made = []
>>> d = LazyDict(["a", "b"], lambda k: made.append(k) or k.upper())
>>> "b" in d, len(d), made
(True, 2, [])
>>> d["b"], d.get("c"), made
('B', None, ['b'])
>>> list(d.items()), made
([('a', 'A'), ('b', 'B')], ['b', 'a'])
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

_NOTHING = object()


class LazyDict(dict):
    __slots__ = ("_order", "_pending", "_make", "_complete")

    def __init__(self, keys: Iterable[Any], make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._order = tuple(keys)
        self._pending = set(self._order)
        self._make = make
        self._complete = not self._order  # every value made, in order: a plain dict from then on

    def _one(self, key: Any) -> Any:
        value = self._make(key)
        dict.__setitem__(self, key, value)
        self._pending.discard(key)
        return value

    def _all(self) -> None:
        """Make every value still missing; then put the keys back in their order."""
        if self._complete:
            return
        for key in self._order:
            if key in self._pending:
                self._one(key)
        values = [(k, dict.__getitem__(self, k)) for k in self._order]
        dict.clear(self)
        dict.update(self, values)
        self._complete = True

    def __missing__(self, key: Any) -> Any:
        if key in self._pending:
            return self._one(key)
        raise KeyError(key)

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _NOTHING)
        if value is not _NOTHING:
            return value
        return self._one(key) if key in self._pending else default

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._pending

    def __len__(self) -> int:
        return dict.__len__(self) if self._complete else len(self._order)

    def __iter__(self):
        return dict.__iter__(self) if self._complete else iter(self._order)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._all()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self._all()
        return dict.__repr__(self)

    def copy(self) -> dict:
        self._all()
        return dict(dict.items(self))

    def __reduce__(self):
        self._all()
        return (dict, (dict(dict.items(self)),))

    def __or__(self, other: Any) -> dict:
        return self.copy() | other

    def __setitem__(self, key: Any, value: Any) -> None:
        self._all()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._all()
        dict.__delitem__(self, key)

    def pop(self, *args: Any) -> Any:
        self._all()
        return dict.pop(self, *args)

    def popitem(self) -> Any:
        self._all()
        return dict.popitem(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._all()
        return dict.setdefault(self, key, default)

    def update(self, *args: Any, **kw: Any) -> None:
        self._all()
        dict.update(self, *args, **kw)

    def clear(self) -> None:
        self._all()
        dict.clear(self)
