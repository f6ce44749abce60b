"""Facts known to be one of several values: ``tilstand.psykisk_lidelse: {en_av: [lett, moderat]}``.

Such a fact is neither known nor unknown. The evaluator keeps it out of the environment (so
every condition on it is unknown, and the fast path hands over to the walker as for a missing
fact) and records its allowed values under :data:`RESTRICTED`. Where a decision is settled by
trying completions (:mod:`tildeling.evaluation.completions`), a restricted fact is tried only
over its allowed values: the decision stands when they all give the same one, and otherwise
it is ``uavklart`` naming the fact. A condition read outside a decision tree (an
own-initiative condition) is evaluated per allowed value with :func:`resolve`.

>>> from tildeling.language.logic import UNKNOWN
>>> env = {RESTRICTED: {"x": ("lett", "moderat")}}
>>> resolve(lambda e: e.get("x", UNKNOWN) != "alvorlig", env)
True
>>> resolve(lambda e: e.get("x", UNKNOWN) == "lett", env)
ukjent
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Mapping

from tildeling.language.logic import UNKNOWN

#: The key in a case file: ``{en_av: [verdi, verdi, …]}`` («én av»).
ONE_OF = "en_av"
#: The environment key holding ``{fact: allowed values}`` (never a fact path: no fact starts with «#»).
RESTRICTED = "#en_av"
#: Combinations of allowed values tried by :func:`resolve` before it gives up (UNKNOWN).
MAX_COMBINATIONS = 4096


def is_one_of(value: Any) -> bool:
    """Whether a case-file value is the ``{en_av: […]}`` form."""
    return isinstance(value, dict) and ONE_OF in value


def restrictions(env: Mapping[str, Any]) -> Mapping[str, tuple]:
    """The restricted facts of ``env`` with their allowed values (empty for most cases)."""
    return env.get(RESTRICTED) or {}


def assignments(env: Mapping[str, Any]):
    """Each combination of allowed values of the restricted facts, as a dict (none when
    there are none or too many)."""
    found = restrictions(env)
    if not found:
        return
    facts = sorted(found)
    size = 1
    for f in facts:
        size *= len(found[f])
    if size > MAX_COMBINATIONS:
        return
    for combo in itertools.product(*(found[f] for f in facts)):
        yield dict(zip(facts, combo))


def resolve(fn: Callable[[dict], Any], env: dict[str, Any]) -> Any:
    """The value of ``fn`` when every combination of allowed values of the restricted facts
    gives the same known value; else UNKNOWN (also when there are no restricted facts)."""
    seen: list[Any] = []
    for values in assignments(env):
        full = dict(env)
        full.update(values)
        v = fn(full)
        if v is UNKNOWN or (seen and v != seen[0]):
            return UNKNOWN
        seen.append(v)
    return seen[0] if seen else UNKNOWN


__all__ = ["ONE_OF", "RESTRICTED", "is_one_of", "restrictions", "assignments", "resolve"]
