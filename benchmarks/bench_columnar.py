"""Benchmark: the columnar evaluator against the per-case evaluator, case by case, at scale.

    python benchmarks/bench_columnar.py [--cases 1000000] [--chunk 100000] [--known 1.0]
                                        [--rules rules/drammen/drammen-2021.yaml] [--seed 1]
                                        [--exclude bpa]

Without ``--rules`` the cases are the shared peer workload's (``../shared/bench/peers``,
seeded; chunk k uses seed + k); with ``--rules`` they are drawn from the rule set's
vocabulary (tildeling.scale.sample: every fact from its domain, 1–2 services applied for).
``--known`` below 1 leaves each fact out with that probability (partial cases: the
columnar evaluator delegates the rows whose decision meets an unknown). The cases are
processed in chunks so that memory stays flat; per chunk the columns are built (untimed),
the columnar evaluation is timed, and every case is decided again by the per-case evaluator
(``decide_case``: the engine's path), timed, and compared decision by decision (service,
outcome, step, amount, leaf, initiative). Exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from tildeling import compile_ruleset, load_ruleset  # noqa: E402
from tildeling.evaluation.columnar import Population, decide_case, evaluate, population_columns, raw_record  # noqa: E402


def chunks(args, tmp: Path):
    """(crs, [(envs, services)] per chunk) for the chosen workload."""
    if args.rules is None:
        import peer_workload as pw
        peers = pw.import_peers()
        workload = peers.cases.load_workload()
        crs = compile_ruleset(load_ruleset(pw.write_ruleset(workload, tmp)))
        services = pw.services(workload)

        def make(k: int, n: int):
            rnd = random.Random(args.seed * 7919 + k)
            cases = peers.cases.generate(n, args.seed + k)
            if args.known < 1.0:
                cases = [{f: v for f, v in c.items() if rnd.random() < args.known} for c in cases]
            return cases, services
        return crs, make
    from tildeling.scale.sample import sample_envs, sample_services
    crs = compile_ruleset(load_ruleset(args.rules))

    def make_sampled(k: int, n: int):
        services = sample_services(crs, n, seed=args.seed + k + 1_000_003)
        if args.exclude:  # e.g. --exclude bpa: the services the columns always delegate
            services = [tuple(x for x in s if x not in args.exclude) or (next(iter(crs.services)),)
                        for s in services]
        return sample_envs(crs, n, seed=args.seed + k, known=args.known), services
    return crs, make_sampled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=100_000)
    ap.add_argument("--known", type=float, default=1.0)
    ap.add_argument("--rules", default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exclude", nargs="*", default=[], help="services never applied for (with --rules)")
    args = ap.parse_args()
    total = wrong = delegated = 0
    t_col = t_case = 0.0
    with tempfile.TemporaryDirectory(prefix="tildeling-columnar-") as tmp:
        crs, make = chunks(args, Path(tmp))
        k = 0
        while total < args.cases:
            n = min(args.chunk, args.cases - total)
            envs, services = make(k, n)
            pop = population_columns(crs, Population(envs, services))
            t0 = time.perf_counter()
            result = evaluate(crs, pop)
            t1 = time.perf_counter()
            got = result.records()
            t2 = time.perf_counter()
            expected = [[raw_record(r) for r in decide_case(crs, envs[i], pop.services_of(i))] for i in range(n)]
            t3 = time.perf_counter()
            bad = [i for i in range(n) if got[i] != expected[i]]
            if bad and not wrong:
                i = bad[0]
                print(f"  first difference: chunk {k} row {i}: columnar {got[i]} != per case {expected[i]}")
            wrong += len(bad)
            delegated += result.delegated_count
            t_col += t1 - t0
            t_case += t3 - t2
            total += n
            k += 1
            print(f"  chunk {k}: {total:>9,} cases, columnar {n / (t1 - t0):>11,.0f}/s, per case {n / (t3 - t2):>9,.0f}/s, "
                  f"delegated {result.delegated_count}, differences {len(bad)}", flush=True)
    print(f"\n{crs.id}: {total:,} cases, known share {args.known}: {total - wrong:,} agree, {wrong} differ; "
          f"{delegated:,} delegated ({delegated / total:.2%})")
    print(f"columnar {total / t_col:,.0f} cases/s, per case {total / t_case:,.0f} cases/s "
          f"({t_case / t_col:.1f}x), one process, one core")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
