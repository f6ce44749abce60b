"""Runtime semantics shared by the interpreter and the compiled code.

**Three-valued (Kleene) logic.** A missing fact is :data:`UNKNOWN` — not false and not 0.
``false and UNKNOWN`` is false, ``true or UNKNOWN`` is true, ``not UNKNOWN`` is UNKNOWN,
and any comparison or arithmetic with an UNKNOWN operand is UNKNOWN. Division by zero is
UNKNOWN too (never an exception).

>>> and_(False, UNKNOWN), or_(True, UNKNOWN), not_(UNKNOWN)
(False, True, ukjent)

**IPLOS 9 ("ikke relevant")** is a value, never missing and never 0. For operands whose
*static* kind is IPLOS, 9 ranks below every score in ordering comparisons, while ``==`` and
``!=`` compare the raw value:

>>> compare(">=", 9, 3, True, False), compare("<", 9, 3, True, False), compare("==", 9, 9, True, False)
(False, True, True)

Every helper here is written so that the code generator (:mod:`tildeling.evaluation.codegen`) can
inline an *exactly* equivalent Python expression; the comments name the inlined form.
Truth values are tested by identity (``is True`` / ``is False``), never by truthiness.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, cast

from tildeling.language.types import IPLOS_NOT_RELEVANT

NINF = float("-inf")  # the rank of IPLOS 9 in ordering comparisons


class _Unknown:
    """The type of :data:`UNKNOWN`. Truth-testing it is a bug and raises ``TypeError``."""

    __slots__ = ()
    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ukjent"

    __str__ = __repr__

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN (ukjent) har ingen sannhetsverdi; bruk and_/or_/not_ eller «is UNKNOWN»")

    def __reduce__(self):
        return (_Unknown, ())

    def __copy__(self) -> "_Unknown":
        return self

    def __deepcopy__(self, memo) -> "_Unknown":
        return self


UNKNOWN = _Unknown()
U = UNKNOWN  # short alias used by the generated code


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


# --- Kleene logic ----------------------------------------------------------------------

def and_(left: object, right: object) -> object:
    # inlined: (l if (l := L) is False else (r if (r := R) is False or l is True else U))
    if left is False:
        return False
    if right is False or left is True:
        return right
    return UNKNOWN


def or_(left: object, right: object) -> object:
    # inlined: (l if (l := L) is True else (r if (r := R) is True or l is False else U))
    if left is True:
        return True
    if right is True or left is False:
        return right
    return UNKNOWN


def not_(value: object) -> object:
    # inlined: (U if (x := X) is U else not x)
    if value is UNKNOWN:
        return UNKNOWN
    return not value


def conditional_unknown(then: object, otherwise: object) -> object:
    """``if UNKNOWN then a else b``: ``a`` when both branches are known and equal."""
    if then is not UNKNOWN and otherwise is not UNKNOWN and then == otherwise:
        return then
    return UNKNOWN


def derived_rest(cond: object, value: object, rest: object) -> object:
    """A derivation whose ``when`` is not True: the later derivations' ``rest`` if it is
    False, else (unknown) ``value`` only when ``rest`` agrees (generated code's ``_dv``)."""
    return rest if cond is False else conditional_unknown(value, rest)


# --- comparisons -----------------------------------------------------------------------

def rank(value: object) -> object:
    """The ordering rank of an IPLOS value: 9 ("ikke relevant") is below every score."""
    return NINF if value == IPLOS_NOT_RELEVANT else value


def compare(op: str, left: object, right: object, left_iplos: bool = False, right_iplos: bool = False) -> object:
    """``left op right`` with UNKNOWN propagation and the IPLOS-9 ordering rule.

    ``left_iplos``/``right_iplos`` say whether the operand's static kind is IPLOS (the
    type checker's annotation); they matter only for ``< <= > >=``.
    """
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    # Numbers or dates, both of one kind: the type checker has seen to that.
    a: Any = rank(left) if left_iplos else left
    b: Any = rank(right) if right_iplos else right
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    raise ValueError(f"unknown comparison operator {op!r}")


def in_(value: object, items: object) -> object:
    """``value in items``; Kleene OR over the item equalities when an item is UNKNOWN."""
    if value is UNKNOWN or items is UNKNOWN:
        return UNKNOWN
    unknown = False
    for item in cast(Iterable[object], items):  # a list value: UNKNOWN is ruled out above
        if item is UNKNOWN:
            unknown = True
        elif item == value:
            return True
    return UNKNOWN if unknown else False


# --- bounds: what an aggregate over partly unknown arguments can still be -----------------

INF = float("inf")


class Bounds:
    """Every completion of the unknown arguments of an aggregate gives a value in ``lo..hi``.

    Only the aggregates make bounds (``count``, ``sum``, ``min``, ``max``, ``mean`` with an
    unknown argument, from the known values and each unknown argument's declared domain), and
    only ordering and equality comparisons consume them (:func:`compare_bounds`); everywhere
    else an aggregate with an unknown argument is UNKNOWN. For an IPLOS-kind result the bounds
    are in *rank* space: ``lo == -inf`` means the result may be 9 ("ikke relevant").
    """

    __slots__ = ("lo", "hi")

    def __init__(self, lo: float, hi: float):
        self.lo = lo
        self.hi = hi

    def __repr__(self) -> str:
        return f"Bounds({self.lo!r}, {self.hi!r})"

    def __bool__(self) -> bool:
        raise TypeError("Bounds har ingen sannhetsverdi")


def _interval(value: object, iplos: bool) -> tuple[Any, Any]:
    if isinstance(value, Bounds):
        return value.lo, value.hi
    r = rank(value) if iplos else value
    return r, r


def compare_bounds(op: str, left: object, right: object, left_iplos: bool = False,
                   right_iplos: bool = False) -> object:
    """``left op right`` where an operand may be :class:`Bounds`: decided when every value in
    the bounds gives the same answer, else UNKNOWN. Without bounds it is :func:`compare`."""
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    lb, rb = isinstance(left, Bounds), isinstance(right, Bounds)
    if not (lb or rb):
        return compare(op, left, right, left_iplos, right_iplos)
    if op in ("==", "!="):
        if lb and rb:
            return UNKNOWN
        # Equality compares raw values; rank is one-to-one (9 <-> -inf), so comparing in the
        # bounds' space is the same test when the bounds are ranked (IPLOS) ones.
        bounds, other, ranked = (left, right, left_iplos) if lb else (right, left, right_iplos)
        assert isinstance(bounds, Bounds)
        if isinstance(other, (bool, str)) or not isinstance(other, (int, float)):
            return UNKNOWN
        v: Any = rank(other) if ranked else other
        if v < bounds.lo or v > bounds.hi:
            return op == "!="
        if bounds.lo == bounds.hi == v:
            return op == "=="
        return UNKNOWN
    a_lo, a_hi = _interval(left, left_iplos)
    b_lo, b_hi = _interval(right, right_iplos)
    if op == "<":
        yes, no = a_hi < b_lo, a_lo >= b_hi
    elif op == "<=":
        yes, no = a_hi <= b_lo, a_lo > b_hi
    elif op == ">":
        yes, no = a_lo > b_hi, a_hi <= b_lo
    elif op == ">=":
        yes, no = a_lo >= b_hi, a_hi < b_lo
    else:
        raise ValueError(f"unknown comparison operator {op!r}")
    if yes:
        return True
    if no:
        return False
    return UNKNOWN


# --- arithmetic ------------------------------------------------------------------------

def arith(op: str, left: object, right: object) -> object:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "+":
        return left + right  # type: ignore[operator]
    if op == "-":
        return left - right  # type: ignore[operator]
    if op == "*":
        return left * right  # type: ignore[operator]
    if op == "/":
        return divide(left, right)
    raise ValueError(f"unknown arithmetic operator {op!r}")


def divide(left: object, right: object) -> object:
    """``left / right``; division by zero is UNKNOWN (documented, never an exception)."""
    # inlined: (U if (a := A) is U or (b := B) is U or b == 0 else a / b)
    if left is UNKNOWN or right is UNKNOWN or right == 0:
        return UNKNOWN
    return left / right  # type: ignore[operator]


def negate(value: object) -> object:
    return UNKNOWN if value is UNKNOWN else -value  # type: ignore[operator]


# --- aggregate helpers (used by tildeling.language.functions) ----------------------------------

def any_unknown(values: Iterable[object]) -> bool:
    return any(v is UNKNOWN for v in values)


def skip_not_relevant(args: tuple, iplos: tuple[bool, ...]) -> list:
    """The arguments of min/max/mean with IPLOS 9s (of IPLOS-kind arguments) removed."""
    return [a for a, ip in zip(args, iplos) if not (ip and a == IPLOS_NOT_RELEVANT)]


def whole_years(birth: _dt.date, on: _dt.date) -> int:
    """Age in whole years on ``on``. Someone born 29 February has a birthday on 1 March
    in years that are not leap years."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
