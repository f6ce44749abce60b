"""Benchmark: tildeling on the shared peer workload, beside the peers, in one process.

    python benchmarks/bench_peers.py [--cases 100000] [--rounds 5] [--seed 20240611]

The peer workload (``../shared/bench/peers``: workload.json, seeded cases, a hand-written
function, zen-engine and numpy adapters) is imported from the shared directory, not copied.
``peer_workload.py`` translates workload.json into a temporary tildeling rule set; every engine
then evaluates the same seeded cases, interleaved: in each round every engine runs once, in a
rotated order, and the median round counts. Rule loading and compiling are not timed (nor the
peers' build and untimed ``prepare``). Printed: cases/s (median, min..max), the ratio to the
hand-written function and to zen-engine, and CPU/wall (above 1.0: more than one core); then
what a full explanation costs against tracing off (tildeling-explained / tildeling-fast), in
wall time and in CPU time (the process's own time, less disturbed by other jobs).

tildeling runs three times (four with --trace): columnar (tildeling.evaluation.columnar: every
case at once from the same compiled plan; its prepare builds the fact columns, untimed, as
numpy-columnar's does), with tracing off (the compiled fast path: the raw decisions) and with
full explanations (the same fast decisions, then the outcome behind the JSON output built from
them on demand: reason texts, facts relied on, references — what ``tildeling evaluate --format
json`` prints); each explanation is built and then dropped, as a population run that writes
them out would (--keep-explanations holds them all, as the peers hold their small outputs).
With --trace a fourth run records the trace as ``--explain`` does (the tracer on, the trace
turned into the outcome's events). The collect flag table is one service per flag row
(see peer_workload.py), so tildeling decides 1 + 11 services per case and returns every
reason, as the peers do.

Every engine's output on the timed cases must equal the hand-written function's (outcome,
step, decision row id, flag ids); the script exits 1 on any difference. zen-engine and numpy
come from the optional extra ``bench`` (``pip install -e '.[bench]'``); a missing one is
skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import peer_workload as pw  # noqa: E402
from tildeling import compile_ruleset, load_ruleset  # noqa: E402  (the public façade)

# The cases are fact environments, not case files, so the runs call the stages under
# tildeling.evaluate() directly, as bench_evaluate.py does.
from tildeling.evaluation.trace import Tracer  # noqa: E402
from tildeling.evaluation.walker import decide  # noqa: E402
from tildeling.explain.explanation import explain_case  # noqa: E402

AS_OF = dt.date(2021, 6, 1)
REFERENCE = "python-handwritten"
ZEN = "zen-engine"
PEERS = (REFERENCE, ZEN, "numpy-columnar")


class Tildeling:
    """tildeling in the shape of a peer adapter (prepare untimed, run timed, normalise)."""

    kind = "per-case"

    def __init__(self, crs, services: tuple[str, ...], explain: bool, keep: bool = False, trace: bool = False):
        self.crs, self.services, self.explain, self.keep, self.trace = crs, services, explain, keep, trace
        self.name = "tildeling-traced" if trace else "tildeling-explained" if explain else "tildeling-fast"

    def prepare(self, cases):
        # A peer case dict is a fact environment as it is (the vocabulary uses the workload's
        # names; the rule set has no parameters). Own copies, so no engine sees another's dicts.
        return [dict(c) for c in cases]

    def run(self, envs):
        crs, services = self.crs, self.services
        if not self.explain:
            return [decide(crs, env, services) for env in envs]
        out = []
        trace = self.trace
        for i, env in enumerate(envs):
            if trace:  # as --explain: the tracer on, and its events in the outcome
                tracer = Tracer()
                raws = decide(crs, env, services, tracer)
                outcome = explain_case(crs, str(i), raws, env, AS_OF, "nb", tracer=tracer)
            else:  # the fast decisions, explained on demand
                raws = decide(crs, env, services)
                outcome = explain_case(crs, str(i), raws, env, AS_OF, "nb")
            # A population run writes each outcome and lets it go (bench_evaluate.py does the
            # same); holding 100,000 explanations makes the collector re-scan them (--keep-explanations).
            out.append((raws, outcome) if self.keep else (raws, None))
        return out

    def normalise(self, native):
        if not self.explain:
            return [pw.peer_result(r) for r in native]
        # Kept outcomes (--keep-explanations) are checked themselves; dropped ones by their decisions.
        return [pw.outcome_result(o) if o is not None else pw.peer_result(r) for r, o in native]


class TildelingColumnar:
    """tildeling's columnar evaluator (tildeling.evaluation.columnar): prepare builds the fact
    columns (untimed, as numpy-columnar's does), run decides every case at once (rows the
    columns cannot decide go to the per-case evaluator inside the timed run)."""

    kind = "batch"
    name = "tildeling-columnar"

    def __init__(self, crs, services: tuple[str, ...]):
        self.crs, self.services = crs, services

    def prepare(self, cases):
        from tildeling.evaluation.columnar import Population, population_columns
        return population_columns(self.crs, Population([dict(c) for c in cases], self.services))

    def run(self, population):
        from tildeling.evaluation.columnar import evaluate
        return evaluate(self.crs, population)

    def normalise(self, native):
        return [pw.peer_record_result(recs) for recs in native.records()]


def build(args, peers, workload, tmp: Path) -> dict:
    """Every engine that can run, built and given its (untimed) input."""
    cases = peers.cases.generate(args.cases, args.seed)
    crs = compile_ruleset(load_ruleset(pw.write_ruleset(workload, tmp)))
    services = pw.services(workload)
    engines = {}
    for label in PEERS:
        try:
            engines[label] = peers.engines.load(label, workload)
        except ImportError as exc:
            if label == REFERENCE:
                raise
            print(f"note: {label} skipped, not installed ({exc.name}); pip install -e '.[bench]'")
    engines["tildeling-fast"] = Tildeling(crs, services, explain=False)
    engines["tildeling-explained"] = Tildeling(crs, services, explain=True, keep=args.keep_explanations)
    try:
        engines["tildeling-columnar"] = TildelingColumnar(crs, services)
    except ImportError as exc:
        print(f"note: tildeling-columnar skipped, not installed ({exc.name}); pip install -e '.[columnar]'")
    if args.trace:
        engines["tildeling-traced"] = Tildeling(crs, services, explain=True, keep=args.keep_explanations, trace=True)
    return {label: {"engine": eng, "input": eng.prepare(cases), "wall": [], "cpu": []}
            for label, eng in engines.items()}


def measure(built: dict, rounds: int, n: int) -> dict:
    """Interleaved rounds; returns each engine's normalised output of round 1 (every round
    evaluates the same cases, and every engine is deterministic)."""
    labels = list(built)
    first = {}
    for rnd in range(rounds):
        for label in labels[rnd % len(labels):] + labels[:rnd % len(labels)]:
            b = built[label]
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            out = b["engine"].run(b["input"])
            c1, w1 = time.process_time(), time.perf_counter()
            b["wall"].append(w1 - w0)
            b["cpu"].append(c1 - c0)
            if rnd == 0:
                first[label] = b["engine"].normalise(out)
            del out
            print(f"  round {rnd + 1} {label:22s} {n / (w1 - w0):>12,.0f} cases/s", flush=True)
    return first


def report(built: dict, first: dict, n: int) -> int:
    """Agreement lines and the table; the number of engines that disagree."""
    ref = first[REFERENCE]
    wrong = 0
    print()
    for label, got in first.items():
        diff = [i for i, (a, b) in enumerate(zip(got, ref)) if a != b] + list(range(len(got), len(ref)))
        wrong += bool(diff)
        note = ""
        if diff:
            i = diff[0]
            note = f"   first: case {i}: {got[i] if i < len(got) else None} != {ref[i]}"
        print(f"agreement with {REFERENCE}: {label:22s} {n - len(diff)}/{n} cases{note}")
    med = {label: statistics.median(b["wall"]) for label, b in built.items()}
    print()
    hdr = (f"{'engine':22s} {'kind':8s} {'cases/s (median)':>17s} {'min..max':>23s} {'us/case':>8s} "
           f"{'x handwritten':>13s} {'x zen-engine':>12s} {'cpu/wall':>8s}")
    print(hdr)
    print("-" * len(hdr))
    for label in sorted(built, key=lambda k: med[k]):
        b = built[label]
        vs_zen = f"{med[ZEN] / med[label]:>12.3f}" if ZEN in med else f"{'-':>12s}"
        print(f"{label:22s} {b['engine'].kind:8s} {n / med[label]:>17,.0f} "
              f"{n / max(b['wall']):>11,.0f}..{n / min(b['wall']):<11,.0f} {med[label] / n * 1e6:>8.2f} "
              f"{med[REFERENCE] / med[label]:>13.3f} {vs_zen} "
              f"{statistics.median(c / w for c, w in zip(b['cpu'], b['wall'])):>8.2f}")
    fast = built.get("tildeling-fast")
    if fast is not None:  # what an explanation costs, in the same run (issue 9: at most 3x)
        cpu = statistics.median(fast["cpu"])
        print()
        for label in ("tildeling-explained", "tildeling-traced"):
            if label in built:
                print(f"{label} / tildeling-fast: {med[label] / med['tildeling-fast']:.2f}x wall time, "
                      f"{statistics.median(built[label]['cpu']) / cpu:.2f}x CPU time (medians)")
    return wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=None, help="case seed (default: the peers' seed)")
    ap.add_argument("--no-freeze", action="store_true",
                    help="leave the prepared inputs to the cyclic garbage collector")
    ap.add_argument("--keep-explanations", action="store_true",
                    help="hold every explanation in memory until the round ends (as the peers hold their outputs)")
    ap.add_argument("--trace", action="store_true",
                    help="also time explanations with the trace, as `tildeling evaluate --explain` gives them")
    args = ap.parse_args()
    if args.rounds < 1 or args.cases < 1:
        ap.error("--cases and --rounds must be at least 1")

    peers = pw.import_peers()
    workload = peers.cases.load_workload()
    args.seed = peers.cases.DEFAULT_SEED if args.seed is None else args.seed
    with tempfile.TemporaryDirectory(prefix="tildeling-peers-") as tmp:
        t0 = time.perf_counter()
        built = build(args, peers, workload, Path(tmp))
        print(f"workload {workload['name']}: {args.cases} cases (seed {args.seed}), {args.rounds} rounds, "
              f"{len(pw.services(workload))} tildeling services per case; build {time.perf_counter() - t0:.1f} s")
        if not args.no_freeze:
            # The inputs are long-lived: keep the collector from re-scanning them on every
            # collection the outputs trigger (the same for every engine; bench_evaluate.py does
            # the same). --no-freeze measures the peers' way.
            gc.collect()
            gc.freeze()
        first = measure(built, args.rounds, args.cases)
        wrong = report(built, first, args.cases)
    print(f"\nPython {sys.version.split()[0]}; medians of {args.rounds} interleaved rounds; "
          f"gc {'not ' if args.no_freeze else ''}frozen; "
          f"explanations {'kept' if args.keep_explanations else 'dropped'}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
