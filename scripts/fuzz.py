"""A long, deterministic fuzz run over everything a user can feed tildeling.

    python scripts/fuzz.py                      # 1,000,000 inputs, seed 1, both cores
    python scripts/fuzz.py --count 20000 --seed 7 --workers 1
    python scripts/fuzz.py --replay 123456      # re-run one input (same seed) with its traceback
    python scripts/fuzz.py --only yaml --count 50000

Targets (input ``i`` goes to a target by a fixed pattern, so the mix is the same for any
count):

* ``expr``     – the expression parser and type checker (token soups, mutated expressions
                 from the shipped rule sets, huge numbers, division by zero), and for some
                 well-typed ones code generation and evaluation on a random environment;
* ``yaml``     – the positioned YAML loader: random bytes, mutated windows of the shipped
                 YAML, deep nesting, huge numbers, odd dates (also as keys), tags, alias bombs,
                 and now and then the bounded file reader;
* ``ruleset``  – mutations of the shipped rule sets under ``rules/`` (their header with one
                 or two of their services, to keep each input cheap), loaded, checked,
                 compiled, and run on a shipped case;
* ``case``     – mutations of the shipped cases under ``cases/``, loaded, resolved and evaluated;
* ``resolve``  – rule-set resolution over random catalogues (municipalities, validity
                 windows, ``supersedes`` with repeats, unknown ids and cycles) and dates.

Every input is generated from ``random.Random(f"{seed}:{i}")``: a run is deterministic and
any input can be replayed alone. A :class:`~tildeling.core.errors.TildelingError` is the
expected way to reject bad input; any other exception is a finding, reported once per
(target, type, place) with the index of its first input. An input that runs over 5 s (a
SIGALRM timer) is a hang. The run ends with a table per target and exits 1 if there were
findings or hangs.
"""

from __future__ import annotations

import argparse
import gc
import datetime as dt
import multiprocessing as mp
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tildeling.core.errors import TildelingError  # noqa: E402

PATTERN = ["expr"] * 44 + ["yaml"] * 40 + ["resolve"] * 8 + ["case"] * 4 + ["ruleset"] * 4
TARGETS = ["expr", "yaml", "ruleset", "case", "resolve"]
HANG_SECONDS = 5.0

HUGE = ["1" * 30, "9" * 17, "-" + "9" * 25, "1e400", "1.0e+400", "-1.5e+308", ".inf", "-.inf", ".nan", ".NaN",
        "1000000000000001", "0x7fffffffffffffffff", "1_000_000_000_000_000_000", "0.0000000000000000001"]
DATES = ["2018-02-30", "2019-02-29", "2020-02-29", "2019-13-01", "0000-01-01", "9999-12-31", "2020-00-10",
         "2021-04-31", "1900-02-29", "2020-01-01 25:61:00", "2020-1-1", "20200101", "2100-02-29"]
TAGS = ["!!python/object:os.system", "!!python/name:os.system", "!!binary aGk=", "!!set {a}", "!!omap [a: 1]",
        "!!timestamp 2020-02-30", "!!float nan", "!!int 0x1F", "!!str", "!custom x", "!!null ''", "!!bool ja"]
YAMLISH = list("ab: -[]{}\n\"'|>&*!#%@`,?.0129æøå\t") + ["true", "ja", "~", "null", "&a", "*a", "<<: *a",
                                                          "\n  - id: x", "else: true", "\n---\n", "..."]
EXPR_TOKENS = [
    "if", "then", "else", "hvis", "så", "ellers", "and", "og", "or", "eller", "not", "ikke", "in", "i",
    "true", "false", "==", "!=", "<", "<=", ">", ">=", "=", "+", "-", "*", "/", "(", ")", "[", "]", ",",
    "3", "1.5", "0", "0.0", "007", "1,5", "2020-01-01", "2018-02-30", '"tekst"', '"moderat"', "søker.alder",
    "funksjon.husarbeid", "søker.fødselsdato", "søknad.dato", "snitt", "mean", "sum", "max", "min", "alder",
    "antall", "kjent", "mangler", "dager_mellom", "parameter.x", "poengsum", "9" * 40, "1" * 16, "\n", "#",
]
MUNICIPALITIES = ["Drammen", "drammen", " Drammen ", "Svelvik", "Nedre Eiker", "Alver", "Lindås", "Meland",
                  "Radøy", "Alfa", "Oslo", "", "DRAMMEN", "Sv elvik"]


