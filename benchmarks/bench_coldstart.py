"""Cold start of ``tildeling evaluate`` against ``python -c "import pydantic, yaml"``
(issue 9: within 3×, the median of 10 whole processes, paired).

Each round runs A (tildeling) and B (the import) once each, alternating which goes first,
as new processes timed from outside (``time.perf_counter`` around ``subprocess.run``); the
medians and their ratio are printed. Run from the repository root:

    python benchmarks/bench_coldstart.py                 # 10 rounds, the rule-set cache warm
    python benchmarks/bench_coldstart.py --cache off     # TILDELING_CACHE=0
    python benchmarks/bench_coldstart.py --cache cold    # an empty cache before every run

Python's bytecode of tildeling is cached (in a temporary ``PYTHONPYCACHEPREFIX``, as it is
for an installed package) and one untimed warm-up run of each comes first.
"""

from __future__ import annotations

import argparse
import os
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} ended with {done.returncode}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--cache", choices=("warm", "cold", "off"), default="warm")
    ap.add_argument("--case", default=CASE)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tildeling-coldstart-"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["TILDELING_CACHE_DIR"] = str(work / "cache")
    if args.cache == "off":
        env["TILDELING_CACHE"] = "0"
    a_cmd = [*tildeling_command(), "evaluate", args.case]
    b_cmd = [sys.executable, "-c", "import pydantic, yaml"]
    try:
        timed(a_cmd, env)  # warm-up: bytecode written, the cache filled
        timed(b_cmd, env)
        a_times, b_times = [], []
        for i in range(args.rounds):
            if args.cache == "cold":
                shutil.rmtree(work / "cache", ignore_errors=True)
            if i % 2 == 0:
                a_times.append(timed(a_cmd, env))
                b_times.append(timed(b_cmd, env))
            else:
                b_times.append(timed(b_cmd, env))
                a_times.append(timed(a_cmd, env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a, b = statistics.median(a_times), statistics.median(b_times)
    print(f"A  {' '.join(a_cmd[-3:] if len(a_cmd) > 3 else a_cmd)} (cache {args.cache}): median {a:.3f} s "
          f"(min {min(a_times):.3f}, max {max(a_times):.3f})")
    print(f"B  python -c \"import pydantic, yaml\": median {b:.3f} s (min {min(b_times):.3f}, max {max(b_times):.3f})")
    print(f"A / B = {a / b:.2f}  ({args.rounds} rounds, paired, alternating)")


if __name__ == "__main__":
    main()
