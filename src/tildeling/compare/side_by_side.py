"""The benchmark table of a merger (``tildeling compare``): the same cases under every rule set.

A *merger* is a harmonised rule set and the legacy rule sets it replaces: the union of
``supersedes:`` over the harmonised set's versions, in the order they are first named. Every
case (× service applied for — one *assessment*) is evaluated under each of them, side by side,
as PwC's benchmark of allocation practice asked the municipalities to decide the very same
application. Each row says whether the legacy sets agreed on the outcome, and where the
harmonised set lands (:func:`landing`):

- ``as_all``: the legacy sets were unanimous and the harmonised set decides the same;
- ``as_majority``: it decides as more than half of the legacy sets (who disagreed);
- ``as``: as some of them, no majority (``with`` names which);
- ``new``: an outcome none of the legacy sets gave.

Only the *outcome* decides the pattern (innvilget, delvis_innvilget, avslag, uavklart, or
``ikke_beskrevet`` for a service a rule set does not describe); steps, amounts and the decisive
rule are shown beside it.

Each rule set judges the case on the case's own date (ages, facts, law numbering), in the
version in force then, else the nearest version. When the date lies outside that version's
validity (a legacy set after it was replaced, the harmonised set before it began), the cell
is flagged ``outside_validity`` and the set's *parameters* are taken on the nearest date
inside its window (:func:`evaluate_clamped`), so a parameter that had no value then does not
decide the outcome.

Cases of a municipality that is neither the merged one nor a legacy one are *not covered*:
listed (id and source, no facts) and counted, never evaluated. Health data stays out: the
table holds case ids, services, outcomes, steps, amounts and rule ids only.

    from tildeling.compare.side_by_side import find_merger, run_compare
    table = run_compare(engine, find_merger(engine, "alver"), sources)
    table.to_json()["rows"][0]["harmonised"]
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from tildeling.core.diagnostics import suggest
from tildeling.compare.stream import broken_news, stream
from tildeling.compare.workers import start_method
from tildeling.core.errors import RuleSetError, UsageError
from tildeling.corpus.read import Source, load_source
from tildeling.engine import Engine, evaluate_with, input_failure, judged_date
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.files.discover import InputFailure, Tally
from tildeling.files.outcome import CaseOutcome, Decision
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.rules.cases import Case, SkippedInput
from tildeling.rules.merger import NOT_IN_MERGER, Merger, mergers, nearest, norm, window_date
from tildeling.rules.merger import find_merger as merger_named
from tildeling.rules.resolve import CatalogEntry

NOT_DESCRIBED = "ikke_beskrevet"
_NOT_DESCRIBED_RULE = "tjeneste-ikke-beskrevet"  # the reason a rule set gives for a service it lacks
OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart", NOT_DESCRIBED)
PATTERNS = ("as_all", "as_majority", "as", "new")


# --- the merger ---------------------------------------------------------------------------------

def find_merger(engine: Engine, text: str) -> Merger:
    """MERGER as given: a harmonised rule set's id or its municipality (any case and spacing),
    as :func:`tildeling.rules.merger.find_merger` reads it. Raises :class:`UsageError` with
    «mente du …?» when it names no merger."""
    entries = engine.catalog()
    found = merger_named(entries, text)
    if found is not None:
        return found
    known = {m.harmonised_id: m for m in (merger_named(entries, rid) for rid in mergers(entries)) if m is not None}
    names = {norm(n): n for m in known.values() for n in (m.harmonised_id, m.municipality)}
    close = suggest(norm(text), names)
    if close:
        raise UsageError(keyed("compare.unknown_merger.suggest", name=text, suggestion=names[close[0]]))
    if known:
        listed = ", ".join(f"{rid} ({m.municipality})" for rid, m in sorted(known.items()))
        raise UsageError(keyed("compare.unknown_merger.known", name=text, known=listed))
    raise UsageError(keyed("compare.unknown_merger", name=text, dir=str(engine.directory)))


def rule_set_ids(merger: Merger) -> tuple[str, ...]:
    """Every rule set of the table: the legacy ones in the order of ``supersedes``, then the
    harmonised one."""
    legacy: list[str] = []
    for e in merger.legacy:
        if e.id not in legacy:
            legacy.append(e.id)
    return tuple(legacy) + (merger.harmonised_id,)


def _covers(merger: Merger, municipality: str) -> bool:
    return norm(municipality) in {norm(merger.municipality)} | {norm(m) for m in merger.municipalities}


# --- one rule set on one case --------------------------------------------------------------------

def evaluate_clamped(crs: CompiledRuleSet, case: Case, *, parameters_on: _dt.date | None,
                     lang: str | None = None) -> CaseOutcome:
    """The case under ``crs`` on its own date, with the parameters of ``parameters_on`` (the
    nearest date inside the set's validity; ``None`` when the date lies inside it). One place,
    so that the comparison and the harmonisation report clamp the same way
    (:func:`tildeling.engine.evaluate_with`, ``parameters_on``)."""
    return evaluate_with(crs, case, lang=lang, parameters_on=parameters_on)


@dataclass(frozen=True, slots=True)
class Cell:
    """What one rule set decided on one assessment."""

    rule_set: str
    version: str
    outcome: str
    step: int | None
    amount: Any
    unit: str
    rule: str | None  # the decisive (first reason's) rule
    outside_validity: dict | None = None  # {"valid_from", "valid_to", "parameters_on"}

    def to_json(self) -> dict:
        return {"rule_set": self.rule_set, "version": self.version, "outcome": self.outcome, "step": self.step,
                "amount": self.amount, "unit": self.unit, "rule": self.rule,
                "outside_validity": dict(self.outside_validity) if self.outside_validity else None}


@dataclass(frozen=True, slots=True)
class Row:
    """One assessment (case × service applied for) under every rule set of the merger."""

    case: str
    source: str
    date: str
    service: str
    service_name: str
    cells: tuple[Cell, ...]  # in the order of Merger.rule_sets
    legacy_agree: bool
    pattern: str  # one of PATTERNS
    with_sets: tuple[str, ...]  # the legacy sets the harmonised one decides as

    def sort_key(self) -> tuple:
        return (self.case, self.source, self.service)

    @property
    def label(self) -> str:
        """``as_all``, ``as_majority``, ``as(meland-2019, lindas-2019)`` or ``new``."""
        return f"as({', '.join(self.with_sets)})" if self.pattern == "as" else self.pattern

    def to_json(self) -> dict:
        return {"case": self.case, "source": self.source, "date": self.date, "service": self.service,
                "service_name": self.service_name, "results": [c.to_json() for c in self.cells],
                "legacy_agree": self.legacy_agree,
                "harmonised": {"pattern": self.pattern, "with": list(self.with_sets), "label": self.label}}


def landing(legacy: list[tuple[str, str]], harmonised: str) -> tuple[bool, str, tuple[str, ...]]:
    """(legacy sets agree, pattern, the legacy sets decided as) for the legacy outcomes
    ``[(rule set id, outcome)]`` and the harmonised outcome.

    >>> landing([("a", "avslag"), ("b", "avslag")], "avslag")
    (True, 'as_all', ('a', 'b'))
    >>> landing([("a", "innvilget"), ("b", "avslag"), ("c", "avslag")], "avslag")
    (False, 'as_majority', ('b', 'c'))
    >>> landing([("a", "innvilget"), ("b", "avslag"), ("c", "avslag")], "innvilget")
    (False, 'as', ('a',))
    >>> landing([("a", "avslag"), ("b", "avslag")], "innvilget")
    (True, 'new', ())
    """
    agree = len({o for _, o in legacy}) <= 1
    same = tuple(rid for rid, o in legacy if o == harmonised)
    if not same:
        return agree, "new", ()
    if agree:
        return agree, "as_all", same
    if 2 * len(same) > len(legacy):
        return agree, "as_majority", same
    return agree, "as", same


# --- the report ----------------------------------------------------------------------------------

@dataclass
class CompareTable:
    """The rows, counted as they came in, with what could not be compared."""

    merger: Merger
    lang: str
    rule_sets: dict[str, list[dict]] = field(default_factory=dict)  # id → versions used
    rows: list[Row] = field(default_factory=list)
    cases: int = 0  # = covered + not covered + failed inputs (skipped inputs are not cases)
    covered: int = 0  # cases evaluated under every rule set
    not_covered: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    skipped: list[SkippedInput] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule sets of the table, in column order (legacy ones, then the harmonised one)."""
        return rule_set_ids(self.merger)

    @property
    def harmonised(self) -> str:
        return self.merger.harmonised_id

    @property
    def legacy(self) -> tuple[str, ...]:
        return self.ids[:-1]

    def summary(self) -> list[dict]:
        """Per service (by id), then all services: the assessments, whether the legacy sets
        agreed, and how many times the harmonised set landed in each pattern (``as_by``: the
        ``as`` rows by the legacy sets they went with)."""
        groups: dict[str, list[Row]] = {}
        for r in self.rows:
            groups.setdefault(r.service, []).append(r)
        out = [_summarise(s, rows[0].service_name, rows) for s, rows in sorted(groups.items())]
        out.append(_summarise(None, None, self.rows))
        return out

    def counted(self) -> dict:
        return {"cases": self.cases, "assessments": len(self.rows), "covered_cases": self.covered,
                "not_covered": len(self.not_covered), "failed": self.tally.failed}

    def to_json(self) -> dict:
        m = self.merger
        return {
            "report": "compare",
            "merger": {"municipality": m.municipality, "harmonised": self.harmonised, "legacy": list(self.legacy)},
            "rule_sets": [{"id": rid, "role": "harmonised" if rid == self.harmonised else "legacy",
                           "versions": self.rule_sets.get(rid, [])} for rid in self.ids],
            "language": self.lang,
            "counted": self.counted(),
            "summary": self.summary(),
            "rows": [r.to_json() for r in self.rows],
            "not_covered": list(self.not_covered),
            "outside_validity": self.outside_validity(),
            "errors": list(self.errors),
            "skipped": [s.file for s in self.skipped],
        }

    def outside_validity(self) -> list[dict]:
        """Per rule set version judged outside its validity: its window, and how many cases."""
        seen: Counter[tuple] = Counter()
        cases: dict[tuple, set[str]] = {}
        for r in self.rows:
            for c in r.cells:
                if c.outside_validity:
                    key = (c.rule_set, c.version, c.outside_validity["valid_from"], c.outside_validity["valid_to"])
                    cases.setdefault(key, set()).add(r.source)
        for key, names in cases.items():
            seen[key] = len(names)
        order = {rid: i for i, rid in enumerate(self.ids)}
        return [{"rule_set": k[0], "version": k[1], "valid_from": k[2], "valid_to": k[3], "cases": n}
                for k, n in sorted(seen.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0]))]


