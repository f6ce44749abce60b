"""Compare two rule sets over a corpus of cases: what changes, and why (``tildeling diff``).

Every case is evaluated under the old and the new rule set. For each (case, service applied
for) the report holds both outcomes, steps and amounts; an item has *changed* when the
outcome, the step or the amount differs. For the changed items only, both sides are
evaluated again with the trace switched on, and the two traces for the service are compared
event by event: the first index where ``(kind, rule, value)`` differs is the first point of
divergence. Rule ids are stable across rule sets derived from one another, so this names the
condition that answers differently (same rule, other value), the rule that was added, removed
or moved (other rule), or — when the traces agree — the amount or step of the decisive rule
and the parameters behind it (:mod:`tildeling.compare.cause`).

A corpus is streamed: its sources (:func:`tildeling.corpus.read.iter_sources`) are read and
compared in chunks, on worker processes when ``workers`` > 1 (:mod:`tildeling.compare.workers`),
each returning a small :class:`CaseResult` per case; the report counts them as they arrive
(:class:`~tildeling.compare.counts.ItemCounts`), keeps the item list sorted in bounded memory
(:class:`~tildeling.compare.spill.SortedSpill`) and the changed items with their causes up to
``max_changes``. The report is the same, byte for byte, for any number of workers.

Health data stays out unless asked for: without ``show_facts`` the report holds case ids,
services, outcomes, rule ids, conditions as written in the rule files and the *names* of the
facts involved, and reason texts show their placeholders (``{husholdsbehov}``) instead of
the case's values.

    from tildeling.compare.diff import run_diff, parse_spec
    report = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"), files)
    report.to_json()["summary"]["changed"]
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from tildeling.compare.cause import NOT_DESCRIBED, align, environments, explain_change
from tildeling.compare.counts import OUTCOMES, ItemCounts
from tildeling.compare.sides import (AUTO, NotCovered, Spec, _Uncovered, choose, covers, merger_of,  # noqa: F401
                                     pair, parse_spec, precompile)
from tildeling.compare.spill import FirstN, SortedSpill
from tildeling.compare.stream import broken_news, chunked, error_entries, sources_of, stream
from tildeling.compare.workers import start_method
from tildeling.core.errors import RuleSetError
from tildeling.corpus.read import Source, load_source
from tildeling.engine import Engine, evaluate_with, input_failure, judged_date
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.files.discover import Found, InputFailure, Tally, discover
from tildeling.files.outcome import CaseOutcome, Decision
from tildeling.rules.cases import Case, SkippedInput

_RANK = {"innvilget": 3, "delvis_innvilget": 2, "avslag": 1}  # uavklart is not ranked


# --- the report --------------------------------------------------------------------------------

@dataclass(slots=True)
class Side:
    rule_set: str  # "id version"
    outcome: str
    step: int | None
    amount: Any
    unit: str
    rule: str | None  # the decisive (first reason's) rule
    missing: list[str]

    def key(self) -> tuple:
        return (self.outcome, self.step, self.amount)

    def to_json(self) -> dict:
        return {"rule_set": self.rule_set, "outcome": self.outcome, "step": self.step, "amount": self.amount,
                "unit": self.unit, "rule": self.rule, "missing": list(self.missing)}


@dataclass(slots=True)
class Item:
    case: str
    file: str
    service: str
    service_name: str
    old: Side
    new: Side
    changed: bool
    kind: str  # "gain" | "loss" | "other" | "unchanged"
    cause: dict | None = None

    def sort_key(self) -> tuple:
        return (self.case, self.file, self.service)

    def to_json(self, *, detail: bool = False) -> dict:
        out = {"case": self.case, "file": self.file, "service": self.service, "service_name": self.service_name,
               "old": self.old.to_json(), "new": self.new.to_json(), "changed": self.changed, "kind": self.kind}
        if detail and self.cause is not None:
            out.update(self.cause)
        return out

    def brief(self) -> "Item":
        """The item as the full list shows it: of the cause only its kind and rule and the rules
        where the traces part (what a CSV row has), not the traces, texts and parameters."""
        if self.cause is None:
            return self
        c = self.cause.get("cause") or {}
        div = self.cause.get("divergence")
        short = None if not div else {"index": div.get("index"),
                                      "old": {"rule": div["old"]["rule"]} if div.get("old") else None,
                                      "new": {"rule": div["new"]["rule"]} if div.get("new") else None}
        return Item(self.case, self.file, self.service, self.service_name, self.old, self.new, self.changed,
                    self.kind, {"cause": {"kind": c.get("kind"), "rule": c.get("rule")}, "divergence": short})


@dataclass
class UsedRuleSet:
    id: str
    version: str
    sha256: str
    path: str
    municipality: str
    items: int = 0

    def to_json(self) -> dict:
        return {"id": self.id, "version": self.version, "sha256": self.sha256, "path": self.path,
                "municipality": self.municipality, "items": self.items}


DEFAULT_MAX_CHANGES = 10_000
ITEMS_IN_MEMORY = 20_000  # items held before a sorted run of them goes to a temporary file


@dataclass
class DiffReport:
    """What a diff found, counted as the cases came in (:class:`ItemCounts`); the full item
    list lives in a :class:`SortedSpill` (in memory up to ``ITEMS_IN_MEMORY`` items, then in
    sorted runs on disk), and the changed items with their causes up to ``max_changes`` (the
    first ones in report order; the others are counted, by cause, in ``counts``)."""

    old_spec: Spec
    new_spec: Spec
    as_of: _dt.date | None
    lang: str
    show_facts: bool
    max_changes: int | None = DEFAULT_MAX_CHANGES
    files: int = 0
    cases: int = 0
    counts: ItemCounts = field(default_factory=ItemCounts)
    store: SortedSpill = field(default_factory=lambda: SortedSpill(Item.sort_key, ITEMS_IN_MEMORY))
    errors: list[dict] = field(default_factory=list)
    rule_set_errors: list[dict] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    skipped: list[SkippedInput] = field(default_factory=list)  # files that are not cases (a service map)
    used: dict[str, dict[tuple, UsedRuleSet]] = field(default_factory=lambda: {"old": {}, "new": {}})
    fallback: dict[str, UsedRuleSet | None] = field(default_factory=lambda: {"old": None, "new": None})
    outside: dict[tuple, int] = field(default_factory=dict)  # (side, id, version, validity) → cases
    not_covered: FirstN[dict] = field(init=False)  # cases the diff leaves out, and why
    _changes: FirstN[Item] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._changes = FirstN(Item.sort_key, self.max_changes)
        self.not_covered = FirstN(lambda e: (e["case"], e["source"]), self.max_changes)

    def add(self, item: Item) -> None:
        """Count one item, keep its short form for the list, and its cause when it changed
        and is among the first ``max_changes`` changes in report order."""
        self.counts.add(item)
        self.store.add(item.brief())
        if item.changed:
            self._changes.add(item)

    def warnings(self) -> list[dict]:
        """Rule sets used for cases dated outside their validity period."""
        return [{"side": side, "rule_set": f"{rid} {version}", "validity": validity, "cases": n}
                for (side, rid, version, validity), n in sorted(self.outside.items(),
                                                                 key=lambda kv: (kv[0][0] != "old", kv[0][1:]))]

    # -- aggregates --

    @property
    def changes(self) -> list[Item]:
        """The changed items with their causes, in report order: all of them, or the first
        ``max_changes`` (:attr:`changes_omitted` says how many more there are)."""
        return self._changes.items

    @property
    def changes_omitted(self) -> int:
        return self.counts.changed - len(self.changes)

    def iter_items(self) -> Iterator[Item]:
        """Every item in report order (case, file, service), short form (:meth:`Item.brief`),
        read back from memory or disk one at a time."""
        return iter(self.store)

    @property
    def items(self) -> list[Item]:
        """Every item as a list: for small corpora and tests (:meth:`iter_items` streams)."""
        return list(self.store)

    def summary(self) -> dict:
        c = self.counts
        return {"files": self.files, "cases": self.cases, "not_covered": self.not_covered.count, "services": c.items,
                "changed": c.changed, "unchanged": c.kinds["unchanged"],
                "gains": c.kinds["gain"], "losses": c.kinds["loss"], "other": c.kinds["other"],
                "errors": len({e["file"] for e in self.errors}), **self.tally.to_json(),
                "by_service": self.by_service()}

    def by_service(self) -> list[dict]:
        return self.counts.by_service()

    def outcome_matrix(self) -> dict:
        return self.counts.outcome_matrix()

    def step_matrix(self) -> dict:
        return self.counts.step_matrix()

    def changes_truncated(self) -> dict | None:
        """When changes were left out of the list: how many were shown and left out, and every
        changed item counted by cause; ``None`` when the list is complete."""
        omitted = self.changes_omitted
        if not omitted:
            return None
        return {"shown": len(self.changes), "omitted": omitted, "max_changes": self.max_changes,
                "by_cause": self.counts.by_cause()}

    def rule_set_info(self, side: str) -> dict:
        spec = self.old_spec if side == "old" else self.new_spec
        used = sorted(self.used[side].values(), key=lambda u: (u.id, u.version, u.path))
        shown = used if used else ([self.fallback[side]] if self.fallback[side] else [])
        one = shown[0] if len(shown) == 1 else None
        ids = sorted({u.id for u in shown})  # type: ignore[union-attr]  # shown lists the fallback only when set
        return {"spec": spec.text,
                "id": one.id if one else (ids[0] if len(ids) == 1 else None),
                "version": one.version if one else None,
                "sha256": one.sha256 if one else None,
                "municipality": one.municipality if one else None,
                "versions": [u.to_json() for u in used]}

    def to_json(self, *, items: bool = True) -> dict:
        """The JSON report as a dict; ``items=False`` leaves the item list empty (a writer that
        streams the items puts them in its place)."""
        out: dict[str, Any] = {
            "old": self.rule_set_info("old"),
            "new": self.rule_set_info("new"),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "language": self.lang,
            "show_facts": self.show_facts,
            "summary": self.summary(),
            "matrix": {"outcome": self.outcome_matrix(), "step": self.step_matrix()},
            "changes": [i.to_json(detail=True) for i in self.changes],
        }
        truncated = self.changes_truncated()
        if truncated is not None:
            out["changes_truncated"] = truncated
        out.update({
            "items": [i.to_json() for i in self.iter_items()] if items else [],
            "not_covered": list(self.not_covered.items),
            "not_covered_omitted": self.not_covered.omitted,
            "errors": list(self.errors),
            "skipped": [s.file for s in self.skipped],
            "rule_set_errors": list(self.rule_set_errors),
            "warnings": self.warnings(),
        })
        return out

    def close(self) -> None:
        """Remove the temporary files of the item list (also done when the report is collected)."""
        self.store.close()


def classify(old: Side, new: Side) -> str:
    if old.key() == new.key():
        return "unchanged"
    a, b = _RANK.get(old.outcome), _RANK.get(new.outcome)
    if a is not None and b is not None and a != b:
        return "gain" if b > a else "loss"
    return "other"


# --- one case ------------------------------------------------------------------------------------

@dataclass(slots=True)
class CaseResult:
    """What one source gave, small enough to send from a worker process: the items (the
    changed ones with their cause) and the rule sets used, or why it was skipped or failed."""

    name: str
    items: list[Item] = field(default_factory=list)
    used: tuple = ()  # ((id, version, sha256, path, municipality) old, … new) when done
    outside: list[tuple] = field(default_factory=list)
    skipped: tuple | None = None  # (file, kind) — SkippedInput itself does not pickle
    failure: InputFailure | None = None
    not_covered: NotCovered | None = None  # when no comparison is made
    group: str | None = None  # the harmonisation report's legacy municipality
    description: str | None = None  # only when personal data was asked for


@dataclass(frozen=True)
class DiffTask:
    """What every worker needs to know (plain data). ``columnar``: decide each chunk of plain
    cases with the columnar evaluator first (:mod:`tildeling.compare.columnar_pass`), and
    case by case only what it cannot give; the results are the same either way."""

    rules_dir: str
    old: Spec
    new: Spec
    as_of: _dt.date | None
    lang: str | None
    show_facts: bool
    columnar: bool = False


def diff_source(engine: Engine, task: DiffTask, source: Source) -> CaseResult:
    """Read one source and compare it under both rule sets. Never raises for a bad input:
    the failure (or the skip) is in the result."""
    name = source.name
    try:
        case = load_source(source)
    except SkippedInput as skip:
        return CaseResult(name, skipped=(skip.file, skip.kind))
    except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
        return CaseResult(name, failure=input_failure(name, exc))
    return diff_case(engine, task, case, name)


def diff_case(engine: Engine, task: DiffTask, case: Case, name: str) -> CaseResult:
    """Compare one case read from the source ``name`` under both rule sets, case by case
    (with the explanations, and the cause of each change). Never raises for a bad input."""
    try:
        engine.check_expectations(case)
        try:
            crs = pair(engine, task, case)
        except _Uncovered as left_out:
            return CaseResult(name, not_covered=left_out.why)
        outs = {s: evaluate_with(c, case, as_of=task.as_of, lang=task.lang, explain=False) for s, c in crs.items()}
        return compare_case(case, name, crs, outs, task.as_of, task.lang, task.show_facts)
    except SkippedInput as skip:
        return CaseResult(name, skipped=(skip.file, skip.kind))
    except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
        return CaseResult(name, failure=input_failure(name, exc))


def outside_validity(case: Case, crs: dict[str, CompiledRuleSet], as_of: _dt.date | None) -> list[tuple]:
    """``(side, id, version, validity)`` for each side whose rule set is not in force on the
    date the case is judged on."""
    outside = []
    for s, c in crs.items():
        if not c.ruleset.in_force(judged_date(c, case, as_of)):
            m = c.ruleset.meta
            validity = f"{m.valid_from.isoformat()} – {m.valid_to.isoformat() if m.valid_to else '…'}"
            outside.append((s, c.ruleset.id, c.ruleset.version, validity))
    return outside


def used_rule_sets(crs: dict[str, CompiledRuleSet]) -> tuple:
    """What :attr:`CaseResult.used` holds: (id, version, sha256, path, municipality) old, new."""
    return tuple((c.ruleset.id, c.ruleset.version, c.ruleset.sha256, c.ruleset.path, c.ruleset.meta.municipality)
                 for c in (crs["old"], crs["new"]))


def compare_case(case: Case, name: str, crs: dict[str, CompiledRuleSet], outs: dict[str, CaseOutcome],
                 as_of: _dt.date | None, lang: str | None, show_facts: bool,
                 parameters_on: dict[str, _dt.date | None] | None = None) -> CaseResult:
    """The items of one case evaluated under both rule sets (all of them, or an exception);
    ``parameters_on`` (per side) as :func:`tildeling.engine.evaluate_with` takes it."""
    outside = outside_validity(case, crs, as_of)
    items: list[Item] = []
    traced: dict[str, CaseOutcome] | None = None
    envs: dict[str, dict] | None = None
    # The services applied for, pairwise (both sides list them first, in the same order); the
    # decisions either side makes on the municipality's own initiative are not compared here.
    applied = [[d for d in outs[s].decisions if d.initiative != "kommunen"] for s in ("old", "new")]
    labels = {s: f"{outs[s].rule_set.id} {outs[s].rule_set.version}" for s in ("old", "new")}
    for d_old, d_new in zip(*applied):
        old, new = _side(labels["old"], d_old), _side(labels["new"], d_new)
        kind = classify(old, new)
        # A service applied for in two forms is two items: «tjeneste/form», as in expectations.
        item_key = d_old.service + (f"/{d_old.applied.form}" if d_old.applied is not None and d_old.applied.form else "")
        item = Item(case.id, name, item_key, d_new.service_name or d_old.service_name
                    or d_old.service, old, new, kind != "unchanged", kind)
        if item.changed:
            if traced is None:
                ons = parameters_on or {}
                traced = {s: evaluate_with(c, case, as_of=as_of, lang=lang, explain=True, parameters_on=ons.get(s))
                          for s, c in crs.items()}
                envs = environments(case, crs, as_of, ons)  # once per case, not per changed service
            item.cause = explain_change(case, crs, traced, d_old.service, as_of, show_facts, envs)
        items.append(item)
    return CaseResult(name, items, used_rule_sets(crs), outside)


def _side(label: str, d: Decision) -> Side:
    amount = d.amount
    return Side(label, d.outcome, d.step, amount.value if amount else None,
                amount.unit if amount else "", d.reasons[0].rule if d.reasons else None,
                list(d.missing))


# --- the worker processes ----------------------------------------------------------------------

_WORKER: tuple[Engine, DiffTask] | None = None
_WORKER_BROKEN = 0


def _setup_worker(task: DiffTask, engine: Engine | None = None) -> None:
    """Once per worker: its own engine (inherited from the parent when forked, with the rule
    sets compiled already; else built and compiled here)."""
    global _WORKER, _WORKER_BROKEN
    if engine is None:
        engine = Engine(task.rules_dir)
        precompile(engine, task.old)
        precompile(engine, task.new)
    _WORKER = (engine, task)
    _WORKER_BROKEN = 0


def _work(chunk: list[Source]) -> tuple[list[CaseResult], list[tuple[str, list[dict]]]]:
    """One chunk of sources; with the invalid rule sets this worker met since its last chunk."""
    global _WORKER_BROKEN
    assert _WORKER is not None, "_setup_worker runs first"
    engine, task = _WORKER
    if task.columnar and columnar_available():
        from tildeling.compare.columnar_pass import diff_chunk  # numpy: only when a corpus is compared

        results = diff_chunk(engine, task, chunk)
    else:
        results = [diff_source(engine, task, s) for s in chunk]
    _WORKER_BROKEN, news = broken_news(engine, _WORKER_BROKEN, task.lang)
    return results, news



# --- running it ----------------------------------------------------------------------------------

def collect_files(paths: list[Path]) -> Found:
    """The case files under ``paths`` (:func:`tildeling.files.discover.discover`): files
    named, folders walked for ``*.yaml`` and ``*.yml``, and the paths that cannot be read."""
    return discover(paths)


def columnar_available() -> bool:
    """Whether the columnar first pass can run here (numpy is installed: extra ``columnar``)."""
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


CHUNK_SIZE = 64  # sources per chunk, case by case
COLUMNAR_CHUNK_SIZE = 512  # sources per chunk with the columnar first pass (a population per chunk)


def run_diff(engine: Engine, old: Spec, new: Spec, files: Sequence[Path] | Found | Iterable[Source | InputFailure],
             *, as_of: _dt.date | None = None, lang: str | None = None, show_facts: bool = False,
             workers: int = 1, chunk_size: int | None = None, max_changes: int | None = DEFAULT_MAX_CHANGES,
             progress: Callable[[int], None] | None = None, columnar: bool = False) -> DiffReport:
    """Evaluate every case under both rule sets. An input that fails — a broken case file,
    a case judged by an invalid rule set — is recorded in ``errors`` (the rule set's own
    errors once, in ``rule_set_errors``) and the rest still run.

    ``files`` is a :class:`Found`, a list of case files, or the sources of
    :func:`tildeling.corpus.read.iter_sources` (read one at a time, never all held).
    ``workers`` > 1 reads and evaluates chunks of ``chunk_size`` sources on that many worker
    processes; the report is the same, byte for byte, for any number. ``progress`` is called
    with the number of sources handled so far, after each chunk. ``columnar`` (when numpy is
    installed) decides each chunk's plain cases with the columnar evaluator first and case by
    case only the changed ones and what the columns cannot decide
    (:mod:`tildeling.compare.columnar_pass`); the report is the same, byte for byte. It is off
    by default: measured on generated corpora it is not faster than case by case, whose cost
    is now mostly reading and checking each case (docs/ytelse.md, «Første gjennomgang kolonnevis»)."""
    if chunk_size is None:
        chunk_size = COLUMNAR_CHUNK_SIZE if columnar else CHUNK_SIZE
    precompile(engine, old)
    precompile(engine, new)
    report = DiffReport(old, new, as_of, lang or "nb", show_facts, max_changes=max_changes)
    for side, spec in (("old", old), ("new", new)):
        report.fallback[side] = _fallback(engine, spec)
    task = DiffTask(str(engine.directory), old, new, as_of, lang, show_facts, columnar)
    if workers > 1:
        setup_args: tuple = (task, engine if start_method() == "fork" else None)
    else:
        setup_args = (task, engine)
    done = stream(engine, _setup_worker, setup_args, _work, files, lambda r: _add(report, r),
                  lang=report.lang, workers=workers, chunk_size=chunk_size, progress=progress)
    report.files = done.sources
    report.tally = Tally(done=report.cases, failed=len(done.failures), skipped=len(report.skipped),
                         records=done.records)
    report.errors = done.errors
    report.rule_set_errors = done.rule_set_errors
    return report


def _add(report: DiffReport, r: CaseResult) -> None:
    if r.skipped is not None:
        report.skipped.append(SkippedInput(*r.skipped))
        return
    report.cases += 1
    if r.not_covered is not None:
        report.not_covered.add(r.not_covered.to_json(r.name, report.lang))
        return
    for key in r.outside:
        report.outside[key] = report.outside.get(key, 0) + 1
    if r.items:
        for side, (rid, version, sha, path, municipality) in zip(("old", "new"), r.used):
            key = (rid, version, path)
            u = report.used[side].get(key)
            if u is None:
                u = report.used[side][key] = UsedRuleSet(rid, version, sha, path, municipality)
            u.items += len(r.items)
    for item in r.items:
        report.add(item)


def _fallback(engine: Engine, spec: Spec) -> UsedRuleSet | None:
    """What to name in the header when no case was evaluated."""
    e = engine.by_id(spec.text) if spec.kind == "id" else None
    path = spec.text if spec.kind == "path" else (e.path if e else None)
    if path is None:
        return None
    try:
        crs = engine.compiled(path)
    except RuleSetError:
        return None
    rs = crs.ruleset
    return UsedRuleSet(rs.id, rs.version, rs.sha256, rs.path, rs.meta.municipality)


__all__ = ["AUTO", "Spec", "parse_spec", "choose", "precompile", "run_diff", "NotCovered", "pair", "covers", "merger_of", "collect_files", "DiffReport", "Item", "Side", "OUTCOMES",
           "compare_case", "chunked", "sources_of", "error_entries", "stream", "broken_news",
           "align", "classify", "explain_change", "NOT_DESCRIBED", "CaseResult", "DiffTask", "diff_source",
           "diff_case", "outside_validity", "used_rule_sets", "DEFAULT_MAX_CHANGES"]
