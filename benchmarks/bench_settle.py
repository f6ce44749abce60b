"""Benchmark: settling undecided services (evaluation/completions.py, ``settle``) on the slow
Drammen cases — one ``diff`` of each (both rule sets, the traced re-evaluation and the cause
when an item changes), with the savings of ``settle`` on, and off as it was before (every
completion walked with its missing facts worked out, nothing shared), in the same run.

    python benchmarks/bench_settle.py                 # the seven cases, best of 3 each
    python benchmarks/bench_settle.py --rounds 5 dr-l10

Exits 1 if the two ways give different items (outcomes, steps, amounts, missing facts).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SLOW = ("dr-l09", "dr-l10", "dr-123", "dr-124", "dr-129", "dr-033", "dr-136")


@contextlib.contextmanager
def as_before():
    """``settle`` as it was: the walk that blames for every completion, derivations anew."""
    from tildeling.evaluation import completions, walker

    class Everything:
        def __and__(self, other):
            return other

    saved = walker._decide_outcome, completions._derivation_reads
    walker._decide_outcome = walker._decide_walk
    completions._derivation_reads = lambda fact, scope: Everything()
    try:
        yield
    finally:
        walker._decide_outcome, completions._derivation_reads = saved


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="*", default=list(SLOW))
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    from tildeling.compare.diff import DiffTask, diff_source, parse_spec, precompile
    from tildeling.corpus.read import Source
    from tildeling.engine import Engine

    engine = Engine(ROOT / "rules")
    old, new = parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen")
    precompile(engine, old)
    precompile(engine, new)
    task = DiffTask(str(ROOT / "rules"), old, new, dt.date(2020, 6, 1), None, False)

    def timed(source: Source) -> tuple[float, list]:
        best, items = float("inf"), []
        for _ in range(a.rounds):
            t = time.perf_counter()
            r = diff_source(engine, task, source)
            best = min(best, time.perf_counter() - t)
            items = [(i.service, i.old.key(), i.new.key(), i.old.missing, i.new.missing) for i in r.items]
        return best, items

    total = [0.0, 0.0]
    same = True
    print("case       before     after   before/after")
    for cid in a.cases:
        path = str(ROOT / "cases" / "drammen" / f"{cid}.yaml")
        source = Source(path, "yaml", path)
        diff_source(engine, task, source)  # compiled and warm
        with as_before():
            before, b_items = timed(source)
        after, a_items = timed(source)
        same &= b_items == a_items
        total[0] += before
        total[1] += after
        print(f"{cid:8} {before * 1e3:8.1f} ms {after * 1e3:7.1f} ms {before / after:6.1f}×"
              f"{'' if b_items == a_items else '  DIFFERENT'}", flush=True)
    print(f"{'all':8} {total[0]:8.2f} s  {total[1]:7.2f} s  {total[0] / total[1]:6.1f}×")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
