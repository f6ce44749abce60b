"""Benchmark: ``tildeling diff`` over a large generated corpus — wall time, cases per second,
peak memory of the main process and of the worker processes, and cores used.

    python benchmarks/bench_corpus.py                              # 1,000,000 complete cases
    python benchmarks/bench_corpus.py --cases 100000 200000         # several sizes, and the memory ratio
    python benchmarks/bench_corpus.py --cases 100000 --variant missing
    python benchmarks/bench_corpus.py --cases 20000 --columnar      # also with the columnar first pass
    python benchmarks/bench_corpus.py --cases 100000 --workers 1

The corpus is a synthetic Drammen population made by ``tildeling corpus generate``
(docs/populasjon.md), written once per size, seed and variant under ``--corpus-dir`` as
Parquet and reused:

- ``complete`` (default): ``--all-facts --missing 0`` — every fact of the vocabulary drawn, none
  unknown (the two-valued fast path decides every case);
- ``missing``: ``--all-facts --missing 0.1`` — a tenth of the facts unknown (many cases meet an
  unknown and go to the per-case evaluator, which tries both ways and settles completions).

Each size runs in a fresh Python process (so that ``ru_maxrss`` is that run's own peak):
``diff svelvik-2019 drammen --as-of 2020-06-01 --format json`` to ``--output`` (default
/dev/null, so the whole report is serialised but not stored), case by case as ``tildeling diff``
does (``--columnar`` runs each size with the columnar first pass too, ``run_diff(columnar=True)``,
in its own process, for the ratio). It prints,
per size: wall seconds, cases per second, peak RSS of the main process
(``getrusage(RUSAGE_SELF)``) and of the largest worker (``RUSAGE_CHILDREN``), and CPU seconds
(main + workers) / wall = cores used. With several sizes it prints the ratio of the peak
memories of the largest and the smallest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

OLD, NEW, AS_OF = "svelvik-2019", "drammen", "2020-06-01"
VARIANTS = {"complete": ["--all-facts", "--missing", "0"], "missing": ["--all-facts", "--missing", "0.1"]}


def corpus_file(directory: Path, n: int, seed: int, variant: str) -> Path:
    """The generated corpus (``tildeling corpus generate``), written once and reused."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"drammen-{n}-seed{seed}-{variant}.parquet"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_name(path.stem + ".part.parquet")
        r = subprocess.run([sys.executable, "-m", "tildeling", "corpus", "generate", "--n", str(n), "--seed",
                            str(seed), "--municipality", "drammen", "--rules-dir", str(ROOT / "rules"),
                            "-o", str(tmp), *VARIANTS[variant]], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"corpus generate failed:\n{r.stdout}\n{r.stderr[-3000:]}")
        tmp.replace(path)
        print(f"  wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def run_one(corpus: Path, workers: int, output: str, fmt: str, columnar: bool = False) -> dict:
    """In this (fresh) process: the diff, timed, with its peak memory and CPU."""
    from tildeling.compare.diff import parse_spec, run_diff
    from tildeling.corpus.read import iter_sources
    from tildeling.engine import Engine
    from tildeling.reports.diff_report import write

    import datetime as dt

    wall = time.perf_counter()
    engine = Engine(ROOT / "rules")
    report = run_diff(engine, parse_spec(engine, OLD), parse_spec(engine, NEW), iter_sources([corpus]),
                      as_of=dt.date.fromisoformat(AS_OF), workers=workers, columnar=columnar)
    evaluated = time.perf_counter() - wall
    with open(output, "w", encoding="utf-8", newline="") as f:
        write(report, fmt, f)
    wall = time.perf_counter() - wall
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    s = report.summary()
    runs = report.store.runs
    report.close()
    return {"cases": s["done"], "read": s["read"], "failed": s["failed"], "changed": s["changed"],
            "items": s["services"], "wall_s": wall, "evaluate_s": evaluated,
            "cases_per_s": s["done"] / wall, "peak_main_mb": me.ru_maxrss / 1024, "peak_worker_mb": kids.ru_maxrss / 1024,
            "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, "workers": workers,
            "cpu_main_s": me.ru_utime + me.ru_stime, "cpu_workers_s": kids.ru_utime + kids.ru_stime,
            "load": os.getloadavg()[0], "columnar": columnar,
            "spilled_runs": runs}


def run_size(corpus: Path, workers: int, output: str, fmt: str, columnar: bool) -> dict:
    """One size in a fresh process (its own peak memory)."""
    r = subprocess.run([sys.executable, __file__, "--run", str(corpus), "--workers", str(workers),
                        "--output", output, "--format", fmt] + (["--columnar-run"] if columnar else []),
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"run failed for {corpus}:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def show(n: int, res: dict) -> None:
    way = "columnar first" if res["columnar"] else "case by case  "
    print(f"{n:>9,} cases, {way}: {res['wall_s']:8.1f} s wall ({res['evaluate_s']:.1f} s evaluating), "
          f"{res['cases_per_s']:7.0f} cases/s, peak RSS main {res['peak_main_mb']:6.0f} MB, "
          f"largest worker {res['peak_worker_mb']:6.0f} MB, CPU/wall {res['cpu_s'] / res['wall_s']:.2f} "
          f"(CPU main {res['cpu_main_s']:.0f} s, workers {res['cpu_workers_s']:.0f} s; load {res['load']:.1f}), "
          f"{res['changed']:,} of {res['items']:,} items changed, {res['spilled_runs']} sorted runs on disk, "
          f"read {res['read']:,} = done {res['cases']:,} + failed {res['failed']}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, nargs="+", default=[1_000_000], help="corpus sizes (default 1000000)")
    p.add_argument("--variant", choices=sorted(VARIANTS), default="complete",
                   help="complete: every fact known (default); missing: a tenth unknown")
    p.add_argument("--columnar", action="store_true", help="also run each size with the columnar first pass")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "tildeling-bench-corpus")
    p.add_argument("--output", default=os.devnull, help="where the report goes (default /dev/null)")
    p.add_argument("--format", default="json", choices=("text", "json", "csv", "markdown", "html"))
    p.add_argument("--run", type=Path, help=argparse.SUPPRESS)  # internal: run one size in this process
    p.add_argument("--columnar-run", action="store_true", help=argparse.SUPPRESS)  # internal: that run columnar first
    a = p.parse_args()
    from tildeling.compare.workers import default_workers

    workers = a.workers or default_workers()
    if a.run is not None:
        print(json.dumps(run_one(a.run, workers, a.output, a.format, columnar=a.columnar_run)))
        return
    print(f"diff {OLD} {NEW} --as-of {AS_OF} --format {a.format}, corpus generate --municipality drammen "
          f"{' '.join(VARIANTS[a.variant])}, {workers} worker(s), {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    for n in a.cases:
        corpus = corpus_file(a.corpus_dir, n, a.seed, a.variant)
        res = run_size(corpus, workers, a.output, a.format, False)
        results.append(res)
        show(n, res)
        if a.columnar:
            col = run_size(corpus, workers, a.output, a.format, True)
            show(n, col)
            print(f"{'':>9}  case by case / columnar first: wall {col['wall_s'] / res['wall_s']:.2f}×, "
                  f"CPU {col['cpu_s'] / res['cpu_s']:.2f}× (above 1: the columnar first pass is slower)", flush=True)
    if len(results) > 1:
        lo, hi = results[0], results[-1]

        def total(r: dict) -> float:
            return r["peak_main_mb"] + r["workers"] * r["peak_worker_mb"]

        print(f"peak memory {hi['cases']:,} / {lo['cases']:,} cases: main {hi['peak_main_mb'] / lo['peak_main_mb']:.2f}×, "
              f"worker {hi['peak_worker_mb'] / lo['peak_worker_mb']:.2f}×, main + workers "
              f"{total(hi) / total(lo):.2f}× (corpus {hi['cases'] / lo['cases']:.0f}× larger)")


if __name__ == "__main__":
    main()
