"""Benchmark: a generated population under several rule sets, in one process and on Dask.

    python benchmarks/bench_scale.py [--cases 100000] [--workers 2] [--partitions 8]
        [--scheduler local|tcp://host:8786] [--target 380000]
        [--rules rules/drammen/drammen-2021.yaml rules/alver/alver-2020.yaml rules/baerum/baerum-2023.yaml]

For each rule set, ``--cases`` rows drawn from its vocabulary (tildeling.scale.sample: every
fact known, 1–2 services applied for; blocks of 10,000 rows, each from its own seed) are
decided by the columnar evaluator twice: in this process (one core) and on Dask (by default
a LocalCluster with ``--workers`` processes of one thread; ``--scheduler`` an address to use
a running cluster), each task drawing its own rows, so that only the rule set's text and
the block numbers travel. Both runs must give the same records (compared by a sha256 per
block); the script exits 1 otherwise. Printed: wall time and cases/s of both, the share of
rows delegated to the per-case evaluator, and the time ``--target`` recipients (KPR: about
380,000) would take under as many rule sets at the measured Dask rate (drawing the rows is
part of the timed work on both sides: on a real cluster, reading a partition takes its place;
the seconds of each phase — draw, columns, decide, records — are printed for the local run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tildeling.engine import Engine  # noqa: E402
from tildeling.scale.partitioned import evaluate_generated  # noqa: E402

DEFAULT_RULES = ["rules/drammen/drammen-2021.yaml", "rules/alver/alver-2020.yaml", "rules/baerum/baerum-2023.yaml"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--rules", nargs="+", default=DEFAULT_RULES)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--scheduler", default="local")
    ap.add_argument("--target", type=int, default=380_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    from distributed import Client, LocalCluster
    engine = Engine(HERE.parent / "rules")
    if args.scheduler == "local":
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        client = Client(args.scheduler)
    cores = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
    print(f"Dask: {len(client.scheduler_info()['workers'])} workers, {cores} threads; this machine: {os.cpu_count()} cores")
    wrong = 0
    t_local = t_dask = t_decide = 0.0
    total = 0
    try:
        for path in args.rules:
            # warm: every worker compiles the rule set once (not part of the rates)
            evaluate_generated(path, 10, seed=args.seed + 99, scheduler=client, partitions=cores, engine=engine)
            t0 = time.perf_counter()
            local = evaluate_generated(path, args.cases, seed=args.seed, engine=engine)
            t1 = time.perf_counter()
            remote = evaluate_generated(path, args.cases, seed=args.seed, scheduler=client,
                                        partitions=args.partitions, engine=engine)
            t2 = time.perf_counter()
            same = [x[:2] for x in local] == [x[:2] for x in remote]
            wrong += not same
            delegated = sum(x[3] for x in local)
            phases = {k: sum(x[4][k] for x in local) for k in local[0][4]}
            t_local += t1 - t0
            t_dask += t2 - t1
            t_decide += phases["decide"]
            total += args.cases
            print(f"{Path(path).stem:18s} {args.cases:>9,} cases: local {t1 - t0:6.1f} s ({args.cases / (t1 - t0):>8,.0f}/s), "
                  f"Dask {t2 - t1:6.1f} s ({args.cases / (t2 - t1):>8,.0f}/s), delegated {delegated / args.cases:.1%}, "
                  f"same decisions: {'yes' if same else 'NO'}", flush=True)
            print("    local, seconds per phase: " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items())
                  + f"; decide alone {args.cases / phases['decide']:,.0f} cases/s", flush=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    rate = total / t_dask
    rules = len(args.rules)
    print(f"\nall: {total:,} case evaluations; local {total / t_local:,.0f}/s, Dask {rate:,.0f}/s "
          f"({t_local / t_dask:.2f}x local); the columnar decision alone {total / t_decide:,.0f}/s on one core")
    print(f"extrapolated, {args.target:,} recipients x {rules} rule sets: at the Dask rate (drawing the rows "
          f"included) {args.target * rules / rate:,.0f} s; the decision alone, one core "
          f"{args.target * rules / (total / t_decide):,.0f} s")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
