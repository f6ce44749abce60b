"""The two-valued fast path (evaluation/fastpath.py) decides exactly as the three-valued one.

Differential property tests over generated partial cases: for every shipped rule set
(rules/**) and the peer workload of the benchmark, the decisions of the combined generated
decider must equal, field for field, those of the three-valued path it replaces (the
per-service generated code and the walker), and the walker's (decide_service) in outcome,
step, amount, path, missing facts and assumed conditions. Cases are drawn with every fact
given (the two-valued path decides them) and with some left out (it hands them over).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import pytest
from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tildeling.engine import Engine
from tildeling.evaluation import fastpath
from tildeling.evaluation.walker import decide, decide_service, environment
from tildeling.explain.explanation import explain_case
from tildeling.language.types import IPLOS_VALUES, Kind
from tildeling.rules.cases import load_case, runtime_facts

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@lru_cache(maxsize=None)
def _engine() -> Engine:
    return Engine(ROOT / "rules")


def _rule_sets() -> list[Path]:
    return sorted(e.path for e in _engine().catalog())


@lru_cache(maxsize=None)
def _seen() -> dict[str, list]:
    """Per fact, the values the shipped cases give it (dates, lists and histories included)."""
    seen: dict[str, list] = {}
    engine = _engine()
    for path in sorted((ROOT / "cases").rglob("*.yaml")):
        try:
            case = load_case(path)
            crs, _ = engine.choose(case, check_services=False)
        except Exception:  # a service map, or a case meant to fail
            continue
        for k, v in runtime_facts(case, crs.ruleset.vocabulary, case.application_date).items():
            if k.startswith("_"):
                continue
            bucket = seen.setdefault(k, [])
            if v not in bucket and len(bucket) < 12:
                bucket.append(v)
    return seen


_STRATEGIES: dict = {}


def _values(path: str, t) -> st.SearchStrategy | None:
    """Values of a fact of type ``t``: its domain, and what the shipped cases give it. Made
    once per fact and type (building and validating a strategy again for every fact of every
    generated case was most of this module's time); the values drawn are the same."""
    key = (path, id(t))
    found = _STRATEGIES.get(key)
    if found is None or found[0] is not t:
        found = _STRATEGIES[key] = (t, _make_values(path, t))
    return found[1]


def _make_values(path: str, t) -> st.SearchStrategy | None:
    seen = _seen().get(path, [])
    own: st.SearchStrategy | None = None
    if t.kind is Kind.BOOL:
        own = st.booleans()
    elif t.kind is Kind.IPLOS:
        own = st.sampled_from(IPLOS_VALUES)
    elif t.kind is Kind.NUMBER:
        lo = int(t.minimum) if t.minimum is not None else -2
        hi = int(t.maximum) if t.maximum is not None else 120
        own = st.integers(lo, min(hi, lo + 200))
        if not t.integer:
            own = st.one_of(own, st.sampled_from([0.0, 0.5, 1.5, 2.25, float(lo), float(hi)]))
    elif t.kind is Kind.TEXT and t.values:
        own = st.sampled_from(t.values)
    elif t.kind is Kind.DATE:
        own = st.dates(dt.date(1915, 1, 1), dt.date(2024, 12, 31))
    elif t.kind is Kind.LIST and t.values and not t.history:
        own = st.lists(st.sampled_from(t.values), unique=True, max_size=3).map(tuple)
    if seen:
        return st.one_of(own, st.sampled_from(seen)) if own is not None else st.sampled_from(seen)
    return own


@st.composite
def _case(draw, crs):
    """Facts (every one, or some left out), the services applied for, and the date."""
    full = draw(st.sampled_from([True, True, False]))
    keep = 1.0 if full else draw(st.sampled_from([0.98, 0.9, 0.6]))
    facts = {}
    for path, info in sorted(crs.ruleset.vocabulary.facts.items()):
        values = _values(path, info.type)
        if values is None:
            continue
        if keep < 1.0 and draw(st.floats(0, 1)) > keep:
            continue
        facts[path] = draw(values)
    services = tuple(draw(st.lists(st.sampled_from(sorted(crs.ruleset.services)), min_size=1, max_size=4,
                                   unique=True)))
    meta = crs.ruleset.meta
    on = meta.valid_from + dt.timedelta(days=draw(st.integers(0, 400)))
    return facts, services, on


def _key(raw):
    """What a decision is: outcome, step, amount, form, path, leaf, missing, assumed, undecided."""
    w = raw.walk
    return (raw.service, raw.outcome, raw.step, raw.amount, raw.form, raw.score, raw.score_parts, raw.initiative,
            None if w is None else (w.path, w.leaf.id if w.leaf is not None else None, w.missing, w.assumed,
                                    tuple(r.id for r in w.undecided)))


def _json(outcome) -> str:
    return json.dumps(outcome.to_dict(), ensure_ascii=False, sort_keys=False)


def _check(crs, facts, services, on):
    env = environment(crs, facts, on)
    decide(crs, dict(env), services)  # builds the combined decider (cached per combination)
    fn = crs.combined[services]
    got = fn(dict(env))
    three_valued = fn.__globals__.get("_fallback")
    if three_valued is None:  # no service of the combination is decided two-valued
        return False
    reference = three_valued(dict(env))
    assert got == reference, (crs.id, services, facts)
    # The explanation built from the fast path's decisions (prebuilt ones are explained once
    # and shared by equal fact values) is the one built from the three-valued path's: the same
    # JSON, twice (the second time from what the first kept).
    for lang in ("nb", "nn", "en"):
        expected = _json(explain_case(crs, "c", reference, env, on, lang))
        for _ in range(2):
            assert _json(explain_case(crs, "c", fn(dict(env)), env, on, lang)) == expected, (crs.id, services, lang)
    for raw in got[:len(services)]:
        cs = crs.services.get(raw.service)
        if cs is None:
            continue
        walker_env = dict(env)
        if crs.application:
            walker_env["søknad.tjenester"] = services
        walked = decide_service(cs, walker_env)
        assert _key(raw) == _key(walked), (crs.id, raw.service, facts)
    return True


@pytest.mark.parametrize("path", _rule_sets(), ids=lambda p: p.stem)
@SETTINGS
@given(data=st.data())
def test_shipped_rule_sets_decide_alike_two_valued_and_three_valued(path, data):
    crs = _engine().compiled(path)
    facts, services, on = data.draw(_case(crs))
    _check(crs, facts, services, on)


@pytest.mark.parametrize("path", _rule_sets(), ids=lambda p: p.stem)
def test_a_case_with_every_fact_given_is_decided_two_valued(path):
    """The two-valued path is taken (not handed over) when every fact is given: else the
    differential test above would only ever compare the three-valued path with itself."""
    crs = _engine().compiled(path)
    facts = {}
    for p, info in crs.ruleset.vocabulary.facts.items():
        if _values(p, info.type) is not None:
            facts[p] = _first(p, info.type)
    services = tuple(sid for sid in crs.ruleset.services if fastpath.inlinable(crs, sid))
    if not services:
        pytest.skip("no service of this rule set is decided two-valued")
    env = environment(crs, facts, crs.ruleset.meta.valid_from)
    fn = fastpath.build(crs, services, _refuse, ["None"] * len(services), {}, [], "{}")
    if crs.application:
        env["søknad.tjenester"] = services
    fn(env)  # _refuse raises if the case is handed over


def _refuse(env):
    raise AssertionError("handed over to the three-valued path although every fact is given")


def _first(path: str, t):
    seen = _seen().get(path)
    if seen:
        return seen[0]
    if t.kind is Kind.BOOL:
        return True
    if t.kind is Kind.IPLOS:
        return 3
    if t.kind is Kind.NUMBER:
        return int(t.minimum) if t.minimum is not None else 1
    if t.kind is Kind.TEXT:
        return t.values[0] if t.values else "x"
    if t.kind is Kind.DATE:
        return dt.date(1940, 1, 1)
    return ()


# --- the peer workload of the benchmark --------------------------------------------------------

@lru_cache(maxsize=None)
def _peer():
    import test_benchmark_agreement as tba
    pw = tba._peer_workload()
    if not (pw.SHARED_BENCH / "peers" / "__init__.py").is_file():
        return None
    peers = pw.import_peers()
    import tempfile
    from tildeling import compile_ruleset, load_ruleset
    tmp = Path(tempfile.mkdtemp(prefix="tildeling-fastpath-"))
    workload = peers.cases.load_workload()
    crs = compile_ruleset(load_ruleset(pw.write_ruleset(workload, tmp)))
    return crs, pw.services(workload), peers.cases.generate(500, 7)


@SETTINGS
@given(data=st.data())
def test_peer_workload_decides_alike_two_valued_and_three_valued(data):
    found = _peer()
    if found is None:
        pytest.skip("the shared peer workload is absent")
    crs, services, cases = found
    case = data.draw(st.sampled_from(cases))
    drop = data.draw(st.lists(st.sampled_from(sorted(case)), max_size=3, unique=True)
                     | st.just([]))
    facts = {k: v for k, v in case.items() if k not in drop}
    applied = data.draw(st.sampled_from([services, services[:1], services[1:], tuple(reversed(services))]))
    assert _check(crs, facts, applied, dt.date(2021, 6, 1))
