"""Where and within what time decisions can be appealed (pbrl § 7-5, fvl § 29), on a date."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.files.outcome import Appeal, Decision
from tildeling.rules.legal import parse_citation

Env = dict[str, Any]


#: The county governor was renamed Statsforvalteren on 1 January 2021 (Fylkesmannen before).
STATSFORVALTER_FROM = _dt.date(2021, 1, 1)
_PBRL_ACTS = frozenset(("hol", "pbrl"))
_PBRL_7_5 = (parse_citation("pbrl § 7-5"),)
_FVL_29 = (parse_citation("fvl § 29"),)


def appeal(crs: CompiledRuleSet, decisions: tuple[Decision, ...], env: Env, on: _dt.date) -> Appeal:
    """Where and within what time the decisions can be appealed on ``on``: pbrl § 7-5 (the
    dated ``klagefrist_uker``, four weeks) for services under hol and pbrl, else the general
    three weeks of fvl § 29; the body is Statsforvalteren from 2021, Fylkesmannen before.
    Cached per (decided services, date, weeks): the result is shared and must not be changed."""
    decided = tuple(d.service for d in decisions if d.outcome != "uavklart" and d.vedtak)
    return appeal_of(crs, decided, env, on)


def appeal_of(crs: CompiledRuleSet, decided: tuple[str, ...], env: Env, on: _dt.date) -> Appeal:
    """:func:`appeal` for the services ``decided`` (those decided as individual decisions)."""
    weeks = env.get("parameter.klagefrist_uker", 4)
    name = env.get("parameter.klageinstans")
    key = (decided, on, weeks, name)
    found = crs.appeal_cache.get(key)
    if found is not None:
        return found
    body = "Statsforvalteren" if on >= STATSFORVALTER_FROM else "Fylkesmannen"
    # The office's full name (a dated parameter of the rule set) is used only when it is the
    # office of that date: a name left from before the 2021 renaming is not printed after it.
    stem = "Statsforvalt" if body == "Statsforvalteren" else "Fylkesmann"
    body_name = name if isinstance(name, str) and name.startswith(stem) and name != body else None
    acts: set[str] = set()
    for sid in decided:
        service = crs.services.get(sid)
        if service is not None:
            acts |= {c.act for c in service.legal if c.act}
    if acts and not acts & _PBRL_ACTS:
        found = Appeal(3, crs.cite(_FVL_29, on), body, False, body_name)
    else:
        found = Appeal(weeks if isinstance(weeks, int) else 4, crs.cite(_PBRL_7_5, on), body, True, body_name)
    if len(crs.appeal_cache) < 10_000:
        crs.appeal_cache[key] = found
    return found
