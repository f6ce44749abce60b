"""Settling an undecided service asks each completion only for its outcome, and works out the
missing facts once where they are needed (evaluation/completions.py, ``settle``): the decisions
and the missing facts listed are exactly those of the way it was done before — every
completion walked with its missing facts worked out (blame), and every derived fact's
derivations interpreted anew for every completion.

The reference is the same code with those two savings switched off (``_decide_outcome`` is the
walk that blames; the derivations' reads are every enumerated fact, so nothing is shared). It
is compared decision by decision — outcome, step, amount, form, leaf, path, missing facts,
undecided and assumed rules — over every case under cases/ (each under the rule set that
judges it, and under every rule set of its municipality) and over generated partial cases
for every shipped rule set, among them long-term stays with many unknown facts.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tildeling import compile_ruleset, load_ruleset
from tildeling.engine import Engine, case_environment
from tildeling.evaluation import completions, walker
from tildeling.evaluation.columnar import decide_case
from tildeling.rules.cases import load_case
from tildeling.rules.resolve import catalog
from tildeling.scale.sample import sample_envs, sample_services

REPO = Path(__file__).resolve().parent.parent
RULE_SETS = sorted(str(e.path) for e in catalog(REPO / "rules"))


class _Everything:
    """``_Everything() & x`` is ``x``: the derivations read every enumerated fact."""

    def __and__(self, other):
        return other


def described(raws) -> list[tuple]:
    out = []
    for r in raws:
        w = r.walk
        out.append((r.service, r.outcome, r.step, repr(r.amount), r.form, r.initiative,
                    None if w is None else (w.leaf.id if w.leaf is not None else None, w.path,
                                            tuple(sorted(w.missing)), tuple(u.id for u in w.undecided), w.assumed),
                    tuple((p.part, p.own, p.decision.outcome, tuple(sorted(p.decision.walk.missing))
                           if p.decision.walk is not None else None) for p in r.parts)))
    return out


def both_ways(monkeypatch, crs, env: dict, services, applications=None) -> tuple[list, list]:
    """The decisions now, and by the reference (the savings switched off)."""
    fresh = list(crs.combined)  # decide() builds a combined function per combination: keep none between ways
    now = described(decide_case(crs, env, services, applications))
    for k in list(crs.combined):
        if k not in fresh:
            del crs.combined[k]
    with monkeypatch.context() as m:
        m.setattr(walker, "_decide_outcome", walker._decide_walk)
        m.setattr(completions, "_derivation_reads", lambda fact, scope: _Everything())
        before = described(decide_case(crs, env, services, applications))
    return now, before


@lru_cache(maxsize=None)
def compiled(path: str):
    return compile_ruleset(load_ruleset(path))


def test_every_case_under_cases_settles_as_before(monkeypatch):
    engine = Engine(REPO / "rules")
    seen = undecided = 0
    for p in sorted((REPO / "cases").rglob("*.yaml")):
        try:
            case = load_case(p)
        except Exception:  # noqa: BLE001 - not a case file (a list of services, a skipped input)
            continue
        chosen, _ = engine.choose(case)
        sets = {chosen.ruleset.path: chosen}
        for e in engine.catalog():
            if e.municipality == chosen.ruleset.meta.municipality or e.id in ("drammen", "svelvik-2019"):
                sets.setdefault(str(e.path), engine.compiled(e.path))
        for crs in sets.values():
            try:
                env, _ = case_environment(crs, case)
            except Exception:  # noqa: BLE001 - facts that do not fit this rule set's vocabulary
                continue
            apps = None if case.plain else case.applications
            now, before = both_ways(monkeypatch, crs, env, tuple(case.applied_for), apps)
            assert now == before, f"{p.name} under {crs.ruleset.id}"
            seen += 1
            undecided += sum(1 for d in now if d[1] == "uavklart")
    assert seen > 400 and undecided > 20


@pytest.mark.parametrize("path", RULE_SETS, ids=[Path(p).stem for p in RULE_SETS])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), known=st.sampled_from([0.5, 0.7, 0.85, 0.95]), n=st.integers(1, 6))
def test_generated_partial_cases_settle_as_before(monkeypatch, path, seed, known, n):
    crs = compiled(path)
    envs = sample_envs(crs, n, seed=seed, known=known)
    services = sample_services(crs, n, seed=seed + 1, most=2)
    rnd = random.Random(seed)
    long_term = [s for s in ("langtidsopphold", "korttidsopphold") if s in crs.services]
    for i, env in enumerate(envs):
        wanted = services[i] + ((rnd.choice(long_term),) if long_term and rnd.random() < 0.5 else ())
        now, before = both_ways(monkeypatch, crs, env, tuple(dict.fromkeys(wanted)))
        assert now == before
