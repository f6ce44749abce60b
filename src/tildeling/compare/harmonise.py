"""The harmonisation report (``tildeling harmonise``): for a merged municipality, every case
under the legacy rule set of *its own* former municipality and under the harmonised set —
never a set against itself — counted per legacy municipality and per service.

How a case's former municipality is found is :mod:`tildeling.rules.merger` (a case that
cannot be placed is *not covered*: listed and counted, never guessed). Each side judges the
case on its own date (ages, facts, law numbering); the legacy set is the former
municipality's set in force on that date, else the nearest one, and the harmonised set's
version likewise. A set used outside its validity is flagged (``outside_validity``) and its
*parameters* are taken on the nearest date inside its window
(:func:`tildeling.engine.evaluate_with` ``parameters_on``), so that a parameter without a value
then does not make an artefact.

The comparison of one case is the diff's (:func:`tildeling.compare.diff.compare_case`: the
items, the cause of each changed one from the first divergence of the two traces); the corpus
streams through the diff's worker machinery (:func:`tildeling.compare.workers.ordered_map`),
so the report is the same, byte for byte, for any number of workers. What is counted
(docs/harmonisering.md): *cases* (case files or records), *assessments* (case × service
applied for: the unit of every table), *persons* (= cases: no person id exists).

    from tildeling.compare.harmonise import run_harmonise
    data = run_harmonise(engine, "drammen", sources).to_json()
    data["municipalities"][2]["directions"]
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from tildeling.compare.diff import CaseResult, Item, NotCovered, Side, broken_news, compare_case, stream
from tildeling.compare.spill import FirstN
from tildeling.compare.workers import start_method
from tildeling.core.diagnostics import suggest
from tildeling.core.errors import RuleSetError, UsageError
from tildeling.corpus.read import Source, load_source
from tildeling.engine import Engine, case_environment, evaluate_with, input_failure, judged_date
from tildeling.files.discover import InputFailure, Tally  # noqa: F401 - InputFailure: the sources' type
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.rules.cases import SkippedInput
from tildeling.rules.merger import Merger, find_merger, mergers, window_date

OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart", "ikke_beskrevet")
NOT_DESCRIBED = "ikke_beskrevet"
DIRECTIONS = ("gain", "loss", "unchanged", "unranked")
STEPS = tuple(str(s) for s in range(1, 14))
NO_STEP = "none"
EXAMPLES = 20  # example case ids per cause
DEFAULT_MAX_CHANGES = 10_000
_RANK = {"innvilget": 3, "delvis_innvilget": 2, "avslag": 1}


# --- one assessment ------------------------------------------------------------------------------

def direction(before: Side, after: Side) -> str:
    """``gain``, ``loss``, ``unchanged`` or ``unranked`` (docs/harmonisering.md):

    >>> a = Side("x 1", "avslag", 3, None, "", "r", [])
    >>> b = Side("y 1", "innvilget", 3, 4.0, "timer/uke", "s", [])
    >>> direction(a, b), direction(b, a), direction(b, b)
    ('gain', 'loss', 'unchanged')
    >>> direction(b, Side("y 1", "innvilget", 3, 6.0, "timer/uke", "s", []))
    'gain'
    >>> direction(b, Side("y 1", "innvilget", 4, 4.0, "timer/uke", "s", []))
    'unranked'
    """
    if (before.outcome, before.step, before.amount) == (after.outcome, after.step, after.amount):
        return "unchanged"
    a, b = _RANK.get(before.outcome), _RANK.get(after.outcome)
    if a is None or b is None:
        return "unranked"  # uavklart or ikke_beskrevet on either side
    if a != b:
        return "gain" if b > a else "loss"
    if (isinstance(before.amount, (int, float)) and isinstance(after.amount, (int, float))
            and before.unit == after.unit and before.amount != after.amount):
        return "gain" if after.amount > before.amount else "loss"
    return "unranked"  # only the step (or an amount that cannot be compared) changed


def step_key(step: int | None) -> str:
    return NO_STEP if step is None else str(step)


def _amount_pair(before: Side, after: Side) -> tuple[str, float | None, float | None] | None:
    """(unit, before, after) for the amount table; a side without an amount counts 0 when it
    refuses (avslag), else the pair is not comparable (``None`` values). ``None``: no amount."""
    if before.amount is None and after.amount is None:
        return None
    unit = before.unit if before.amount is not None else after.unit
    if before.amount is not None and after.amount is not None and before.unit != after.unit:
        return (unit, None, None)

    def value(s: Side) -> float | None:
        if isinstance(s.amount, bool):
            return None
        if isinstance(s.amount, (int, float)):
            return float(s.amount)
        return 0.0 if s.outcome == "avslag" and s.amount is None else None

    return (unit, value(before), value(after))


# --- counters ----------------------------------------------------------------------------------

class Figures:
    """Everything counted over a group of assessments (a legacy municipality, or one service
    of it): directions, steps, amounts per unit, step distribution and transition matrices."""

    __slots__ = ("assessments", "directions", "steps", "amounts", "outcomes", "step_pairs", "before", "after")

    def __init__(self) -> None:
        self.assessments = 0
        self.directions: Counter[str] = Counter({d: 0 for d in DIRECTIONS})
        self.steps: Counter[str] = Counter({"higher": 0, "lower": 0, "same": 0, "without_step": 0})
        self.amounts: dict[str, list] = {}  # unit → [more, fewer, same, not_comparable, before, after]
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.step_pairs: Counter[tuple[str, str]] = Counter()
        self.before: Counter[str] = Counter()
        self.after: Counter[str] = Counter()

    def add(self, before: Side, after: Side, how: str) -> None:
        self.assessments += 1
        self.directions[how] += 1
        if before.step is None or after.step is None:
            self.steps["without_step"] += 1
        else:
            self.steps["higher" if after.step > before.step else "lower" if after.step < before.step else "same"] += 1
        pair = _amount_pair(before, after)
        if pair is not None:
            unit, a, b = pair
            row = self.amounts.setdefault(unit, [0, 0, 0, 0, 0.0, 0.0])
            if a is None or b is None:
                row[3] += 1
            else:
                row[0 if b > a else 1 if b < a else 2] += 1
                row[4] += a
                row[5] += b
        self.outcomes[(before.outcome, after.outcome)] += 1
        sb, sa = step_key(before.step), step_key(after.step)
        self.step_pairs[(sb, sa)] += 1
        self.before[sb] += 1
        self.after[sa] += 1

    def step_labels(self) -> list[str]:
        seen = {k for pair in self.step_pairs for k in pair}
        extra = sorted((k for k in seen if k not in STEPS and k != NO_STEP), key=lambda k: int(k))
        return list(STEPS) + extra + [NO_STEP]

    def to_json(self, *, matrices: bool, distribution: bool) -> dict:
        out: dict[str, Any] = {
            "assessments": self.assessments,
            "directions": {d: self.directions[d] for d in DIRECTIONS},
            "steps": {k: self.steps[k] for k in ("higher", "lower", "same", "without_step")},
            "amounts": [{"unit": u, "more": r[0], "fewer": r[1], "same": r[2], "not_comparable": r[3],
                         "before": round(r[4], 6), "after": round(r[5], 6)} for u, r in sorted(self.amounts.items())],
        }
        labels = self.step_labels()
        if distribution:
            out["step_distribution"] = {"before": {k: self.before[k] for k in labels if self.before[k]},
                                        "after": {k: self.after[k] for k in labels if self.after[k]}}
        if matrices:
            out["outcome_matrix"] = {"labels": list(OUTCOMES),
                                     "rows": [[self.outcomes[(a, b)] for b in OUTCOMES] for a in OUTCOMES]}
            out["step_matrix"] = {"labels": labels, "rows": [[self.step_pairs[(a, b)] for b in labels] for a in labels]}
        return out


@dataclass
class Group:
    """One legacy municipality: its figures, per service, the changed assessments by cause and
    the first ``max_changes`` of them with their causes."""

    municipality: str
    max_changes: int | None
    rule_sets: set[str] = field(default_factory=set)
    cases: int = 0
    figures: Figures = field(default_factory=Figures)
    services: dict[str, Figures] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    causes: dict[tuple, list] = field(default_factory=dict)  # key → [count, sorted example ids]
    changes: FirstN = field(init=False)

    def __post_init__(self) -> None:
        self.changes = FirstN(lambda c: (c["case"], c["source"], c["service"]), self.max_changes)

    def add(self, item: Item, how: str, description: str | None) -> None:
        self.figures.add(item.old, item.new, how)
        fig = self.services.get(item.service)
        if fig is None:
            fig = self.services[item.service] = Figures()
            self.names[item.service] = item.service_name
        fig.add(item.old, item.new, how)
        if how == "unchanged":
            return
        cause = item.cause or {}
        c = cause.get("cause") or {}
        div = cause.get("divergence") or {}
        legal = ((cause.get("decisive") or {}).get("new") or {}).get("legal_basis") or None
        divergence = (c.get("kind"), c.get("status"), c.get("rule"),
                      ((div.get("old") or {}).get("rule")), ((div.get("new") or {}).get("rule")))
        key = (item.service, how, item.old.rule, item.new.rule, divergence, legal)
        entry = self.causes.get(key)
        if entry is None:
            entry = self.causes[key] = [0, []]
        entry[0] += 1
        ids = entry[1]
        if item.case not in ids and (len(ids) < EXAMPLES or item.case < ids[-1]):
            bisect.insort(ids, item.case)
            del ids[EXAMPLES:]
        change = {"case": item.case, "source": item.file, "service": item.service, "direction": how,
                  "before": _side_json(item.old), "after": _side_json(item.new), "cause": cause or None}
        if description is not None:
            change["description"] = description
        self.changes.add(change)

    def to_json(self) -> dict:
        out = {"municipality": self.municipality, "rule_sets": sorted(self.rule_sets), "cases": self.cases}
        out.update(self.figures.to_json(matrices=False, distribution=True))
        out["services"] = [{"service": s, "name": self.names[s],
                            **self.services[s].to_json(matrices=True, distribution=False)}
                           for s in sorted(self.services)]
        causes = [{"service": k[0], "direction": k[1], "legacy_rule": k[2], "harmonised_rule": k[3],
                   "divergence": {"kind": k[4][0], "status": k[4][1], "rule": k[4][2], "legacy_rule": k[4][3],
                                  "harmonised_rule": k[4][4]},
                   "legal_basis": k[5], "count": v[0], "cases": list(v[1])} for k, v in self.causes.items()]
        out["causes"] = sorted(causes, key=lambda c: (-c["count"], _cause_sort(c)))
        out["changes"] = list(self.changes.items)
        out["changes_omitted"] = self.changes.omitted
        return out


def _cause_sort(c: dict) -> tuple:
    d = c["divergence"]
    return (c["service"], c["direction"], str(c["legacy_rule"]), str(c["harmonised_rule"]), str(d["kind"]),
            str(d["status"]), str(d["rule"]), str(d["legacy_rule"]), str(d["harmonised_rule"]), str(c["legal_basis"]))


def _side_json(s: Side) -> dict:
    return {"rule_set": s.rule_set, "outcome": s.outcome, "step": s.step, "amount": s.amount, "unit": s.unit,
            "rule": s.rule}


def _entry_json(e) -> dict:
    return {"id": e.id, "version": e.version, "sha256": None, "valid_from": e.valid_from.isoformat(),
            "valid_to": e.valid_to.isoformat() if e.valid_to else None}


# --- the report ----------------------------------------------------------------------------------

@dataclass
class HarmoniseReport:
    merger: Merger
    lang: str
    show_facts: bool
    include_personal_data: bool
    max_changes: int | None = DEFAULT_MAX_CHANGES
    groups: dict[str, Group] = field(default_factory=dict)
    cases: int = 0
    not_covered: FirstN = field(init=False)
    not_covered_codes: Counter = field(default_factory=Counter)
    outside: FirstN = field(init=False)
    outside_counts: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)
    rule_set_errors: list[dict] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    skipped: list[SkippedInput] = field(default_factory=list)
    sha256: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.groups = {m: Group(m, self.max_changes) for m in self.merger.municipalities}
        self.not_covered = FirstN(lambda e: (e["case"], e["source"]), self.max_changes)
        self.outside = FirstN(lambda e: (e["case"], e["source"], e["side"]), self.max_changes)

    @property
    def assessments(self) -> int:
        return sum(g.figures.assessments for g in self.groups.values())

    @property
    def changed(self) -> int:
        return sum(g.figures.assessments - g.figures.directions["unchanged"] for g in self.groups.values())

    def to_json(self) -> dict:
        m = self.merger

        def info(e, legacy: bool) -> dict:
            out = {"municipality": e.municipality} if legacy else {}
            out.update(_entry_json(e))
            out["sha256"] = self.sha256.get((e.id, e.version))
            return out

        covered = sum(g.cases for g in self.groups.values())
        read = self.cases + self.tally.failed  # every case read: covered, not covered, or failed
        return {
            "report": "harmonise",
            "language": self.lang,
            "show_facts": self.show_facts,
            "include_personal_data": self.include_personal_data,
            "merger": {"municipality": m.municipality, "harmonised": [info(e, False) for e in m.harmonised],
                       "legacy": [info(e, True) for e in m.legacy]},
            "counted": {"cases": read, "persons": read, "assessments": self.assessments,
                        "covered_cases": covered, "not_covered": self.not_covered.count,
                        "failed": self.tally.failed, "skipped": self.tally.skipped,
                        "not_covered_by_code": dict(sorted(self.not_covered_codes.items()))},
            "municipalities": [g.to_json() for g in self.groups.values()],
            "not_covered": list(self.not_covered.items),
            "not_covered_omitted": self.not_covered.omitted,
            "outside_validity": list(self.outside.items),
            "outside_validity_omitted": self.outside.omitted,
            "errors": list(self.errors),
            "rule_set_errors": list(self.rule_set_errors),
            "skipped": [s.file for s in self.skipped],
            "warnings": [{"code": "outside-validity", "side": side, "rule_set": rs, "valid_from": vf, "valid_to": vt,
                          "cases": n} for (side, rs, vf, vt), n in sorted(self.outside_counts.items(),
                                                                          key=lambda kv: (kv[0][0] != "legacy",
                                                                                          kv[0][1:]))],
        }


# --- one case ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HarmoniseTask:
    """What every worker needs (plain data)."""

    rules_dir: str
    merger: str
    lang: str | None
    show_facts: bool
    include_personal_data: bool


def harmonise_source(engine: Engine, merger: Merger, task: HarmoniseTask, source: Source) -> CaseResult:
    """One source: not covered (why), or compared under its legacy set and the harmonised one.
    Never raises for a bad input: the failure (or the skip) is in the result."""
    name = source.name
    try:
        case = load_source(source)
        engine.check_expectations(case)
        described = case.model.description if task.include_personal_data else None
        on = case.application_date
        former = merger.former_municipality(case.municipality, case.former_municipality, on)
        if former.municipality is None:
            # a case with invalid facts is an error, covered or not
            case_environment(engine.choose(case, rules=merger.harmonised_entry(on).path, check_services=False)[0],
                             case)
            return CaseResult(name, not_covered=NotCovered(case.id, case.municipality, str(former.code),
                                                           former.suggestion, case.former_municipality,
                                                           description=described))
        entries = {"old": merger.legacy_entry(former.municipality, on), "new": merger.harmonised_entry(on)}
        assert entries["old"].path != entries["new"].path, "a rule set is never compared with itself"
        crs = {s: engine.choose(case, rules=e.path)[0] for s, e in entries.items()}
        assert crs["old"] is not crs["new"], "a rule set is never compared with itself"
        parameters_on: dict[str, _dt.date | None] = {}
        outside = []
        for s, c in crs.items():
            day = judged_date(c, case)
            meta = c.ruleset.meta
            inside = window_date(meta.valid_from, meta.valid_to, day)
            parameters_on[s] = inside
            if inside is not None:
                outside.append(("legacy" if s == "old" else "harmonised", f"{c.ruleset.id} {c.ruleset.version}",
                                day.isoformat(), meta.valid_from.isoformat(),
                                meta.valid_to.isoformat() if meta.valid_to else None))
        outs = {s: evaluate_with(c, case, lang=task.lang, explain=False, parameters_on=parameters_on[s])
                for s, c in crs.items()}
        result = compare_case(case, name, crs, outs, None, task.lang, task.show_facts, parameters_on)
        for item in result.items:
            base = item.service.split("/", 1)[0]
            for s, side in (("old", item.old), ("new", item.new)):
                if crs[s].services.get(base) is None:
                    side.outcome = NOT_DESCRIBED
        result.outside = outside
        result.group = former.municipality
        result.description = described
        return result
    except SkippedInput as skip:
        return CaseResult(name, skipped=(skip.file, skip.kind))
    except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
        return CaseResult(name, failure=input_failure(name, exc))


# --- the worker processes ----------------------------------------------------------------------

_WORKER: tuple[Engine, Merger, HarmoniseTask] | None = None
_WORKER_BROKEN = 0


def _setup_worker(task: HarmoniseTask, engine: Engine | None = None) -> None:
    global _WORKER, _WORKER_BROKEN
    if engine is None:
        engine = Engine(task.rules_dir)
        _precompile(engine, find_merger(engine.catalog(), task.merger))  # type: ignore[arg-type]
    found = find_merger(engine.catalog(), task.merger)
    assert found is not None, "checked before the workers start"
    _WORKER = (engine, found, task)
    _WORKER_BROKEN = 0


def _work(chunk: list[Source]) -> tuple[list[CaseResult], list[tuple[str, list[dict]]]]:
    global _WORKER_BROKEN
    assert _WORKER is not None, "_setup_worker runs first"
    engine, found, task = _WORKER
    results = [harmonise_source(engine, found, task, s) for s in chunk]
    _WORKER_BROKEN, news = broken_news(engine, _WORKER_BROKEN, task.lang)
    return results, news


def _precompile(engine: Engine, merger: Merger) -> None:
    for e in merger.harmonised + merger.legacy:
        try:
            engine.compiled(e.path)
        except RuleSetError:
            pass  # engine.broken() holds it; the cases it should judge fail


# --- running it ----------------------------------------------------------------------------------

def merger_for(engine: Engine, name: str) -> Merger:
    """The merger ``name`` names (a harmonised set's id or its municipality); raises
    :class:`UsageError` with «mente du …?» when it names none."""
    found = find_merger(engine.catalog(), name)
    if found is not None:
        return found
    known = mergers(engine.catalog())
    names = sorted(set(known) | {e.municipality for e in engine.catalog() if e.supersedes})
    hit = suggest(name, names)
    if hit:
        raise UsageError(keyed("harmonise.unknown_merger.suggest", name=name, found=hit[0]))
    raise UsageError(keyed("harmonise.unknown_merger", name=name, known=", ".join(known) or "–"))


def run_harmonise(engine: Engine, name: str, files: Iterable[Source | InputFailure] | Sequence[Any], *,
                  lang: str | None = None, show_facts: bool = False, include_personal_data: bool = False,
                  workers: int = 1, chunk_size: int = 64, max_changes: int | None = DEFAULT_MAX_CHANGES,
                  progress: Callable[[int], None] | None = None) -> HarmoniseReport:
    """Every case of ``files`` (as :func:`tildeling.compare.diff.run_diff` takes them) under
    its former municipality's legacy set and the harmonised set of the merger ``name``."""
    found = merger_for(engine, name)
    _precompile(engine, found)
    report = HarmoniseReport(found, lang or "nb", show_facts, include_personal_data, max_changes)
    for e in found.harmonised + found.legacy:
        try:
            rs = engine.compiled(e.path).ruleset
            report.sha256[(e.id, e.version)] = rs.sha256
        except RuleSetError:
            pass
    task = HarmoniseTask(str(engine.directory), found.harmonised_id, lang, show_facts, include_personal_data)
    setup_args: tuple = (task, engine if workers <= 1 or start_method() == "fork" else None)
    done = stream(engine, _setup_worker, setup_args, _work, files, lambda r: _add(report, r), lang=report.lang,
                  workers=workers, chunk_size=chunk_size, progress=progress)
    report.tally = Tally(done=report.cases, failed=len(done.failures), skipped=len(report.skipped),
                         records=done.records)
    report.errors = done.errors
    report.rule_set_errors = done.rule_set_errors
    return report

def _add(report: HarmoniseReport, r: CaseResult) -> None:
    if r.skipped is not None:
        report.skipped.append(SkippedInput(*r.skipped))
        return
    report.cases += 1
    if r.not_covered is not None:
        report.not_covered.add(r.not_covered.to_json(r.name, report.lang, report.merger))
        report.not_covered_codes[r.not_covered.code] += 1
        return
    group = report.groups[r.group]  # type: ignore[index]  # a covered result names its group
    group.cases += 1
    case_id = r.items[0].case if r.items else None
    for side, rs, day, vf, vt in r.outside:
        report.outside.add({"case": case_id, "source": r.name, "side": side, "rule_set": rs, "date": day,
                            "valid_from": vf, "valid_to": vt})
        report.outside_counts[(side, rs, vf, vt)] += 1
    for item in r.items:
        group.rule_sets.add(item.old.rule_set)
        group.add(item, direction(item.old, item.new), r.description)


__all__ = ["run_harmonise", "harmonise_source", "HarmoniseReport", "HarmoniseTask", "direction", "merger_for",
           "Figures", "Group", "OUTCOMES", "DIRECTIONS", "DEFAULT_MAX_CHANGES"]
