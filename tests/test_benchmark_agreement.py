"""The benchmark compares the compiled evaluator with a hand-written function of the same
rules; the comparison means something only while both decide alike. This keeps them in
agreement (the benchmark itself exits 1 on a mismatch, but nothing ran it in CI)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_evaluate.py"


def _load(name: str, path: Path):
    """A benchmark script as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def _bench():
    return _load("bench_evaluate", BENCH)


def test_compiled_rules_agree_with_the_hand_written_function():
    b = _bench()
    crs = b.compile_ruleset(b.load_ruleset(b.HERE / "bench-regelsett.yaml"))
    params = crs.ruleset.parameter_env(b.AS_OF)
    disagreements = []
    for facts in b.corpus(3000, 2020):
        env = {**facts, **params}
        mine = [(r.service, r.outcome, r.step, r.walk.leaf.id) for r in b.decide(crs, env, b.SERVICES)]
        theirs = b.handwritten(env, params)
        if mine != theirs:
            disagreements.append((mine, theirs))
    assert disagreements == []


PEERS_MODULE = BENCH.parent / "peer_workload.py"


def _peer_workload():
    return _load("peer_workload", PEERS_MODULE)


def test_peer_rule_set_agrees_with_the_peers_hand_written_function(tmp_path):
    """bench_peers.py compares tildeling with the shared peer workload's engines; the rule
    set it generates from workload.json must decide as the peers' hand-written function does
    (outcome, step, decision row, flag rows)."""
    pw = _peer_workload()
    if not (pw.SHARED_BENCH / "peers" / "__init__.py").is_file():
        pytest.skip(f"the shared peer workload is absent ({pw.SHARED_BENCH / 'peers'})")
    peers = pw.import_peers()
    from peers.engines._common import normalise_dicts
    from peers.engines.handwritten import decide as handwritten

    from tildeling import compile_ruleset, load_ruleset
    from tildeling.evaluation.walker import decide

    workload = peers.cases.load_workload()
    crs = compile_ruleset(load_ruleset(pw.write_ruleset(workload, tmp_path)))
    services = pw.services(workload)
    cases = peers.cases.generate(2000)
    theirs = normalise_dicts([handwritten(c) for c in cases])
    mine = [pw.peer_result(decide(crs, dict(c), services)) for c in cases]
    disagreements = [(i, m, t) for i, (m, t) in enumerate(zip(mine, theirs)) if m != t]
    assert disagreements == []
    # The explanations built from the fast decisions (what bench_peers.py times as «full
    # explanations») say the same: outcome, step, decision row and flag rows.
    import datetime as dt

    from tildeling.explain.explanation import explain_case
    explained = [pw.outcome_result(explain_case(crs, str(i), decide(crs, dict(c), services), dict(c),
                                                dt.date(2021, 6, 1), "nb")) for i, c in enumerate(cases)]
    assert [(i, m, t) for i, (m, t) in enumerate(zip(explained, theirs)) if m != t] == []
    # Every decision row and every flag row is reached by some case (the check means something).
    hit = {rid for _, _, reasons in mine for rid in reasons}
    rows = workload["decision_table"]["rules"] + workload["flag_table"]["rules"]
    assert {r["id"] for r in rows} - hit <= {"D29"}  # D29 (no application type) cannot occur
