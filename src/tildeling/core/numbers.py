"""The range of numbers tildeling computes with: finite and at most 10^15 in magnitude.

Numbers in rule literals, parameters, weights and case facts must lie within
``-NUMBER_LIMIT … NUMBER_LIMIT`` (documented in docs/regelformat.md and docs/saksformat.md):
far beyond any hour count, amount or age, yet small enough that integers convert to floats
exactly and nothing in the evaluator can overflow. Outside it, or not finite (``.inf``,
``.nan``), a value is a located error.

>>> number_problem(10**15, None) is None
True
>>> number_problem(-10**15 - 1, None).code, number_problem(float("nan"), None).code
('number-out-of-range', 'number-not-finite')
"""

from __future__ import annotations

import math

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.source import SourceSpan

NUMBER_LIMIT = 10**15
NUMBER_LIMIT_TEXT = "10^15"


def number_problem(value: int | float, span: SourceSpan | None) -> Diagnostic | None:
    """``None`` if ``value`` is a finite number within the limit, else the diagnostic."""
    if isinstance(value, float) and not math.isfinite(value):
        return make("number-not-finite", "error", "number.not_finite", span)
    if abs(value) > NUMBER_LIMIT:
        return make("number-out-of-range", "error", "number.out_of_range", span, limit=NUMBER_LIMIT_TEXT)
    return None


def computable(value: object) -> bool:
    """Whether a computed result may be shown: anything but a number outside the range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    return (not isinstance(value, float) or math.isfinite(value)) and abs(value) <= NUMBER_LIMIT