def _summarise(service: str | None, name: str | None, rows: list[Row]) -> dict:
    patterns = Counter(r.pattern for r in rows)
    as_by = Counter(", ".join(r.with_sets) for r in rows if r.pattern == "as")
    agree = sum(r.legacy_agree for r in rows)
    return {"service": service, "service_name": name, "assessments": len(rows), "legacy_agree": agree,
            "legacy_disagree": len(rows) - agree, **{p: patterns.get(p, 0) for p in PATTERNS},
            "as_by": dict(sorted(as_by.items()))}


# --- running it ----------------------------------------------------------------------------------

@dataclass(slots=True)
class CaseRows:
    """What one source gave, small enough to send from a worker process."""

    name: str
    rows: list[Row] = field(default_factory=list)
    used: list[tuple[str, dict]] = field(default_factory=list)  # (rule set id, version info)
    not_covered: dict | None = None
    skipped: tuple | None = None  # (file, kind)
    failure: InputFailure | None = None


@dataclass(frozen=True)
class CompareTask:
    """What every worker needs to know (plain data)."""

    rules_dir: str
    merger: str  # the harmonised rule set's id
    lang: str


def compare_source(engine: Engine, merger: Merger, versions: dict[str, list[CatalogEntry]], source: Source,
                   lang: str) -> CaseRows:
    """Read one source and put it under every rule set; never raises for a bad input."""
    try:
        case = load_source(source)
        engine.check_expectations(case)
        if not _covers(merger, case.municipality):
            return CaseRows(source.name, not_covered={"case": case.id, "source": source.name,
                                                      "municipality": case.municipality, "code": NOT_IN_MERGER})
        used: dict[str, dict[str, dict]] = {rid: {} for rid in versions}
        rows = compare_case(engine, merger, versions, case, source.name, lang, used)
        return CaseRows(source.name, rows, [(rid, v) for rid, vs in used.items() for v in vs.values()])
    except SkippedInput as skip:
        return CaseRows(source.name, skipped=(skip.file, skip.kind))
    except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
        return CaseRows(source.name, failure=input_failure(source.name, exc))


