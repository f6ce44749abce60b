"""The columnar plan run partitioned on a Dask cluster decides as the local run does.

A real ``distributed.LocalCluster`` (two worker processes, one thread each, no dashboard):
each worker compiles the rule set itself from the texts it is sent (checked by sha256) and
returns records; the result is the same list, in the same order, as the run in this process,
which is itself the per-case evaluator's (tests/test_columnar.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("numpy")
distributed = pytest.importorskip("distributed")

from tildeling.engine import Engine  # noqa: E402
from tildeling.rules.cases import load_case  # noqa: E402
from tildeling.rules.resolve import resolve  # noqa: E402
from tildeling.scale.partitioned import (compiled_from_bundle, evaluate_generated, evaluate_partitioned,  # noqa: E402
                                         rows_of, rule_set_bundle)
from tildeling.scale.case_columns import populations  # noqa: E402
from tildeling.scale.sample import sample_envs, sample_services  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _cases(folder: str) -> list:
    out = []
    for p in sorted((REPO / "cases" / folder).rglob("*.yaml")):
        try:
            out.append(load_case(p))
        except Exception:  # not a case file
            continue
    return out


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


def test_bundle_compiles_to_the_same_rule_set():
    path = REPO / "rules/drammen/drammen-2021.yaml"
    bundle = rule_set_bundle(path)
    assert compiled_from_bundle(bundle).ruleset.sha256 == bundle[2]
    name, texts, sha = bundle
    bad = (name, {**texts, name: texts[name] + "\n# endret\n"}, sha)
    with pytest.raises(ValueError):
        compiled_from_bundle(bad)


def test_dask_run_equals_local_run_on_the_case_corpus(client):
    """cases/drammen and cases/alver judged by drammen-2021 and alver-2020 (the others are
    covered by tests/test_columnar.py, which also checks the local run against the per-case
    evaluator on these cases; each rule set costs every worker a compile)."""
    engine = Engine(REPO / "rules")
    paths = {(e.id, e.version): e.path for e in engine.catalog()}
    wanted = (("drammen", "2021.1"), ("alver", "2020.1"))
    cases = []
    for case in _cases("drammen") + _cases("alver"):
        found = resolve(engine.catalog(), case.municipality, case.application_date)  # no compiling
        if found is not None and (found.entry.id, found.entry.version) in wanted:
            cases.append(case)
    tried = 0
    for batch in populations(engine, cases):
        key = (batch.crs.id, batch.crs.ruleset.meta.version)
        if key not in wanted:  # judged on the decision date by another version
            continue
        pop = batch.population
        rows = [(pop.envs[i], pop.services_of(i), pop.applications[i] if pop.applications else None)
                for i in range(pop.n)]
        local = evaluate_partitioned(paths[key], rows, engine=engine)
        assert evaluate_partitioned(paths[key], rows, scheduler=client, partitions=2, engine=engine) == local
        tried += len(rows)
    assert tried > 200


def test_dask_run_equals_local_run_on_generated_cases(client):
    path = REPO / "rules/drammen/drammen-2021.yaml"
    crs = Engine(REPO / "rules").compiled(path)
    envs = sample_envs(crs, 1000, seed=11, known=0.97)
    services = sample_services(crs, 1000, seed=12)
    rows = list(zip(envs, services))
    local = evaluate_partitioned(path, rows)
    assert evaluate_partitioned(path, rows, scheduler=client, partitions=4) == local
    assert len(local) == 1000 and all(local)


def test_cases_as_input():
    path = REPO / "rules/alver/alver-2020.yaml"
    cases = [c for c in _cases("alver") if c.municipality == "alver"][:20]
    rows = rows_of(path, cases, Engine(REPO / "rules"))
    assert len(rows) == len(cases)
    assert evaluate_partitioned(path, cases, engine=Engine(REPO / "rules"), partitions=2) == \
        evaluate_partitioned(path, rows)


def test_generated_population_on_dask_equals_local(client):
    """Each task draws its own blocks of rows: any partitioning decides the same rows."""
    path = REPO / "rules/baerum/baerum-2023.yaml"
    local = evaluate_generated(path, 650, seed=3, block=100)
    remote = evaluate_generated(path, 650, seed=3, block=100, scheduler=client, partitions=3)
    assert [x[:4] for x in remote] == [x[:4] for x in local]
    assert [x[0] for x in local] == list(range(7))
    assert sum(sum(x[2].values()) for x in local) >= 650
