"""Rendering time of the harmonisation report (Markdown, CSV, HTML, Parquet) when many changed
assessments are listed: the fixture tests/fixtures/harmonise_report.json with its changes
repeated to ``--changes`` per former municipality (3 municipalities), best of ``--rounds``.
Run from the repository root:

    python benchmarks/bench_harmonise_report.py                   # 10,000 changes each (30,000)
    python benchmarks/bench_harmonise_report.py --changes 1000
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from tildeling.reports.harmonise_report import render, write_parquet

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--changes", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    data = json.loads((ROOT / "tests" / "fixtures" / "harmonise_report.json").read_text(encoding="utf-8"))
    big = copy.deepcopy(data)
    for m in big["municipalities"]:
        base = m["changes"]
        m["changes"] = [dict(base[i % len(base)], case=f"x-{i:06d}") for i in range(args.changes)]
    total = args.changes * len(big["municipalities"])
    for fmt in ("markdown", "csv", "html", "parquet"):
        best, size = float("inf"), 0
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                if fmt == "parquet":
                    files = write_parquet(big, Path(tmp) / "rapport")
                    size = sum(f.stat().st_size for f in files)
                else:
                    size = len(render(big, fmt, "nb").encode("utf-8"))
                best = min(best, time.perf_counter() - t)
        rate = "(the CSV holds the figures, not the changes)" if fmt == "csv" else f"{total / best:9,.0f} changes/s"
        print(f"{fmt:9} {best:6.2f} s  {size / 1e3:9,.0f} kB  {rate}")


if __name__ == "__main__":
    main()