def _versions(engine: Engine, merger: Merger) -> dict[str, list[CatalogEntry]]:
    ids = rule_set_ids(merger)
    versions = {rid: sorted((e for e in engine.catalog() if e.id == rid), key=lambda e: e.valid_from)
                for rid in ids}
    missing = [rid for rid, vs in versions.items() if not vs]
    if missing:  # a supersedes: entry naming no rule set (validate reports it too)
        raise UsageError(keyed("error.rule_set_id_not_found", id=missing[0], dir=str(engine.directory)))
    return versions


_WORKER: tuple[Engine, Merger, dict[str, list[CatalogEntry]], CompareTask] | None = None
_WORKER_BROKEN = 0


def _setup_worker(task: CompareTask, engine: Engine | None = None) -> None:
    """Once per worker: its engine (inherited when forked, else built here) and the merger."""
    global _WORKER, _WORKER_BROKEN
    engine = engine or Engine(task.rules_dir)
    merger = merger_named(engine.catalog(), task.merger)
    assert merger is not None, "checked before the workers start"
    _WORKER = (engine, merger, _versions(engine, merger), task)
    _WORKER_BROKEN = 0


def _work(chunk: list[Source]) -> tuple[list[CaseRows], list[tuple[str, list[dict]]]]:
    global _WORKER_BROKEN
    assert _WORKER is not None, "_setup_worker runs first"
    engine, merger, versions, task = _WORKER
    results = [compare_source(engine, merger, versions, s, task.lang) for s in chunk]
    _WORKER_BROKEN, news = broken_news(engine, _WORKER_BROKEN, task.lang)
    return results, news


