"""The benchmark compares the compiled evaluator with a hand-written function of the same
rules; the comparison means something only while both decide alike. This keeps them in
agreement (the benchmark itself exits 1 on a mismatch, but nothing ran it in CI)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_evaluate.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_evaluate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_evaluate", module)
    spec.loader.exec_module(module)
    return module


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
