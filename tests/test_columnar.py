"""The columnar evaluator gives exactly the per-case decisions (differential property test).

Generated partial cases (each fact present or absent at random, values from its domain,
some facts known only as one of several values) for every shipped rule set and the peer
workload, plus every case under cases/: outcome, step, amount, leaf and initiative of every
decision agree with the per-case evaluator.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tildeling import compile_ruleset, load_ruleset  # noqa: E402
from tildeling.engine import Engine  # noqa: E402
from tildeling.evaluation.columnar import Population, decide_case, evaluate, population_columns, raw_record  # noqa: E402
from tildeling.language.partial import RESTRICTED  # noqa: E402
from tildeling.language.types import Kind  # noqa: E402
from tildeling.rules.cases import load_case  # noqa: E402
from tildeling.rules.resolve import catalog  # noqa: E402
from tildeling.scale.sample import sample_envs, sample_services  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RULE_SETS = sorted(str(e.path) for e in catalog(REPO / "rules"))


@lru_cache(maxsize=None)
def compiled(path: str):
    return compile_ruleset(load_ruleset(path))


@lru_cache(maxsize=1)
def peer_rule_set():
    """The peer workload's rule set, written and compiled once for the module (every
    generated example used to compile it again, from a new folder: a second each)."""
    import sys
    import tempfile
    sys.path.insert(0, str(REPO / "benchmarks"))
    import peer_workload as pw
    peers = pw.import_peers()
    workload = peers.cases.load_workload()
    tmp = Path(tempfile.mkdtemp(prefix="tildeling-columnar-peer-"))
    return compile_ruleset(load_ruleset(pw.write_ruleset(workload, tmp))), pw.services(workload), peers


def per_case(crs, pop: Population) -> list:
    apps = pop.applications
    return [[raw_record(r) for r in decide_case(crs, pop.envs[i], pop.services_of(i), apps[i] if apps else None)]
            for i in range(pop.n)]


def assert_agree(crs, pop: Population) -> None:
    expected = per_case(crs, pop)  # before the columns are built: nothing may depend on the order
    got = evaluate(crs, population_columns(crs, pop)).records()
    for i, (a, b) in enumerate(zip(got, expected)):
        assert a == b, f"row {i}: columnar {a} != per case {b}"
    assert len(got) == len(expected)


def restrict_some(crs, envs: list[dict], rnd: random.Random) -> None:
    """Make a few text facts known only as one of two values (``en_av``)."""
    choices = [(p, f.type.values) for p, f in crs.ruleset.vocabulary.facts.items()
               if f.type.kind is Kind.TEXT and f.type.values and len(f.type.values) >= 2]
    if not choices:
        return
    for env in envs:
        if rnd.random() < 0.15:
            path, values = rnd.choice(choices)
            env.pop(path, None)
            env[RESTRICTED] = {path: tuple(rnd.sample(values, 2))}


@pytest.mark.parametrize("path", RULE_SETS, ids=[Path(p).stem for p in RULE_SETS])
# Few facts known make the per-case evaluator try many completions (seconds per case): the
# known shares below keep the test to about a minute while most rows still meet unknowns.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), known=st.sampled_from([0.6, 0.8, 0.9, 0.97, 1.0]),
       n=st.integers(1, 25), most=st.integers(1, 3))
def test_generated_partial_cases_agree(path, seed, known, n, most):
    crs = compiled(path)
    rnd = random.Random(seed)
    envs = sample_envs(crs, n, seed=seed, known=known)
    services = sample_services(crs, n, seed=seed + 1, most=most)
    restrict_some(crs, envs, rnd)
    if rnd.random() < 0.2:  # a service applied for twice, one the rule set does not describe
        services[0] = services[0] + services[0][:1]
        services[-1] = ("ikke_beskrevet",) + services[-1]
    assert_agree(crs, Population(envs, services))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), known=st.sampled_from([0.7, 0.9, 0.97, 1.0]), n=st.integers(1, 60))
def test_peer_workload_partial_cases_agree(seed, known, n):
    crs, services, peers = peer_rule_set()
    rnd = random.Random(seed)
    envs = [{k: v for k, v in c.items() if rnd.random() < known} for c in peers.cases.generate(n, seed)]
    assert_agree(crs, Population(envs, services))


def test_known_peer_cases_are_not_delegated():
    crs, services, peers = peer_rule_set()
    pop = population_columns(crs, Population([dict(c) for c in peers.cases.generate(2000, 7)], services))
    assert evaluate(crs, pop).delegated_count == 0


def test_known_plain_cases_are_rarely_delegated():
    """With every fact known, only what the columns never decide is delegated (here: BPA,
    whose parts a short application implies)."""
    crs = compiled(str(REPO / "rules/drammen/drammen-2021.yaml"))
    services = [s for s in sample_services(crs, 400, seed=5) if "bpa" not in s]
    pop = Population(sample_envs(crs, len(services), seed=6), services)
    result = evaluate(crs, population_columns(crs, pop))
    assert result.delegated_count <= 0.02 * pop.n


def test_every_case_under_cases_agrees():
    from tildeling.scale.case_columns import populations
    engine = Engine(REPO / "rules")
    cases = []
    for p in sorted((REPO / "cases").rglob("*.yaml")):
        try:
            cases.append(load_case(p))
        except Exception:  # not a case file (a list of services, a skipped input)
            continue
    assert len(cases) > 300
    for batch in populations(engine, cases):
        assert_agree(batch.crs, batch.population)


def test_values_that_do_not_fit_are_decided_per_case():
    """A number beyond 2**53 (not exact in a float64 column) makes its row per-case, whether
    its column was built before the evaluation or during it. (A value of the wrong type is
    refused before evaluation, by check_facts, as for one case.)"""
    crs, services, peers = peer_rule_set()
    envs = [dict(c) for c in peers.cases.generate(50, 3)]
    envs[3]["age"] = 2 ** 60
    envs[7]["dressing"] = -(2 ** 53) - 1
    for load in (True, False):
        pop = Population([dict(e) for e in envs], services)
        if load:
            population_columns(crs, pop)
        result = evaluate(crs, pop)
        assert set(result.delegated) == {3, 7}
        assert result.records() == per_case(crs, pop)


def test_a_population_read_as_columns_decides_as_one_read_as_environments():
    """Population.from_columns (a corpus read as columns: None is unknown, parameters shared)
    gives the same records, delegated rows included (their environments built on demand)."""
    crs = compiled(str(REPO / "rules/alver/alver-2020.yaml"))
    envs = sample_envs(crs, 300, seed=21, known=0.95)
    services = sample_services(crs, 300, seed=22)
    params = dict(crs.ruleset.parameter_env(crs.ruleset.meta.valid_from))
    facts = sorted({k for e in envs for k in e} - set(params))
    columns = {k: [e.get(k) for e in envs] for k in facts}
    by_columns = evaluate(crs, population_columns(crs, Population.from_columns(columns, services, params)))
    by_envs = evaluate(crs, population_columns(crs, Population(envs, services)))
    assert by_columns.delegated_count > 0
    assert by_columns.records() == by_envs.records() == per_case(crs, Population(envs, services))