# --- shared state per worker ---------------------------------------------------------------------

class World:
    """Corpora and scratch space, built once per worker process."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix=f"w{os.getpid()}-", dir=SCRATCH))
        self.rules = self.tmp / "rules"
        shutil.copytree(ROOT / "rules", self.rules)
        from tildeling.rules.cases import SkippedInput, load_case
        self.case_paths = []
        for p in sorted((ROOT / "cases").rglob("*.yaml")):
            try:
                load_case(p)
            except SkippedInput:  # a service map beside the cases (cases/fagscenarier/tjenester.yaml)
                continue
            self.case_paths.append(p)
        self.case_texts = [p.read_text(encoding="utf-8") for p in self.case_paths]
        self.yaml_texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").rglob("*.yaml"))]
        self.yaml_texts += self.case_texts[:40]
        self.pieces = []  # (folder, header, [service blocks]) of each shipped rule set
        for p in sorted(self.rules.rglob("*.yaml")):
            text = p.read_text(encoding="utf-8")
            m = re.search(r"^services:\n", text, re.M)
            if not m:
                continue
            body = text[m.end():]
            starts = [s.start() for s in re.finditer(r"^  [^\s#][^\n]*:\s*$", body, re.M)]
            blocks = [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)])]
            if blocks:
                self.pieces.append((p.parent, text[:m.start()], blocks))
        self.expressions = []
        for t in self.yaml_texts:
            self.expressions += [e.strip() for e in re.findall(r"^\s*-?\s*(?:when|value): (.+)$", t, re.M)]
        self.expressions += ["max(funksjon.husarbeid, funksjon.innkjøp) >= 3", "søker.alder / 0",
                             "alder(søker.fødselsdato, søknad.dato) > 67"]
        from tildeling.engine import Engine
        from tildeling.rules.resolve import catalog
        self.engine = Engine(self.rules)
        self.catalog = catalog(self.rules)
        crs = self.engine.compiled(self.rules / "drammen" / "drammen-2020.yaml")
        self.scope = next(iter(crs.ruleset.services.values())).scope
        self.vocabulary = crs.ruleset.vocabulary
        self.scratch = self.tmp / "scratch.yaml"
        self.counter = 0


WORLD: World | None = None
SCRATCH: str | None = None  # the run's scratch folder (removed at the end), set before the workers fork


def _world() -> World:
    global WORLD
    if WORLD is None:
        warnings.filterwarnings("error", category=SyntaxWarning)  # from generated code: a finding
        WORLD = World()
        gc.freeze()  # the corpora and compiled rule sets live all run: keep them out of the collector's way
    return WORLD


# --- mutations -----------------------------------------------------------------------------------

def interesting(rng: random.Random) -> str:
    pool = rng.choice((HUGE, DATES, TAGS, YAMLISH, EXPR_TOKENS))
    return rng.choice(pool)


def mutate(text: str, rng: random.Random, rounds: int | None = None) -> str:
    for _ in range(rounds or rng.randint(1, 4)):
        if not text:
            text = interesting(rng)
            continue
        op = rng.random()
        pos = rng.randrange(len(text))
        if op < 0.35:
            text = text[:pos] + interesting(rng) + text[pos + rng.randint(0, 8):]
        elif op < 0.5:  # a number becomes huge, infinite or a date
            nums = [m.span() for m in re.finditer(r"\b\d[\d.]*\b", text)]
            if nums:
                a, b = rng.choice(nums)
                text = text[:a] + rng.choice(HUGE + DATES) + text[b:]
        elif op < 0.6:  # a date becomes impossible
            ds = [m.span() for m in re.finditer(r"\d{4}-\d\d-\d\d", text)]
            if ds:
                a, b = rng.choice(ds)
                text = text[:a] + rng.choice(DATES) + text[b:]
        elif op < 0.75:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            kind = rng.random()
            if kind < 0.4:
                del lines[i]
            elif kind < 0.7:
                lines.insert(i, lines[rng.randrange(len(lines))])
            else:
                j = rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op < 0.85:
            text = text[:pos] + text[pos + rng.randint(1, 40):]
        else:
            text = text[:pos] + chr(rng.choice((0, 9, 10, 13, 0x85, 0x2028, 0xFEFF, 0xD800 - 1, 0x10FFFF,
                                                rng.randrange(32, 0x3000)))) + text[pos:]
    return text


# --- targets -------------------------------------------------------------------------------------

def gen_expr(rng: random.Random, w: World) -> str:
    r = rng.random()
    if r < 0.45:
        return "".join(rng.choice(EXPR_TOKENS) + rng.choice(("", " ", " ", "\n  ")) for _ in range(rng.randint(0, 25)))
    base = rng.choice(w.expressions)
    if r < 0.96:
        return mutate(base, rng, rng.randint(1, 3))
    op = rng.choice([" * ", " + ", " / ", " og ", " eller "])
    return op.join([base] * rng.randint(2, 40)) if rng.random() < 0.5 else "(" * 60 + base + ")" * 60


def run_expr(text: str, rng: random.Random, w: World) -> str:
    from tildeling.evaluation.codegen import compile_expression
    from tildeling.language.parser import parse_expression
    from tildeling.language.typecheck import check_expression
    expr = parse_expression(text)
    _, diags = check_expression(expr, w.scope)
    if any(d.severity == "error" for d in diags) or rng.random() > 0.15:
        return "checked"
    fn = compile_expression(expr, w.scope)
    env = {}
    for path, info in w.vocabulary.facts.items():
        if rng.random() < 0.5:
            env[path] = _fact_value(info, rng)
    env["søknad.dato"] = dt.date(2021, 3, 1)
    fn(env)
    return "evaluated"


def _fact_value(info, rng: random.Random):
    from tildeling.language.types import IPLOS_VALUES, Kind
    t = info.type
    if t.kind is Kind.BOOL:
        return rng.random() < 0.5
    if t.kind is Kind.IPLOS:
        return rng.choice(IPLOS_VALUES)
    if t.kind is Kind.NUMBER:
        return rng.choice([0, 1, 67, 10**15, -10**15, 0.5, 3])
    if t.kind is Kind.DATE:
        return dt.date(rng.randint(1900, 2030), rng.randint(1, 12), rng.randint(1, 28))
    if t.kind is Kind.LIST:
        return tuple(rng.sample(list(t.values or ()), k=min(len(t.values or ()), rng.randint(0, 2))))
    return rng.choice(list(t.values or ("x",)))


def gen_yaml(rng: random.Random, w: World) -> str:
    r = rng.random()
    if r < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200))).decode("latin-1")
    if r < 0.7:
        lines = rng.choice(w.yaml_texts).split("\n")
        a = rng.randrange(len(lines))
        return mutate("\n".join(lines[a:a + rng.randint(1, 40)]), rng)
    if r < 0.88:
        n = rng.randint(1, 120)
        return rng.choice(["[" * n + "]" * n, "{a: " * n + "1" + "}" * n,
                           "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "v",
                           "- " * n + "x"])
    if r < 0.98:
        value = rng.choice(HUGE + DATES + TAGS)
        return rng.choice([f"a: {value}\n", f"{value}: 1\n", f"- {value}\n", f"a: [{value}, {value}]\n",
                           f"? {value}\n: 1\n", f"a: {{{value}: b}}\n"])
    return rng.choice(['a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                       'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
                       'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n', "&a [*a]", "a: &x {b: *x}", "<<: {a: 1}\n",
                       "%YAML 1.1\n---\na: 1", "--- !!map\n? a\n: b", "a: b\n---\nc: d\n"])


def run_yaml(text: str, rng: random.Random, w: World) -> str:
    from tildeling.files.yamlload import load_yaml_file, load_yaml_text
    if rng.random() < 0.1:
        w.scratch.write_bytes(text.encode("utf-8", "surrogatepass"))
        load_yaml_file(w.scratch)
    else:
        load_yaml_text(text, "fuzz.yaml")
    return "loaded"


def gen_ruleset(rng: random.Random, w: World) -> str:
    folder, header, blocks = rng.choice(w.pieces)
    chosen = rng.sample(blocks, k=min(len(blocks), rng.choice((1, 1, 1, 2))))
    return str(folder.relative_to(w.rules)) + "\0" + mutate(header + "services:\n" + "".join(chosen), rng)


def run_ruleset(text: str, rng: random.Random, w: World) -> str:
    from tildeling.engine import evaluate_with
    from tildeling.evaluation.compiler import compile_ruleset
    from tildeling.rules.cases import load_case
    from tildeling.rules.ruleset import load_ruleset
    folder, body = text.split("\0", 1)
    path = w.rules / folder / f"zz-fuzz-{os.getpid()}.yaml"
    path.write_bytes(body.encode("utf-8", "surrogatepass"))
    try:
        crs = compile_ruleset(load_ruleset(path))
        case = load_case(rng.choice(w.case_paths))
        evaluate_with(crs, case, explain=rng.random() < 0.3)
    finally:
        path.unlink()
    return "evaluated"


def gen_case(rng: random.Random, w: World) -> str:
    return mutate(rng.choice(w.case_texts), rng)


def run_case(text: str, rng: random.Random, w: World) -> str:
    from tildeling.engine import evaluate_with
    from tildeling.rules.cases import load_case
    w.scratch.write_bytes(text.encode("utf-8", "surrogatepass"))
    case = load_case(w.scratch)
    as_of = None if rng.random() < 0.8 else dt.date(rng.randint(1990, 2040), rng.randint(1, 12), 1)
    crs, warns = w.engine.choose(case, as_of=as_of)
    evaluate_with(crs, case, as_of=as_of, explain=rng.random() < 0.3, warnings=warns)
    return "evaluated"


def gen_resolve(rng: random.Random, w: World) -> str:
    return ""  # the catalogue is built in run_resolve from the same generator


def run_resolve(_text: str, rng: random.Random, w: World) -> str:
    from tildeling.rules.resolve import CatalogEntry, resolve
    if rng.random() < 0.3:
        entries = list(w.catalog)
    else:
        ids = [f"rs{i}" for i in range(rng.randint(1, 8))]
        entries = []
        for i in range(rng.randint(0, 10)):
            start = dt.date(rng.randint(2015, 2025), rng.randint(1, 12), 1)
            end = None if rng.random() < 0.4 else start + dt.timedelta(days=rng.randint(-30, 2000))
            sup = tuple(rng.choice(ids + ["ukjent"]) for _ in range(rng.randint(0, 4)))
            entries.append(CatalogEntry(Path(f"/x/{i}.yaml"), rng.choice(ids), "1", rng.choice(MUNICIPALITIES),
                                        start, end, "adopted", sup, "nb", False))
    on = dt.date(rng.randint(2010, 2030), rng.randint(1, 12), rng.randint(1, 28))
    res = resolve(entries, rng.choice(MUNICIPALITIES), on)
    return "resolved" if res else "unknown"


GENERATORS = {"expr": gen_expr, "yaml": gen_yaml, "ruleset": gen_ruleset, "case": gen_case, "resolve": gen_resolve}
RUNNERS = {"expr": run_expr, "yaml": run_yaml, "ruleset": run_ruleset, "case": run_case, "resolve": run_resolve}


# --- the driver ----------------------------------------------------------------------------------

class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _place(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if "/tildeling/" in f.filename and "/scripts/" not in f.filename] or frames[-1:]
    if not mine:
        return "?"
    f = mine[-1]
    return f"{Path(f.filename).name}:{f.lineno} ({f.name})"


def target_of(i: int, only: str | None) -> str:
    return only or PATTERN[i % len(PATTERN)]


def one(i: int, seed: int, only: str | None) -> tuple[str, str, BaseException | None, float, str]:
    w = _world()
    target = target_of(i, only)
    rng = random.Random(f"{seed}:{i}")
    text = GENERATORS[target](rng, w)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        outcome = RUNNERS[target](text, rng, w)
        exc = None
    except TildelingError:
        outcome, exc = "rejected", None
    except _Hang as e:
        outcome, exc = "hang", e
    except (Exception, RecursionError) as e:  # noqa: BLE001 - every other exception is a finding
        outcome, exc = "crash", e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.monotonic() - start
    if elapsed > HANG_SECONDS:
        outcome = "hang"
    return target, outcome, exc, elapsed, text


def work(chunk: tuple[int, int, int, str | None]) -> tuple[Counter, dict, dict, Counter]:
    lo, hi, seed, only = chunk
    signal.signal(signal.SIGALRM, _alarm)
    counts: Counter = Counter()
    seconds: Counter = Counter()
    findings: dict = {}
    hangs: dict = {}
    for i in range(lo, hi):
        target, outcome, exc, elapsed, text = one(i, seed, only)
        counts[(target, outcome)] += 1
        seconds[target] += elapsed
        if outcome == "crash":
            key = (target, type(exc).__name__, _place(exc))
            findings.setdefault(key, [i, 0, text[:300]])[1] += 1
        elif outcome == "hang":
            hangs.setdefault(target, [i, 0, text[:300]])[1] += 1
    return counts, findings, hangs, seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--chunk", type=int, default=2000)
    ap.add_argument("--only", choices=TARGETS)
    ap.add_argument("--replay", type=int, help="run input INDEX alone and show its traceback")
    args = ap.parse_args(argv)
    global SCRATCH
    SCRATCH = tempfile.mkdtemp(prefix="tildeling-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        return _run(args)
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)


def _run(args) -> int:

    if args.replay is not None:
        signal.signal(signal.SIGALRM, _alarm)
        target, outcome, exc, elapsed, text = one(args.replay, args.seed, args.only)
        print(f"input {args.replay} ({target}): {outcome} in {elapsed:.3f} s\n--- input ---\n{text!r}")
        if exc is not None:
            traceback.print_exception(exc)
        return 1 if outcome in ("crash", "hang") else 0

    chunks = [(lo, min(lo + args.chunk, args.count), args.seed, args.only) for lo in range(0, args.count, args.chunk)]
    counts: Counter = Counter()
    seconds: Counter = Counter()
    findings: dict = {}
    hangs: dict = {}
    started = time.monotonic()
    done = 0
    with mp.get_context("fork").Pool(args.workers) as pool:
        for c, f, h, s in pool.imap_unordered(work, chunks):
            counts.update(c)
            seconds.update(s)
            for key, (i, n, text) in f.items():
                entry = findings.setdefault(key, [i, 0, text])
                entry[1] += n
                if i < entry[0]:
                    entry[0], entry[2] = i, text
            for key, (i, n, text) in h.items():
                entry = hangs.setdefault(key, [i, 0, text])
                entry[1] += n
            done += sum(c.values())
            if done % 100_000 < args.chunk:
                print(f"  {done:>9,} inputs, {time.monotonic() - started:7.0f} s", file=sys.stderr, flush=True)
    wall = time.monotonic() - started
    _report(counts, seconds, findings, hangs, wall, args)
    return 1 if findings or hangs else 0


def _report(counts: Counter, seconds: Counter, findings: dict, hangs: dict, wall: float, args) -> None:
    outcomes = ["accepted", "rejected", "crash", "hang"]
    print(f"\ntildeling fuzz: seed {args.seed}, {args.workers} worker(s), {wall:.0f} s wall clock\n")
    print(f"{'target':<9}{'inputs':>11}{'accepted':>11}{'rejected':>11}{'other exc':>11}{'hangs>5s':>10}"
          f"{'ms/input':>10}")
    total = Counter()
    for t in TARGETS:
        n = sum(v for (tt, _), v in counts.items() if tt == t)
        if not n:
            continue
        row = {o: 0 for o in outcomes}
        for (tt, o), v in counts.items():
            if tt == t:
                row[o if o in row else "accepted"] += v
        total.update(row)
        total["inputs"] += n
        print(f"{t:<9}{n:>11,}{row['accepted']:>11,}{row['rejected']:>11,}{row['crash']:>11,}{row['hang']:>10,}"
              f"{1000 * seconds[t] / n:>10.2f}")
    print(f"{'total':<9}{total['inputs']:>11,}{total['accepted']:>11,}{total['rejected']:>11,}{total['crash']:>11,}"
          f"{total['hang']:>10,}")
    if findings:
        print("\nexceptions that are not TildelingError (target, type, place: count, first input):")
        for (t, typ, place), (i, n, text) in sorted(findings.items()):
            print(f"  {t:<8} {typ:<20} {place}: {n} × (replay: --replay {i} --seed {args.seed}) {text[:120]!r}")
    if hangs:
        print("\ninputs over 5 s:")
        for t, (i, n, text) in sorted(hangs.items()):
            print(f"  {t:<8} {n} × (replay: --replay {i} --seed {args.seed}) {text[:120]!r}")


if __name__ == "__main__":
    sys.exit(main())
