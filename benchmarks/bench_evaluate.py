"""Benchmark: the compiled evaluator against a hand-written Python function of the same
rules, on the same reproducible corpus, in one run.

    python benchmarks/bench_evaluate.py [--cases 100000] [--seed 2020] [--repeat 3]

Prints cases per second for (1) the hand-written function, (2) the compiled evaluator with
tracing off, (3) the compiled evaluator with the tracer on (every condition recorded with the facts it
used) and full explanations built from it (the JSON outcome: reason texts with fact
values, the facts relied on, legal references in the numbering of the case's date,
LEON alternatives), and the ratios. The corpus has
complete facts so that both implementations must agree on every case (checked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tildeling import compile_ruleset, load_ruleset  # noqa: E402  (the public façade)

# The corpus is generated fact environments, not case files, so the runs below call the
# stages under tildeling.evaluate() directly: deciding (with or without the tracer) and
# explaining are what it measures, without reading and checking a case file per case.
from tildeling.evaluation.trace import Tracer  # noqa: E402
from tildeling.evaluation.walker import decide  # noqa: E402
from tildeling.explain.explanation import explain_case  # noqa: E402

SERVICES = ("praktisk_bistand", "trygghetsalarm", "bpa", "langtidsopphold", "helsetjenester_i_hjemmet")
AS_OF = dt.date(2021, 6, 1)


def corpus(n: int, seed: int) -> list[dict]:
    rnd = random.Random(seed)
    iplos = (1, 2, 3, 4, 5, 9)
    out = []
    for _ in range(n):
        out.append({
            "søknad.dato": AS_OF,
            "søker.alder": rnd.randint(18, 100),
            "funksjon.husarbeid": rnd.choice(iplos),
            "funksjon.innkjøp": rnd.choice(iplos),
            "funksjon.matlaging": rnd.choice(iplos),
            "funksjon.egen_helse": rnd.choice(iplos),
            "husstand.annen_voksen_kan_utføre": rnd.random() < 0.3,
            "husstand.annen_voksen_vil_bidra": rnd.random() < 0.5,
            "helse.rehabiliteringspotensial": rnd.random() < 0.3,
            "tjenester.forsøkt": tuple(s for s in ("hverdagsrehabilitering", "trygghetsalarm", "praktisk_bistand")
                                       if rnd.random() < 0.3),
            "trygghet.kan_utløse_alarm": rnd.random() < 0.85,
            "helse.fall_siste_3_mnd": rnd.choice((0, 0, 0, 1, 2, 4)),
            "trygghet.risiko_plutselig_hjelpebehov": rnd.random() < 0.25,
            "behov.timer_per_uke": rnd.choice((5, 10, 20, 26, 30, 32, 40, 60)),
            "behov.varighet_over_2_år": rnd.random() < 0.6,
            "behov.bpa_vesentlig_dyrere": rnd.random() < 0.3,
            "vurdering.eneste_forsvarlige_langtidsopphold": rnd.random() < 0.1,
            "helse.behov_tilsyn_døgnet_rundt": rnd.random() < 0.3,
            "tjenester.lavere_nivå_vurdert": rnd.random() < 0.6,
            "vurdering.forsvarlig_hjemme": rnd.random() < 0.5,
            "helse.sårbehandling": rnd.random() < 0.2,
        })
    return out


# --- the same rules, written by hand -------------------------------------------------------------

def _rank(x):  # IPLOS 9 (not relevant) ranks below every score
    return -1 if x == 9 else x


def _max_iplos(*xs):
    relevant = [x for x in xs if x != 9]
    return max(relevant) if relevant else 9


def handwritten(f: dict, p: dict) -> list[tuple[str, str, int, str]]:
    """One plain Python function per service, as a programmer would write these criteria.
    Missing facts give «uavklart» (None checks), matching the engine on complete facts."""
    out = []
    g = f.get
    # praktisk bistand
    hus, inn, mat = g("funksjon.husarbeid"), g("funksjon.innkjøp"), g("funksjon.matlaging")
    if hus is None or inn is None or mat is None:
        out.append(("praktisk_bistand", "uavklart", 6, "pb-ingen-behov"))
    elif _rank(_max_iplos(hus, inn, mat)) < 3:
        out.append(("praktisk_bistand", "avslag", 6, "pb-ingen-behov"))
    elif g("husstand.annen_voksen_kan_utføre") and g("husstand.annen_voksen_vil_bidra"):
        out.append(("praktisk_bistand", "avslag", 6, "pb-husstand"))
    elif g("helse.rehabiliteringspotensial") and "hverdagsrehabilitering" not in g("tjenester.forsøkt", ()):
        out.append(("praktisk_bistand", "avslag", 6, "pb-hverdagsrehab"))
    else:
        out.append(("praktisk_bistand", "innvilget", 6, "pb-innvilget"))
    # trygghetsalarm
    kan = g("trygghet.kan_utløse_alarm")
    if kan is None:
        out.append(("trygghetsalarm", "uavklart", 6, "ta-kan-ikke"))
    elif not kan:
        out.append(("trygghetsalarm", "avslag", 6, "ta-kan-ikke"))
    elif g("helse.fall_siste_3_mnd", 0) >= 1 or g("trygghet.risiko_plutselig_hjelpebehov"):
        out.append(("trygghetsalarm", "innvilget", 6, "ta-risiko"))
    else:
        out.append(("trygghetsalarm", "avslag", 6, "ta-ellers"))
    # BPA
    alder, timer = g("søker.alder"), g("behov.timer_per_uke")
    if alder is None or timer is None:
        out.append(("bpa", "uavklart", 8, "bpa-alder"))
    elif alder >= p["parameter.bpa_aldersgrense"]:
        out.append(("bpa", "avslag", 8, "bpa-alder"))
    elif timer >= p["parameter.bpa_timer_rett"] and g("behov.varighet_over_2_år"):
        out.append(("bpa", "innvilget", 8, "bpa-rett"))
    elif timer >= p["parameter.bpa_timer_nedre"] and not g("behov.bpa_vesentlig_dyrere"):
        out.append(("bpa", "innvilget", 8, "bpa-mellom"))
    else:
        out.append(("bpa", "avslag", 8, "bpa-ellers"))
    # langtidsopphold
    if g("vurdering.eneste_forsvarlige_langtidsopphold"):
        out.append(("langtidsopphold", "innvilget", 12, "lt-eneste"))
    elif g("helse.behov_tilsyn_døgnet_rundt") and g("tjenester.lavere_nivå_vurdert"):
        if g("vurdering.forsvarlig_hjemme"):
            out.append(("langtidsopphold", "delvis_innvilget", 12, "lt-venteliste"))
        else:
            out.append(("langtidsopphold", "innvilget", 12, "lt-innvilget"))
    else:
        out.append(("langtidsopphold", "avslag", 12, "lt-ellers"))
    # helsetjenester i hjemmet
    hel = g("funksjon.egen_helse")
    if (hel is not None and _rank(hel) >= 3) or g("helse.sårbehandling"):
        out.append(("helsetjenester_i_hjemmet", "innvilget", 7, "hs-behov"))
    else:
        out.append(("helsetjenester_i_hjemmet", "avslag", 7, "hs-ellers"))
    return out


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--explain-cases", type=int, default=20_000,
                    help="cases for the full-explanation run (it builds every reason text)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    crs = compile_ruleset(load_ruleset(HERE / "bench-regelsett.yaml"))
    t_compile = time.perf_counter() - t0
    params = crs.ruleset.parameter_env(AS_OF)
    facts = corpus(args.cases, args.seed)
    envs = [{**f, **params} for f in facts]
    # The corpus is long-lived data: keep the cyclic garbage collector from re-scanning its
    # ~10^6 objects on every collection triggered by the outcome dicts (applies to every
    # measurement below alike; a population run would do the same).
    gc.collect()
    gc.freeze()

    # Agreement first: both implementations must give the same outcome, step and rule.
    mismatches = 0
    for env in envs:
        mine = [(r.service, r.outcome, r.step, r.walk.leaf.id) for r in decide(crs, env, SERVICES)]
        if mine != handwritten(env, params):
            mismatches += 1

    def run_hand():
        for env in envs:
            handwritten(env, params)

    def run_off():
        for env in envs:
            decide(crs, env, SERVICES)

    sub = envs[: args.explain_cases]

    def run_full():
        for i, env in enumerate(sub):
            tracer = Tracer()
            raws = decide(crs, env, SERVICES, tracer)
            explain_case(crs, str(i), raws, env, AS_OF, "nb")

    def run_traced():
        for env in sub:
            decide(crs, env, SERVICES, Tracer())

    def run_off_sub():
        for env in sub:
            decide(crs, env, SERVICES)

    t_hand = best_of(args.repeat, run_hand)
    t_off = best_of(args.repeat, run_off)
    t_full = best_of(args.repeat, run_full)
    t_off_sub = best_of(args.repeat, run_off_sub)
    t_traced = best_of(args.repeat, run_traced)

    n = len(envs)
    print(f"corpus: {n} cases (seed {args.seed}), {len(SERVICES)} services per case; compile {t_compile * 1000:.0f} ms")
    print(f"agreement with hand-written: {n - mismatches}/{n} cases")
    print(f"hand-written Python          {n / t_hand:>12,.0f} cases/s")
    print(f"compiled, tracing off        {n / t_off:>12,.0f} cases/s   ratio to hand-written {t_hand / t_off:.2f}x")
    print(f"compiled, tracer on          {len(sub) / t_traced:>12,.0f} cases/s   "
          f"{t_traced / t_off_sub:.2f}x slower than tracing off ({len(sub)} cases)")
    print(f"compiled, full explanations  {len(sub) / t_full:>12,.0f} cases/s   "
          f"{t_full / t_off_sub:.2f}x slower than tracing off ({len(sub)} cases)")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
