"""Benchmark: reading a case from a record (a JSON Lines line or a Parquet row), the fast path
for plain records against the full path (pydantic), paired in one run.

    python benchmarks/bench_records.py [--n 20000] [--rounds 7]

The records are generated (tildeling corpus generate, Drammen, seed 1: plain records, the
common case in a population) and the cases under cases/ (mostly not plain: expectations,
appeals, long-form applications), both as JSON Lines text. Each round parses the lines once
(timed on its own) and reads them into cases with the fast path and with the full path, in
alternating order; prints the median µs per record and the ratio. Both paths must give the
same cases (checked on every record).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tildeling.core.source import SourceSpan  # noqa: E402
from tildeling.corpus.generate import population_for, write_jsonl  # noqa: E402
from tildeling.corpus.read import iter_sources, load_source  # noqa: E402
from tildeling.corpus.records import case_from_record, jsonable, to_record  # noqa: E402
from tildeling.rules.resolve import catalog  # noqa: E402


def _lines(n: int) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        pop = population_for(catalog(HERE.parent / "rules"), "drammen", n, 1, None, 0.10)
        write_jsonl(pop, Path(tmp) / "g.jsonl")
        generated = (Path(tmp) / "g.jsonl").read_text(encoding="utf-8").splitlines()
    cases = []
    for s in iter_sources([HERE.parent / "cases"]):
        try:
            cases.append(load_source(s))
        except Exception:  # noqa: BLE001 - broken example cases are not measured
            continue
    own = [json.dumps(jsonable(to_record(c)), ensure_ascii=False) for c in cases]
    return {"generated": generated, "cases/": (own * (n // len(own) + 1))[:n]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    span = SourceSpan("k.jsonl", 1, 1, 1, 1)
    for label, lines in _lines(args.n).items():
        gc.disable()
        times: dict[str, list[float]] = {"json": [], "fast": [], "full": []}
        for rnd in range(args.rounds):
            t = time.perf_counter()
            data = [json.loads(line) for line in lines]
            times["json"].append(time.perf_counter() - t)
            got = {}
            for fast in ((True, False) if rnd % 2 else (False, True)):
                t = time.perf_counter()
                got[fast] = [case_from_record(d, "k", span, fast=fast) for d in data]
                times["fast" if fast else "full"].append(time.perf_counter() - t)
            if rnd == 0:
                for a, b in zip(got[True], got[False]):
                    assert a.model == b.model and a.facts == b.facts, a.id
            del got, data
            gc.enable()
            gc.collect()
            gc.disable()
        gc.enable()
        med = {k: statistics.median(v) / len(lines) * 1e6 for k, v in times.items()}
        print(f"{label:10} {len(lines)} records: json.loads {med['json']:.1f} µs, fast path {med['fast']:.1f} µs, "
              f"full path {med['full']:.1f} µs per record; full/fast {med['full'] / med['fast']:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
