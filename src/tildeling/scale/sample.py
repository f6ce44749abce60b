"""Fact environments drawn from a rule set's vocabulary: load for the columnar and the
partitioned runs, and the generated cases of the differential tests.

The values are drawn uniformly from each fact's declared domain (``janei``: yes/no;
``heltall``/``tall``: its range; ``iplos``: 1–5 or 9; ``valg``: its values; ``dato``:
1930–2024; ``liste``/``historikk``: a few of its values, history entries sometimes with a
result and a start). They are not a realistic population (see ``tildeling corpus
generate`` for that): they exercise every rule, not the distribution of needs.

    envs = sample_envs(crs, 1000, seed=1, known=1.0)
"""

from __future__ import annotations

import datetime as _dt
import random
from typing import Any

from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.evaluation.walker import environment
from tildeling.language.history import RESULTS, History
from tildeling.language.types import IPLOS_VALUES, Kind, Type

_FIRST_DAY = _dt.date(1930, 1, 1).toordinal()
_LAST_DAY = _dt.date(2024, 12, 31).toordinal()


def sample_value(t: Type, rnd: random.Random) -> Any:
    """One value of type ``t`` (within its declared domain)."""
    kind = t.kind
    if kind is Kind.BOOL:
        return rnd.random() < 0.5
    if kind is Kind.IPLOS:
        return rnd.choice(IPLOS_VALUES)
    if kind is Kind.NUMBER:
        lo = 0 if t.minimum is None else t.minimum
        hi = lo + 100 if t.maximum is None else t.maximum
        if t.integer:
            return rnd.randint(int(lo), int(hi))
        return round(rnd.uniform(lo, hi) * 4) / 4  # quarters: exact in binary and in decimal
    if kind is Kind.TEXT:
        return rnd.choice(t.values) if t.values else rnd.choice(("a", "b", "c"))
    if kind is Kind.DATE:
        return _dt.date.fromordinal(rnd.randint(_FIRST_DAY, _LAST_DAY))
    values = t.values or ("a", "b", "c")
    picked = rnd.sample(values, rnd.randint(0, min(3, len(values))))
    if not t.history:
        return tuple(picked)
    entries: list[Any] = []
    for sid in picked:
        if rnd.random() < 0.5:
            entries.append(sid)
        else:
            entry: dict[str, Any] = {"tjeneste": sid}
            if rnd.random() < 0.7:
                entry["resultat"] = rnd.choice(RESULTS)
            if rnd.random() < 0.5:
                entry["fra"] = _dt.date.fromordinal(rnd.randint(_FIRST_DAY, _LAST_DAY))
            entries.append(entry)
    return History.from_entries(entries)


def _sampler(t: Type):
    """A function ``rnd -> value`` of type ``t`` (the common kinds without a call into
    :func:`sample_value`: drawing is most of a generated population's cost)."""
    kind = t.kind
    if kind is Kind.BOOL:
        return lambda rnd: rnd.random() < 0.5
    if kind is Kind.IPLOS:
        return lambda rnd: IPLOS_VALUES[int(rnd.random() * 6)]
    if kind is Kind.NUMBER and t.integer:
        lo = int(0 if t.minimum is None else t.minimum)
        width = int(lo + 100 if t.maximum is None else t.maximum) - lo + 1
        return lambda rnd: lo + int(rnd.random() * width)
    if kind is Kind.TEXT and t.values:
        values = tuple(t.values)
        return lambda rnd: values[int(rnd.random() * len(values))]
    return lambda rnd: sample_value(t, rnd)


def sample_facts(crs: CompiledRuleSet, rnd: random.Random, known: float = 1.0,
                 samplers: list | None = None) -> dict[str, Any]:
    """One case's facts: each fact of the vocabulary given with probability ``known``."""
    if samplers is None:
        samplers = [(path, _sampler(info.type)) for path, info in crs.ruleset.vocabulary.facts.items()]
    if known >= 1.0:
        return {path: draw(rnd) for path, draw in samplers}
    return {path: draw(rnd) for path, draw in samplers if rnd.random() < known}


def sample_envs(crs: CompiledRuleSet, n: int, *, seed: int = 0, known: float = 1.0,
                on: _dt.date | None = None) -> list[dict[str, Any]]:
    """``n`` fact environments (facts plus the parameters in force ``on``, default the rule
    set's first day), reproducible from ``seed``."""
    rnd = random.Random(seed)
    on = on or crs.ruleset.meta.valid_from
    params = environment(crs, {}, on)
    samplers = [(path, _sampler(info.type)) for path, info in crs.ruleset.vocabulary.facts.items()]
    out = []
    for _ in range(n):
        env = sample_facts(crs, rnd, known, samplers)
        env.update(params)
        out.append(env)
    return out


def sample_services(crs: CompiledRuleSet, n: int, *, seed: int = 0, most: int = 2) -> list[tuple[str, ...]]:
    """Per case, 1..``most`` distinct services of the rule set applied for (plain form)."""
    rnd = random.Random(seed)
    ids = list(crs.services)
    return [tuple(rnd.sample(ids, rnd.randint(1, min(most, len(ids))))) for _ in range(n)]
