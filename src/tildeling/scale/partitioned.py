"""The columnar plan run partitioned on Dask: one rule set, many rows, many workers.

    records = evaluate_partitioned("rules/drammen/drammen-2021.yaml", rows,
                                   scheduler="tcp://planlegger:8786", partitions=16)

``rows``: :class:`~tildeling.rules.cases.Case` objects, or ``(env, services)`` pairs (a fact
environment as ``walker.environment`` builds it, and the services applied for). The rows
are cut into ``partitions`` contiguous parts; each Dask task gets the rule set *as text*
(the rule-set file and the vocabulary, staircase and parameter files it uses, with the
rule set's sha256) and one part. A worker writes the texts into a private temporary
directory, loads and compiles them once per process (cached by the sha256, which it checks
against the one sent: a worker never decides by rules other than the caller's), builds the
columns of its part and decides it with :func:`tildeling.evaluation.columnar.evaluate`. It
returns small records, ``(row index, [(service, outcome, step, amount, leaf id,
initiative), …])``; the caller puts them back in row order, so the result is the same list,
in the same order, whatever the number of partitions or workers. No compiled plan, code or
pickled rule object crosses the network.

``scheduler``: None runs in this process without Dask (the local run the Dask run must
equal); ``"local"`` starts a :class:`distributed.LocalCluster` for the call; an address
(``"tcp://host:8786"``) connects to a running scheduler; a ``distributed.Client`` is used as
it is. Dask is imported only here, and only when a scheduler is given
(``pip install 'tildeling[dask]'``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Sequence

from tildeling.engine import Engine
from tildeling.evaluation.compiler import compile_ruleset
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.files.yamlload import load_yaml_file
from tildeling.rules.cases import Case
from tildeling.rules.ruleset import load_ruleset
from tildeling.scale.case_columns import case_row

#: A rule set as text: (file name of the rule set, {relative path: text}, sha256 of the rule set).
Bundle = tuple[str, dict[str, str], str]

_COMPILED: dict[str, CompiledRuleSet] = {}  # per worker process: sha256 of the texts → compiled rule set


def rule_set_bundle(path: str | Path, engine: Engine | None = None) -> Bundle:
    """The rule-set file and the files it ``uses``, as texts, with the rule set's sha256
    (the loader's: rule set and shared files; ``engine``: compile through its cache)."""
    path = Path(path)
    doc = load_yaml_file(path, str(path))
    uses = doc.data.get("uses", {}) if isinstance(doc.data, dict) else {}
    names = [uses.get("vocabulary"), uses.get("staircase"), *(uses.get("parameters") or [])]
    texts = {path.name: path.read_text(encoding="utf-8")}
    for name in names:
        if isinstance(name, str):
            texts[name] = (path.parent / name).read_text(encoding="utf-8")
    sha = (engine.compiled(path).ruleset if engine is not None else load_ruleset(path)).sha256
    return path.name, texts, sha


def compiled_from_bundle(bundle: Bundle) -> CompiledRuleSet:
    """Compile a bundle once per process; the rule set must have the sha256 sent with it."""
    name, texts, sha = bundle
    content = hashlib.sha256(repr(sorted(texts.items())).encode("utf-8")).hexdigest()
    found = _COMPILED.get(content)
    if found is not None and found.ruleset.sha256 == sha:
        return found
    depth = max((PurePosixPath(p).parts.count("..") for p in texts), default=0)
    with tempfile.TemporaryDirectory(prefix="tildeling-regelsett-") as tmp:
        base = Path(tmp, *(f"d{i}" for i in range(depth)))
        for rel, text in texts.items():
            target = (base / rel).resolve()
            if not str(target).startswith(os.path.realpath(tmp)):
                raise ValueError(f"{rel}: outside the rule set's directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        crs = compile_ruleset(load_ruleset(base / name, display=name))
    if crs.ruleset.sha256 != sha:
        raise ValueError(f"{name}: the worker's rule set has sha256 {crs.ruleset.sha256}, not {sha}")
    if len(_COMPILED) > 32:
        _COMPILED.clear()
    _COMPILED[content] = crs
    return crs


def decide_part(bundle: Bundle, start: int, part: Sequence[tuple]) -> list[tuple[int, list]]:
    """One partition (a Dask task): rows ``start …`` decided by the columnar evaluator;
    ``(row index, records)`` per row."""
    from tildeling.evaluation.columnar import Population, evaluate, population_columns
    crs = compiled_from_bundle(bundle)
    envs = [r[0] for r in part]
    services = [tuple(r[1]) for r in part]
    apps = [r[2] if len(r) > 2 else None for r in part]
    pop = population_columns(crs, Population(envs, services, apps if any(a is not None for a in apps) else None))
    records = evaluate(crs, pop).records()
    return [(start + i, recs) for i, recs in enumerate(records)]


def rows_of(rule_set_path: str | Path, cases_or_rows: Iterable[Any], engine: Engine | None = None) -> list[tuple]:
    """``(env, services, applications or None)`` per row: a Case is judged as the engine
    would under this rule set; a pair (or triple) is taken as it is."""
    out: list[tuple] = []
    crs = None
    for item in cases_or_rows:
        if isinstance(item, Case):
            if crs is None:
                crs = (engine or Engine()).compiled(rule_set_path)
            out.append(case_row(crs, item))
        else:
            out.append(tuple(item) if len(item) > 2 else (item[0], tuple(item[1]), None))
    return out


def evaluate_partitioned(rule_set_path: str | Path, cases_or_rows: Iterable[Any], *, scheduler: Any = None,
                         partitions: int | None = None, engine: Engine | None = None) -> list[list[tuple]]:
    """Decide every row under the rule set at ``rule_set_path``, partitioned on Dask (see
    the module docstring); per row, in the order given, its decision records."""
    bundle = rule_set_bundle(rule_set_path, engine)
    rows = rows_of(rule_set_path, cases_or_rows, engine)
    if not rows:
        return []
    parts = max(1, min(partitions or 1, len(rows)))
    size = -(-len(rows) // parts)
    pieces = [(s, rows[s:s + size]) for s in range(0, len(rows), size)]
    if scheduler is None:
        results = [decide_part(bundle, s, piece) for s, piece in pieces]
    else:
        results = _run_on_dask(scheduler, bundle, pieces)
    merged = sorted((item for res in results for item in res), key=lambda item: item[0])
    return [recs for _, recs in merged]


def _run_on_dask(scheduler: Any, bundle: Bundle, pieces: list[tuple[int, list]]) -> list:
    return _run_tasks(scheduler, [(decide_part, (bundle, start, piece)) for start, piece in pieces])


# -- generated populations: each worker draws its own rows (a load test, no facts shipped) ----

#: Rows are drawn in blocks of this many, each from its own seed: any partitioning of the
#: blocks decides the same rows.
BLOCK = 10_000


def decide_generated(bundle: Bundle, seed: int, blocks: Sequence[int], n: int, known: float = 1.0,
                     block: int = BLOCK) -> list[tuple]:
    """Draw the rows of ``blocks`` (of a population of ``n``) from the rule set's
    vocabulary (:mod:`tildeling.scale.sample`) and decide them; per block ``(block, sha256 of
    its records in row order, {(service, outcome): count}, delegated rows, seconds spent
    {"draw", "columns", "decide", "records"})``."""
    import time

    from tildeling.evaluation.columnar import Population, evaluate, population_columns
    from tildeling.scale.sample import sample_envs, sample_services
    crs = compiled_from_bundle(bundle)
    out = []
    for b in blocks:
        count = min(block, n - b * block)
        t0 = time.perf_counter()
        envs = sample_envs(crs, count, seed=seed * 1_000_003 + b, known=known)
        services = sample_services(crs, count, seed=seed * 1_000_003 + b + 500_000)
        t1 = time.perf_counter()
        population = population_columns(crs, Population(envs, services))
        t2 = time.perf_counter()
        result = evaluate(crs, population)
        t3 = time.perf_counter()
        records = result.records()
        tally: dict[tuple[str, str], int] = {}
        for recs in records:
            for r in recs:
                tally[(r[0], r[1])] = tally.get((r[0], r[1]), 0) + 1
        digest = hashlib.sha256(repr(records).encode("utf-8")).hexdigest()
        t4 = time.perf_counter()
        seconds = {"draw": t1 - t0, "columns": t2 - t1, "decide": t3 - t2, "records": t4 - t3}
        out.append((b, digest, tally, result.delegated_count, seconds))
    return out


def evaluate_generated(rule_set_path: str | Path, n: int, *, seed: int = 1, known: float = 1.0,
                       scheduler: Any = None, partitions: int | None = None,
                       engine: Engine | None = None, block: int = BLOCK) -> list[tuple]:
    """A generated population of ``n`` rows decided under one rule set, partitioned like
    :func:`evaluate_partitioned` but with each task drawing its own rows (only the rule set
    and the block numbers travel). Per block, in order: see :func:`decide_generated`."""
    bundle = rule_set_bundle(rule_set_path, engine)
    blocks = list(range(-(-n // block)))
    parts = max(1, min(partitions or 1, len(blocks)))
    groups = [blocks[i::parts] for i in range(parts)]
    if scheduler is None:
        results = [decide_generated(bundle, seed, g, n, known, block) for g in groups]
    else:
        results = _run_tasks(scheduler, [(decide_generated, (bundle, seed, g, n, known, block)) for g in groups])
    return sorted((item for res in results for item in res), key=lambda item: item[0])


def _run_tasks(scheduler: Any, tasks: list[tuple]) -> list:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise ImportError("Dask is not installed: pip install 'tildeling[dask]'") from exc

    def run(client: Any) -> list:
        return client.gather([client.submit(fn, *args, pure=False) for fn, args in tasks])

    if isinstance(scheduler, Client):
        return run(scheduler)
    if scheduler == "local":
        with LocalCluster(processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
            return run(client)
    with Client(scheduler) as client:
        return run(client)