def run_compare(engine: Engine, merger: Merger, sources: Iterable[Source | InputFailure], *,
                lang: str = "nb", workers: int = 1, chunk_size: int = 64,
                progress: Callable[[int], None] | None = None) -> CompareTable:
    """Evaluate every case under every rule set of ``merger``; an input that fails is listed
    in ``errors`` and the others go on. ``workers`` > 1 spreads chunks of ``chunk_size``
    sources over that many processes; the table is the same, byte for byte, for any number."""
    table = CompareTable(merger, lang)
    versions = _versions(engine, merger)
    for vs in versions.values():  # compiled once here: forked workers inherit them
        for e in vs:
            try:
                engine.compiled(e.path)
            except RuleSetError:
                pass  # engine.broken() holds it; the cases it should judge fail
    used: dict[str, dict[str, dict]] = {rid: {} for rid in versions}

    def take(r: CaseRows) -> None:
        if r.skipped is not None:
            table.skipped.append(SkippedInput(*r.skipped))
        elif r.not_covered is not None:
            table.not_covered.append(r.not_covered)
        else:
            table.covered += 1
            table.rows.extend(r.rows)
            for rid, info in r.used:
                used[rid].setdefault(info["version"], info)

    task = CompareTask(str(engine.directory), merger.harmonised_id, lang)
    setup_args: tuple = (task, engine if workers <= 1 or start_method() == "fork" else None)
    # stream reads only ``.failure`` of a result and hands the rest to ``take``: a CaseRows will do.
    done = stream(engine, _setup_worker, setup_args, _work, sources, take,  # type: ignore[arg-type]
                  lang=lang, workers=workers, chunk_size=chunk_size, progress=progress)
    table.rows.sort(key=Row.sort_key)
    table.not_covered.sort(key=lambda x: (x["case"], x["source"]))
    table.rule_sets = {rid: [used[rid][v] for v in sorted(used[rid])] for rid in versions}
    table.tally = Tally(done=table.covered + len(table.not_covered), failed=len(done.failures),
                        skipped=len(table.skipped), records=done.records)
    table.cases = table.tally.done + table.tally.failed
    table.errors = done.errors + done.rule_set_errors
    return table


