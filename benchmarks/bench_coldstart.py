"""Cold start of ``tildeling evaluate`` against ``python -c "import pydantic, yaml"``
(issue 9: within 3×, the median of 10 whole processes, paired).

Each round runs A (tildeling) and B (the import) once each, alternating which goes first,
as new processes timed from outside (``time.perf_counter`` around ``subprocess.run``); the
medians and their ratio are printed. Run from the repository root:

    python benchmarks/bench_coldstart.py                 # 10 rounds, the rule-set cache warm
    python benchmarks/bench_coldstart.py --cache off     # TILDELING_CACHE=0
    python benchmarks/bench_coldstart.py --cache cold    # an empty cache before every run
    python benchmarks/bench_coldstart.py --before /tmp/old/src   # also C: another checkout's
                                                     # src/ (all three as python -m tildeling)

Python's bytecode of tildeling is cached (in a temporary ``PYTHONPYCACHEPREFIX``, as it is
for an installed package) and one untimed warm-up run of each comes first. Besides the wall
time (what issue 9 asks for), the CPU time of each process (user + system) is reported: on a
machine shared with other jobs it varies much less than the wall time.

    python benchmarks/bench_coldstart.py --rounds 20     # more pairs on a loaded machine
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "cases/drammen/dr-001.yaml"


def tildeling_command() -> list[str]:
    script = Path(sys.executable).with_name("tildeling")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tildeling"]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``cmd``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} ended with {done.returncode}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--cache", choices=("warm", "cold", "off"), default="warm")
    ap.add_argument("--case", default=CASE)
    ap.add_argument("--before", help="also time another checkout's src/ folder (C), in the same rounds")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tildeling-coldstart-"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["TILDELING_CACHE_DIR"] = str(work / "cache")
    if args.cache == "off":
        env["TILDELING_CACHE"] = "0"
    module = [sys.executable, "-m", "tildeling"]
    a_cmd = [*(module if args.before else tildeling_command()), "evaluate", args.case]
    b_cmd = [sys.executable, "-c", "import pydantic, yaml"]
    runs: list[tuple[str, list[str], dict[str, str]]] = [("A", a_cmd, env), ("B", b_cmd, env)]
    if args.before:
        runs.append(("C", [*module, "evaluate", args.case], {**env, "PYTHONPATH": str(Path(args.before).resolve())}))
    times: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    try:
        for _, cmd, run_env in runs:  # warm-up: bytecode written, the cache filled
            timed(cmd, run_env)
        for i in range(args.rounds):
            if args.cache == "cold":
                shutil.rmtree(work / "cache", ignore_errors=True)
            order = runs if i % 2 == 0 else runs[::-1]  # alternate who goes first
            for name, cmd, run_env in order:
                wall, used = timed(cmd, run_env)
                times[name].append(wall)
                cpu[name].append(used)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {name: statistics.median(t) for name, t in times.items()}
    med_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    labels = {"A": f"tildeling evaluate {args.case} (cache {args.cache})",
              "B": 'python -c "import pydantic, yaml"', "C": f"tildeling evaluate {args.case} from {args.before}"}
    for name in times:
        print(f"{name}  {labels[name]}: median {med[name]:.3f} s (min {min(times[name]):.3f}, "
              f"max {max(times[name]):.3f})")
        print(f"   CPU (user + system): median {med_cpu[name]:.3f} s")
    ratios = [a / b for a, b in zip(times["A"], times["B"])]
    print(f"A / B = {med['A'] / med['B']:.2f}  ({args.rounds} rounds, paired, alternating; "
          f"median of the per-round ratios {statistics.median(ratios):.2f})")
    print(f"A / B in CPU time = {med_cpu['A'] / med_cpu['B']:.2f}")
    if "C" in med:
        print(f"C / B = {med['C'] / med['B']:.2f}   A / C = {med['A'] / med['C']:.2f}   "
              f"(CPU: C / B = {med_cpu['C'] / med_cpu['B']:.2f})")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
