"""Columns of a population: one numpy array of values per fact, plus which rows know it.

A :class:`Col` is a column under three-valued logic: ``values`` (an array, or a 0-d array
for a constant) and ``known`` (a boolean array, or None when every row knows the value).
Where a row does not know a value, its entry in ``values`` is filler and never read as a
value. ``exact`` says whether the unknown rows are exactly those the per-case evaluator
finds unknown (see :mod:`tildeling.evaluation.columnar.vector`): a column computed
conservatively may leave a row unknown that the per-case evaluator decides, never the
reverse.

Kinds (one letter, from the static :class:`~tildeling.language.types.Kind`):

==== ========================================== ==========================
kind values                                     from
==== ========================================== ==========================
b    bool                                       ``janei``
n    float64 (integers up to 2**53 exactly)     ``tall``, ``heltall``, ``iplos``
t    int64 codes of an :class:`Interner`         ``valg``, ``tekst``
d    int64 proleptic ordinals (date.toordinal)  ``dato``
o    object (tuples, histories)                 ``liste``, ``historikk``
==== ========================================== ==========================

:class:`Population` holds the cases as rows: fact environments (``walker.environment``:
the case's runtime facts plus the parameters in force) and the services each applies for.
It builds a fact's column the first time it is read (:meth:`Population.column`) and keeps
it. A value that does not fit its column (a number beyond 2**53, a value of the wrong
type) makes its row ``unfit``: that row is decided by the per-case evaluator.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Sequence

from tildeling.language.logic import UNKNOWN
from tildeling.language.partial import RESTRICTED
from tildeling.language.types import Kind

#: Integers of at most this size are exact in float64 (and so is their arithmetic).
EXACT_INT = 2 ** 53

KIND_LETTER = {Kind.BOOL: "b", Kind.NUMBER: "n", Kind.IPLOS: "n", Kind.TEXT: "t", Kind.DATE: "d",
               Kind.LIST: "o"}


def _np():
    import numpy as np
    return np


class Interner:
    """Text values ↔ small integer codes, shared by every text column of a population (so
    two text columns compare by code)."""

    __slots__ = ("codes", "texts")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.texts: list[str] = []

    def code(self, text: str) -> int:
        c = self.codes.get(text)
        if c is None:
            c = self.codes[text] = len(self.texts)
            self.texts.append(text)
        return c

    def text(self, code: int) -> str:
        return self.texts[code]


class Col:
    """A column: ``values``, ``known`` (None: all known), ``kind`` and ``exact``."""

    __slots__ = ("kind", "values", "known", "exact")

    def __init__(self, kind: str, values: Any, known: Any = None, exact: bool = True):
        self.kind = kind
        self.values = values
        self.known = known
        self.exact = exact

    @property
    def constant(self) -> bool:
        return getattr(self.values, "ndim", 0) == 0 and (self.known is None or self.known.ndim == 0)

    def all_known(self) -> bool:
        return self.known is None or bool(self.known.all())

    @staticmethod
    def unknown(kind: str, exact: bool = False) -> "Col":
        """Every row unknown (``exact``: the per-case evaluator finds it unknown too)."""
        np = _np()
        return Col(kind, np.asarray(_FILLER.get(kind, 0)), np.asarray(False), exact)

    @staticmethod
    def of(kind: str, value: Any, interner: Interner) -> "Col":
        """A constant (a literal): every row knows it. A value that cannot be represented
        exactly is unknown, and marked inexact."""
        encoded = encode(kind, value, interner)
        if encoded is _UNFIT:
            return Col.unknown(kind)
        np = _np()
        if kind == "o":
            arr = np.empty((), dtype=object)
            arr[()] = encoded
            return Col(kind, arr)
        return Col(kind, np.asarray(encoded, dtype=_DTYPE[kind]))


_FILLER = {"b": False, "n": 0.0, "t": -1, "d": 0, "o": None}
_DTYPE = {"b": bool, "n": "float64", "t": "int64", "d": "int64", "o": object}
_UNFIT = object()


def encode(kind: str, value: Any, interner: Interner) -> Any:
    """A Python value as its column entry, or ``_UNFIT`` when it does not fit the kind."""
    if kind == "b":
        return value if value is True or value is False else _UNFIT
    if kind == "n":
        if isinstance(value, bool):
            return _UNFIT
        if isinstance(value, int):
            return float(value) if -EXACT_INT <= value <= EXACT_INT else _UNFIT
        if isinstance(value, float):
            return value
        return _UNFIT
    if kind == "t":
        return interner.code(value) if isinstance(value, str) else _UNFIT
    if kind == "d":
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value.toordinal()
        return _UNFIT
    return value  # "o": kept as it is (tuples, histories)


def decode(kind: str, value: Any, interner: Interner) -> Any:
    """A column entry as the Python value the per-case evaluator would see (numbers as
    float: equal to the int they came from)."""
    if kind == "b":
        return bool(value)
    if kind == "n":
        return float(value)
    if kind == "t":
        return interner.text(int(value))
    if kind == "d":
        return _dt.date.fromordinal(int(value))
    return value


def _fast_column(kind: str, raw: Sequence[Any], interner: Interner, known: Any) -> Col | None:
    """The column without a call per value when every value has the kind's plain type
    (None: use the general loop)."""
    np = _np()
    types = set(map(type, raw))
    types.discard(type(UNKNOWN))
    n = len(raw)
    mask = None if known.all() else known
    if kind == "b" and types <= {bool}:
        return Col("b", np.fromiter((v is True for v in raw), dtype=bool, count=n), mask)
    if kind == "n" and types <= {int, float}:
        values = np.array([0.0 if v is UNKNOWN else v for v in raw], dtype="float64")
        if types == {float} or not (np.abs(values) >= EXACT_INT).any():
            return Col("n", values, mask)
        return None
    if kind == "t" and types <= {str}:
        code = interner.code
        return Col("t", np.array([-1 if v is UNKNOWN else code(v) for v in raw], dtype="int64"), mask)
    return None


def column_from_values(kind: str, raw: Sequence[Any], interner: Interner) -> tuple[Col, Any]:
    """A column from per-row Python values (UNKNOWN where unknown); also the mask of rows
    whose value does not fit (None when every row fits)."""
    np = _np()
    n = len(raw)
    known = np.fromiter((v is not UNKNOWN for v in raw), dtype=bool, count=n)
    fast = _fast_column(kind, raw, interner, known) if n else None
    if fast is not None:
        return fast, None
    filler = _FILLER[kind]
    unfit = None
    out = []
    bad = []
    for i, v in enumerate(raw):
        if v is UNKNOWN:
            out.append(filler)
            continue
        e = encode(kind, v, interner)
        if e is _UNFIT:
            bad.append(i)
            out.append(filler)
            continue
        out.append(e)
    if kind == "o":
        values = np.empty(n, dtype=object)
        values[:] = out
    else:
        values = np.array(out, dtype=_DTYPE[kind]) if n else np.zeros(0, dtype=_DTYPE[kind])
    if bad:
        unfit = np.zeros(n, dtype=bool)
        unfit[bad] = True
        known[bad] = False
    return Col(kind, values, None if known.all() else known), unfit


class Population:
    """The cases as rows: ``envs`` (fact environments) and, per row, the services applied
    for (``services``: one tuple for every row, or a sequence of tuples, one per row).

    ``applications`` (optional, per row): the long form of ``applied_for``
    (:class:`~tildeling.rules.cases.AppliedFor` tuples) for a row that is not a plain
    application; such a row is decided by the per-case evaluator (parts, forms, amounts
    applied for). None for a plain row.
    """

    def __init__(self, envs: Sequence[dict], services: tuple[str, ...] | Sequence[tuple[str, ...]],
                 applications: Sequence[Any] | None = None):
        self._envs: list[dict] | None = list(envs)
        self._given: dict[str, Sequence[Any]] = {}  # from_columns: fact path → per-row values
        self._constants: dict[str, Any] = {}  # from_columns: the same value for every row (parameters)
        self.n = len(self._envs)
        if isinstance(services, tuple) and all(isinstance(s, str) for s in services):
            self.services: list[tuple[str, ...]] | tuple[str, ...] = services
        else:
            self.services = [tuple(s) for s in services]
            if len(self.services) != self.n:
                raise ValueError("one services tuple per row")
        self.applications = list(applications) if applications is not None else None
        self.interner = Interner()
        self._columns: dict[tuple[str, str], Col] = {}
        np = _np()
        self.unfit = np.zeros(self.n, dtype=bool)
        self._restricted = None
        self._applies: dict[str, Any] = {}
        self._applied: Col | None = None
        self.row_results: dict[tuple, Col] = {}  # row-by-row results over every row (vector.shared_by_row)
        self._members: dict[str, dict] = {}  # list fact → item → rows that list it

    @classmethod
    def from_columns(cls, columns: dict[str, Sequence[Any]], services: tuple[str, ...] | Sequence[tuple[str, ...]],
                     constants: dict[str, Any] | None = None) -> "Population":
        """A population read as columns (a corpus in JSON Lines or Parquet): per fact path the
        values of every row as the evaluator sees them (``runtime_facts``: lists as tuples,
        histories as :class:`~tildeling.language.history.History`), None where unknown;
        ``constants``: values every row shares (the parameters in force). The fact
        environment of a row is built only when the per-case evaluator needs it."""
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError("every column must have one value per row")
        n = lengths.pop() if lengths else (len(services) if not isinstance(services, tuple) else 0)
        pop = cls([{}] * n, services)
        pop._envs = None
        pop._given = dict(columns)
        pop._constants = dict(constants or {})
        return pop

    @property
    def envs(self) -> list[dict]:
        """Every row's fact environment (built from the columns on first use, if read so)."""
        if self._envs is None:
            self._envs = [self.env(i) for i in range(self.n)]
        return self._envs

    def env(self, row: int) -> dict:
        """One row's fact environment."""
        if self._envs is not None:
            return self._envs[row]
        env = {path: values[row] for path, values in self._given.items() if values[row] is not None}
        env.update(self._constants)
        return env

    def restricted(self) -> Any:
        """Per row: True when some fact is known only to be one of several values (``en_av``)."""
        if self._restricted is None:
            np = _np()
            if self._envs is None:
                given = self._given.get(RESTRICTED)
                values = given if given is not None else [None] * self.n
                self._restricted = np.fromiter((bool(v) for v in values), dtype=bool, count=self.n)
            else:
                self._restricted = np.fromiter((bool(env.get(RESTRICTED)) for env in self._envs), dtype=bool,
                                               count=self.n)
        return self._restricted

    def services_of(self, row: int) -> tuple[str, ...]:
        s = self.services
        return s if isinstance(s, tuple) else s[row]

    def service_rows(self) -> dict[str, Any]:
        """Per service applied for, the rows that apply for it (None: every row), in order of
        first appearance."""
        np = _np()
        if isinstance(self.services, tuple):
            return {s: None for s in self.services}
        index: dict[str, list[int]] = {}
        for i, services in enumerate(self.services):
            for s in services:
                rows = index.setdefault(s, [])
                if not rows or rows[-1] != i:
                    rows.append(i)
        return {s: None if len(rows) == self.n else np.array(rows, dtype=np.int64) for s, rows in index.items()}

    def applies_for(self, service: str) -> Any:
        """Per row: True when it applies for ``service`` (built once per service)."""
        found = self._applies.get(service)
        if found is None:
            np = _np()
            if isinstance(self.services, tuple):
                found = np.full(self.n, service in self.services, dtype=bool)
            else:
                found = np.fromiter((service in s for s in self.services), dtype=bool, count=self.n)
            self._applies[service] = found
        return found

    def applied_column(self) -> Col:
        """``søknad.tjenester``: per row the tuple of services applied for (always known)."""
        if self._applied is None:
            np = _np()
            if isinstance(self.services, tuple):
                values = np.empty((), dtype=object)
                values[()] = self.services
            else:
                values = np.empty(self.n, dtype=object)
                values[:] = self.services
            self._applied = Col("o", values)
        return self._applied

    def member(self, path: str, value: Any) -> Col:
        """``value i <path>`` for a list fact read as given: one pass over the column builds
        the rows of every item, then each value is a mask (built once)."""
        np = _np()
        found = self.row_results.get(("member", path, type(value).__name__, repr(value)))
        if found is not None:
            return found
        index = self._members.get(path)
        col = self.column(path, "o")
        if index is None:
            index = {}
            known = col.known.tolist() if col.known is not None else None
            for i, items in enumerate(col.values.tolist()):
                if (known is None or known[i]) and items is not None:
                    for item in items:
                        rows = index.setdefault(item, [])
                        if not rows or rows[-1] != i:
                            rows.append(i)
            self._members[path] = index
        mask = np.zeros(self.n, dtype=bool)
        rows = index.get(value)
        if rows:
            mask[rows] = True
        found = self.row_results[("member", path, type(value).__name__, repr(value))] = Col("b", mask, col.known)
        return found

    def column(self, path: str, kind: str) -> Col:
        """The column of ``path`` (built once). Rows whose value does not fit are ``unfit``."""
        key = (path, kind)
        col = self._columns.get(key)
        if col is None:
            if self._envs is not None:
                raw: Sequence[Any] = [env.get(path, UNKNOWN) for env in self._envs]
            elif path in self._constants:
                raw = [self._constants[path]] * self.n
            elif path in self._given:
                raw = [UNKNOWN if v is None else v for v in self._given[path]]
            else:
                raw = [UNKNOWN] * self.n
            col, unfit = column_from_values(kind, raw, self.interner)
            if unfit is not None:
                self.unfit |= unfit
            self._columns[key] = col
        return col

    def load(self, paths: Iterable[tuple[str, str]]) -> None:
        """Build these columns now (so a timed evaluation does not)."""
        for path, kind in paths:
            self.column(path, kind)
        self.restricted()