def compare_case(engine: Engine, merger: Merger, versions: dict[str, list[CatalogEntry]], case: Case,
                 source: str, lang: str | None = None, used: dict | None = None) -> list[Row]:
    """The rows of one case: every service it applies for under every rule set."""
    results: list[tuple[CompiledRuleSet, CaseOutcome, dict | None]] = []
    for rid in rule_set_ids(merger):
        crs = _version_for(engine, versions[rid], case)
        on = judged_date(crs, case)
        m = crs.ruleset.meta
        params_on = window_date(m.valid_from, m.valid_to, on)
        flag = None
        if params_on is not None:
            flag = {"valid_from": m.valid_from.isoformat(), "valid_to": m.valid_to.isoformat() if m.valid_to else None,
                    "parameters_on": params_on.isoformat()}
        outcome = evaluate_clamped(crs, case, parameters_on=params_on, lang=lang)
        results.append((crs, outcome, flag))
        if used is not None:
            rs = crs.ruleset
            used[rid].setdefault(rs.version, {"version": rs.version, "sha256": rs.sha256,
                                               "valid_from": m.valid_from.isoformat(),
                                               "valid_to": m.valid_to.isoformat() if m.valid_to else None})
    per_set = [_assessments(crs, out, flag) for crs, out, flag in results]
    keys = list(per_set[-1])  # the services applied for, in the case's order (every set lists them)
    for d in per_set[:-1]:
        keys += [k for k in d if k not in keys]
    rows = []
    for key in keys:
        cells = tuple(d[key][0] if key in d else _absent(crs, flag)
                      for d, (crs, _, flag) in zip(per_set, results))
        names = [d[key][1] for d in per_set if key in d and d[key][1]]
        agree, pattern, same = landing([(c.rule_set, c.outcome) for c in cells[:-1]], cells[-1].outcome)
        name = names[-1] if names else key.split("/")[0]
        if "/" in key:  # one form of a service applied for in several: «Avlastning – hjemme»
            name = f"{name} – {key.split('/', 1)[1]}"
        rows.append(Row(case.id, source, judged_date(results[-1][0], case).isoformat(), key, name, cells, agree,
                        pattern, same))
    return rows


def _version_for(engine: Engine, versions: list[CatalogEntry], case: Case) -> CompiledRuleSet:
    """The version in force (else nearest) on the case's date; chosen again on the decision
    date when that version judges on it (as :meth:`Engine.choose` does)."""
    entry = nearest(versions, case.application_date)
    crs = engine.compiled(entry.path)
    on = judged_date(crs, case)
    if on != case.application_date:
        again = nearest(versions, on)
        if again.path != entry.path:
            crs = engine.compiled(again.path)
    return crs


def _assessments(crs: CompiledRuleSet, out: CaseOutcome, flag: dict | None) -> dict[str, tuple[Cell, str]]:
    """The decisions on what was applied for, by service (``service/form`` for a form): each
    as a cell and the service's name under this set."""
    rs = crs.ruleset
    found: dict[str, tuple[Cell, str]] = {}
    for d in out.decisions:
        if d.initiative == "kommunen":  # decided on the municipality's own initiative: not applied for
            continue
        key = d.service + (f"/{d.applied.form}" if d.applied is not None and d.applied.form else "")
        if key in found:
            continue
        found[key] = (_cell(rs.id, rs.version, d, flag), d.service_name if d.service in rs.services else "")
    return found


def _cell(rid: str, version: str, d: Decision, flag: dict | None) -> Cell:
    rule = d.reasons[0].rule if d.reasons else None
    if rule == _NOT_DESCRIBED_RULE:
        return Cell(rid, version, NOT_DESCRIBED, None, None, "", None, flag)
    amount = d.amount
    return Cell(rid, version, d.outcome, d.step, amount.value if amount else None, amount.unit if amount else "",
                rule, flag)


def _absent(crs: CompiledRuleSet, flag: dict | None) -> Cell:
    """A service another set decided that this one did not list (it does not describe it)."""
    rs = crs.ruleset
    return Cell(rs.id, rs.version, NOT_DESCRIBED, None, None, "", None, flag)


__all__ = ["find_merger", "rule_set_ids", "evaluate_clamped", "Cell", "Row", "landing", "CompareTable",
           "run_compare", "compare_case", "compare_source", "CaseRows", "OUTCOMES", "PATTERNS", "NOT_DESCRIBED",
           "NOT_IN_MERGER"]
