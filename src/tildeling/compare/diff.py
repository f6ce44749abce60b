"""Compare two rule sets over a corpus of cases: what changes, and why (``tildeling diff``).

Every case is evaluated under the old and the new rule set. For each (case, service applied
for) the report holds both outcomes, steps and amounts; an item has *changed* when the
outcome, the step or the amount differs. For the changed items only, both sides are
evaluated again with the trace switched on, and the two traces for the service are compared
event by event: the first index where ``(kind, rule, value)`` differs is the first point of
divergence. Rule ids are stable across rule sets derived from one another, so this names the
condition that answers differently (same rule, other value), the rule that was added, removed
or moved (other rule), or — when the traces agree — the amount or step of the decisive rule
and the parameters behind it.

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
from typing import Any, Sequence

from tildeling.core.diagnostics import suggest
from tildeling.core.errors import RuleSetError, UsageError
from tildeling.engine import Engine, evaluate_with, input_failure, judged_date
from tildeling.evaluation.plan import CompiledRuleSet, Template
from tildeling.evaluation.walker import environment
from tildeling.explain.explanation import jsonable, render_template, show_value
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.files.outcome import CaseOutcome, Decision, Reason, TraceEvent
from tildeling.language.expressions import names
from tildeling.files.discover import Found, InputFailure, Tally, discover
from tildeling.rules.cases import Case, SkippedInput, runtime_facts

OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart")
_RANK = {"innvilget": 3, "delvis_innvilget": 2, "avslag": 1}  # uavklart is not ranked
NOT_DESCRIBED = "tjeneste-ikke-beskrevet"
AUTO = "auto"


# --- which rule sets ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """OLD or NEW as given: a rule-set file (``path``), an id from the catalog (``id``: the
    version in force on each case's date, else the latest) or ``auto`` (the rule set each
    case resolves to by municipality and date, as ``evaluate`` picks it)."""

    text: str
    kind: str  # "path" | "id" | "auto"


def parse_spec(engine: Engine, text: str) -> Spec:
    """Read OLD/NEW; raises :class:`UsageError` when it names nothing."""
    p = Path(text)
    if p.is_file():
        return Spec(text, "path")
    if text == AUTO:
        return Spec(text, "auto")
    if p.is_dir():
        raise UsageError(keyed("error.path_is_directory", path=text))
    if engine.by_id(text) is not None:
        return Spec(text, "id")
    if p.suffix in (".yaml", ".yml") or "/" in text:
        raise UsageError(keyed("error.rule_set_not_found", path=text))
    ids = sorted({e.id for e in engine.catalog()})
    found = suggest(text, ids)
    where = {"id": text, "dir": str(engine.directory)}
    if found:
        raise UsageError(keyed("error.rule_set_id_not_found.suggest", name=found[0], **where))
    if ids:
        raise UsageError(keyed("error.rule_set_id_not_found.known", ids=", ".join(ids), **where))
    raise UsageError(keyed("error.rule_set_id_not_found", **where))


def precompile(engine: Engine, spec: Spec) -> None:
    """Load and compile what a spec names up front. An invalid rule set does not stop the
    diff: the cases it should judge fail, and its errors are listed once."""
    paths = [spec.text] if spec.kind == "path" else [e.path for e in engine.catalog() if e.id == spec.text]
    for p in paths:
        try:
            engine.compiled(p)
        except RuleSetError:
            pass  # engine.broken() holds it


def choose(engine: Engine, spec: Spec, case: Case, as_of: _dt.date | None) -> CompiledRuleSet:
    if spec.kind == "path":
        return engine.choose(case, rules=spec.text)[0]
    if spec.kind == "id":
        return engine.choose(case, as_of=as_of, rule_set_id=spec.text)[0]
    return engine.choose(case, as_of=as_of)[0]


# --- the report --------------------------------------------------------------------------------

@dataclass
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


@dataclass
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


@dataclass
class DiffReport:
    old_spec: Spec
    new_spec: Spec
    as_of: _dt.date | None
    lang: str
    show_facts: bool
    files: int = 0
    cases: int = 0
    items: list[Item] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    rule_set_errors: list[dict] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    skipped: list[SkippedInput] = field(default_factory=list)  # files that are not cases (a service map)
    used: dict[str, dict[tuple, UsedRuleSet]] = field(default_factory=lambda: {"old": {}, "new": {}})
    fallback: dict[str, UsedRuleSet | None] = field(default_factory=lambda: {"old": None, "new": None})
    outside: dict[tuple, int] = field(default_factory=dict)  # (side, id, version, validity) → cases

    def warnings(self) -> list[dict]:
        """Rule sets used for cases dated outside their validity period."""
        return [{"side": side, "rule_set": f"{rid} {version}", "validity": validity, "cases": n}
                for (side, rid, version, validity), n in sorted(self.outside.items(),
                                                                 key=lambda kv: (kv[0][0] != "old", kv[0][1:]))]

    # -- aggregates --

    @property
    def changes(self) -> list[Item]:
        return [i for i in self.items if i.changed]

    def summary(self) -> dict:
        count = {k: 0 for k in ("gain", "loss", "other", "unchanged")}
        for i in self.items:
            count[i.kind] += 1
        return {"files": self.files, "cases": self.cases, "services": len(self.items),
                "changed": len(self.items) - count["unchanged"], "unchanged": count["unchanged"],
                "gains": count["gain"], "losses": count["loss"], "other": count["other"],
                "errors": len({e["file"] for e in self.errors}), **self.tally.to_json(),
                "by_service": self.by_service()}

    def by_service(self) -> list[dict]:
        rows: dict[str, dict] = {}
        for i in self.items:
            r = rows.setdefault(i.service, {"service": i.service, "service_name": i.service_name, "items": 0,
                                            "changed": 0, "gains": 0, "losses": 0, "other": 0})
            r["items"] += 1
            if i.changed:
                r["changed"] += 1
                r[{"gain": "gains", "loss": "losses", "other": "other"}[i.kind]] += 1
        return sorted(rows.values(), key=lambda r: (r["service_name"].casefold(), r["service"]))

    def outcome_matrix(self) -> dict:
        idx = {o: n for n, o in enumerate(OUTCOMES)}
        counts = [[0] * len(OUTCOMES) for _ in OUTCOMES]
        for i in self.items:
            counts[idx[i.old.outcome]][idx[i.new.outcome]] += 1
        return {"labels": list(OUTCOMES), "counts": counts}

    def step_matrix(self) -> dict:
        steps = {i.old.step for i in self.items} | {i.new.step for i in self.items}
        labels = sorted(s for s in steps if s is not None) + ([None] if None in steps else [])
        idx = {s: n for n, s in enumerate(labels)}
        counts = [[0] * len(labels) for _ in labels]
        for i in self.items:
            counts[idx[i.old.step]][idx[i.new.step]] += 1
        return {"labels": labels, "counts": counts}

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

    def to_json(self) -> dict:
        return {
            "old": self.rule_set_info("old"),
            "new": self.rule_set_info("new"),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "language": self.lang,
            "show_facts": self.show_facts,
            "summary": self.summary(),
            "matrix": {"outcome": self.outcome_matrix(), "step": self.step_matrix()},
            "changes": [i.to_json(detail=True) for i in self.changes],
            "items": [i.to_json() for i in self.items],
            "errors": list(self.errors),
            "skipped": [s.file for s in self.skipped],
            "rule_set_errors": list(self.rule_set_errors),
            "warnings": self.warnings(),
        }


def classify(old: Side, new: Side) -> str:
    if old.key() == new.key():
        return "unchanged"
    a, b = _RANK.get(old.outcome), _RANK.get(new.outcome)
    if a is not None and b is not None and a != b:
        return "gain" if b > a else "loss"
    return "other"


# --- running it ----------------------------------------------------------------------------------

def collect_files(paths: list[Path]) -> Found:
    """The case files under ``paths`` (:func:`tildeling.files.discover.discover`): files
    named, folders walked for ``*.yaml`` and ``*.yml``, and the paths that cannot be read."""
    return discover(paths)


def run_diff(engine: Engine, old: Spec, new: Spec, files: Sequence[Path] | Found, *, as_of: _dt.date | None = None,
             lang: str | None = None, show_facts: bool = False) -> DiffReport:
    """Evaluate every case under both rule sets. An input that fails — a broken case file,
    a case judged by an invalid rule set — is recorded in ``errors`` (the rule set's own
    errors once, in ``rule_set_errors``) and the rest still run."""
    found = files if isinstance(files, Found) else Found(list(files))
    precompile(engine, old)
    precompile(engine, new)
    report = DiffReport(old, new, as_of, lang or "nb", show_facts)
    report.files = found.read
    for side, spec in (("old", old), ("new", new)):
        report.fallback[side] = _fallback(engine, spec)
    failures: list[InputFailure] = list(found.failures)
    for f in found.files:
        name = f.as_posix()
        try:
            case = engine.read_case(f, display=name)
            crs = {"old": choose(engine, old, case, as_of), "new": choose(engine, new, case, as_of)}
            outs = {s: evaluate_with(c, case, as_of=as_of, lang=lang, explain=False) for s, c in crs.items()}
            _compare(report, case, name, crs, outs, as_of, lang, show_facts)
        except SkippedInput as skip:
            report.skipped.append(skip)
            continue
        except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
            failures.append(input_failure(name, exc))
    report.tally = Tally(done=report.cases, failed=len(failures), skipped=len(report.skipped))
    report.errors = sorted((e for f in failures for e in _errors(f, report.lang)),
                           key=lambda e: (e["file"], e["line"] or 0, e["column"] or 0, e["code"], e["message"]))
    report.rule_set_errors = [e for b in engine.broken() for e in _errors(InputFailure(b.path, tuple(
        b.diagnostics)), report.lang)]
    report.items.sort(key=Item.sort_key)
    return report


def _compare(report: DiffReport, case: Case, name: str, crs: dict[str, CompiledRuleSet], outs: dict[str, CaseOutcome],
             as_of: _dt.date | None, lang: str | None, show_facts: bool) -> None:
    """Add the items of one case evaluated under both rule sets (all of them, or none)."""
    outside = []
    for s, c in crs.items():
        if not c.ruleset.in_force(judged_date(c, case, as_of)):
            m = c.ruleset.meta
            validity = f"{m.valid_from.isoformat()} – {m.valid_to.isoformat() if m.valid_to else '…'}"
            outside.append((s, c.ruleset.id, c.ruleset.version, validity))
    items: list[Item] = []
    traced: dict[str, CaseOutcome] | None = None
    # The services applied for, pairwise (both sides list them first, in the same order); the
    # decisions either side makes on the municipality's own initiative are not compared here.
    applied = [[d for d in outs[s].decisions if d.initiative != "kommunen"] for s in ("old", "new")]
    for d_old, d_new in zip(*applied):
        sides = {"old": _side(outs["old"], d_old), "new": _side(outs["new"], d_new)}
        kind = classify(sides["old"], sides["new"])
        # A service applied for in two forms is two items: «tjeneste/form», as in expectations.
        item_key = d_old.service + (f"/{d_old.applied.form}" if d_old.applied is not None and d_old.applied.form else "")
        item = Item(case.id, name, item_key, d_new.service_name or d_old.service_name
                    or d_old.service, sides["old"], sides["new"], kind != "unchanged", kind)
        if item.changed:
            if traced is None:
                traced = {s: evaluate_with(c, case, as_of=as_of, lang=lang, explain=True) for s, c in crs.items()}
            item.cause = explain_change(case, crs, traced, d_old.service, as_of, show_facts)
        items.append(item)
    # Nothing above failed: count the case.
    report.cases += 1
    for key in outside:
        report.outside[key] = report.outside.get(key, 0) + 1
    for _ in items:
        for s in ("old", "new"):
            _count(report, s, crs[s])
    report.items.extend(items)


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


def _count(report: DiffReport, side: str, crs: CompiledRuleSet) -> None:
    rs = crs.ruleset
    key = (rs.id, rs.version, rs.path)
    u = report.used[side].get(key)
    if u is None:
        u = report.used[side][key] = UsedRuleSet(rs.id, rs.version, rs.sha256, rs.path, rs.meta.municipality)
    u.items += 1


def _errors(f: InputFailure, lang: str) -> list[dict]:
    """The error entries of one failed input: file, line, column, code, message (in ``lang``).
    A case's messages quote none of its values (:func:`tildeling.rules.cases.hide_values`)."""
    out = []
    for d in f.diagnostics:
        if d.severity != "error":
            continue
        sp = d.span
        out.append({"file": sp.file if sp else f.file, "line": sp.line if sp else None,
                    "column": sp.column if sp else None, "code": d.code, "message": d.text(lang)})
    return out or [{"file": f.file, "line": None, "column": None, "code": f.code, "message": f.code}]


def _side(outcome: CaseOutcome, d: Decision) -> Side:
    rs = outcome.rule_set
    amount = d.amount
    return Side(f"{rs.id} {rs.version}", d.outcome, d.step, amount.value if amount else None,
                amount.unit if amount else "", d.reasons[0].rule if d.reasons else None,
                list(d.missing))


# --- why it changed ------------------------------------------------------------------------------

def align(old: list[TraceEvent], new: list[TraceEvent], old_index, new_index) -> tuple[tuple[int, int] | None, list[str]]:
    """The first point where the two traces of a service part, as positions ``(i, j)`` in
    each (``None`` when they agree), and the rule ids skipped on the way.

    Events are compared by ``(kind, rule, value)``. A condition that only one of the rule
    sets has and that did not fire for this case (an *inert* event) changes nothing for it:
    it is skipped when the other side is at a rule both sets share, or is inert too. A
    rule only one set has facing another such rule (a rule replaced by another) is a
    divergence, so the pair is reported together."""
    def same(a: TraceEvent, b: TraceEvent) -> bool:
        return (a.kind, a.rule, a.value) == (b.kind, b.rule, b.value)

    def inert(e: TraceEvent, other_index) -> bool:
        return e.kind == "test" and e.value is False and e.rule not in other_index

    def shared(e: TraceEvent) -> bool:
        return e.rule in old_index and e.rule in new_index

    i = j = 0
    skipped: list[str] = []
    while i < len(old) and j < len(new):
        a, b = old[i], new[j]
        if same(a, b):
            i, j = i + 1, j + 1
        elif inert(a, new_index) and inert(b, old_index):
            skipped += [a.rule, b.rule]
            i, j = i + 1, j + 1
        elif inert(b, old_index) and shared(a):
            skipped.append(b.rule)
            j += 1
        elif inert(a, new_index) and shared(b):
            skipped.append(a.rule)
            i += 1
        else:
            return (i, j), sorted(set(skipped))
    while i < len(old) and inert(old[i], new_index):
        skipped.append(old[i].rule)
        i += 1
    while j < len(new) and inert(new[j], old_index):
        skipped.append(new[j].rule)
        j += 1
    if i == len(old) and j == len(new):
        return None, sorted(set(skipped))
    return (i, j), sorted(set(skipped))


def explain_change(case: Case, crs: dict[str, CompiledRuleSet], traced: dict[str, CaseOutcome], service: str,
                   as_of: _dt.date | None, show_facts: bool) -> dict:
    """The cause of one changed item: the first point of divergence, both decisive rules
    with their reason texts, and the parameters behind them whose values differ."""
    events = {s: [e for e in traced[s].trace or () if e.service == service] for s in ("old", "new")}
    decisions = {s: next(d for d in traced[s].decisions if d.service == service) for s in ("old", "new")}
    svc = {s: crs[s].services.get(service) for s in ("old", "new")}
    ons = {s: judged_date(crs[s], case, as_of) for s in ("old", "new")}
    envs = {s: environment(crs[s], runtime_facts(case, crs[s].ruleset.vocabulary, ons[s]), ons[s])
            for s in ("old", "new")}
    langs = {s: traced[s].language for s in ("old", "new")}

    divergence = None
    rule = None
    status = None
    if svc["old"] is None or svc["new"] is None:
        kind = "not_described"
        rule = NOT_DESCRIBED
        status = "old" if svc["old"] is None else "new"
    else:
        shared = set(svc["old"].index) & set(svc["new"].index)
        found, skipped = align(events["old"], events["new"], svc["old"].index, svc["new"].index)
        if found is None:
            kind = "none"
            rule = decisions["new"].reasons[0].rule if decisions["new"].reasons else None
            status = "same"
        else:
            i, j = found
            at = {"old": (i, events["old"][i] if i < len(events["old"]) else None),
                  "new": (j, events["new"][j] if j < len(events["new"]) else None)}
            divergence = {"index": min(i, j), "index_old": i, "index_new": j, "skipped": skipped,
                          **{s: _event(at[s][1], svc[s], crs[s], show_facts) for s in ("old", "new")}}
            ev_old, ev_new = at["old"][1], at["new"][1]
            if not shared:
                kind = "unrelated"
            elif ev_old and ev_new and ev_old.rule == ev_new.rule:
                kind = "value"
                rule = ev_old.rule
                status = "changed"
            else:
                kind = "rule"
                r_old = ev_old.rule if ev_old else None
                r_new = ev_new.rule if ev_new else None
                if r_old and r_new and r_old not in svc["new"].index and r_new not in svc["old"].index:
                    rule, status = r_old, "replaced"
                elif r_old and r_old not in svc["new"].index:
                    rule, status = r_old, "removed"
                elif r_new and r_new not in svc["old"].index:
                    rule, status = r_new, "added"
                else:
                    rule, status = r_old or r_new, "moved"
    decisive = {s: _decisive(decisions[s], svc[s], envs[s], langs[s], show_facts) for s in ("old", "new")}
    params = [] if kind == "not_described" else _parameter_changes(crs, svc, envs, events, decisions)
    d_old, d_new = decisions["old"], decisions["new"]
    fields = [f for f, differs in (("outcome", d_old.outcome != d_new.outcome), ("step", d_old.step != d_new.step),
                                   ("amount", _amount_value(d_old) != _amount_value(d_new))) if differs]
    return {"cause": {"kind": kind, "rule": rule, "status": status, "fields": fields},
            "divergence": divergence, "decisive": decisive, "parameters": params}


def _amount_value(d: Decision) -> Any:
    return d.amount.value if d.amount else None


def _event(e: TraceEvent | None, svc, crs: CompiledRuleSet, show_facts: bool) -> dict | None:
    if e is None:
        return None
    r = svc.index.get(e.rule) if svc is not None else None
    out = {"kind": e.kind, "rule": e.rule, "value": e.value, "depth": e.depth,
           "condition": (r.source.when_text.strip() if r is not None and r.source.when_text else
                         ("else" if r is not None and r.is_else else None)),
           "where": r.source.span.short() if r is not None and r.source.span else None,
           "facts": sorted(r.deps) if r is not None else sorted(e.facts)}
    if show_facts:
        out["fact_values"] = {k: e.facts.get(k) for k in out["facts"]}
    return out


def _decisive(d: Decision, svc, env: dict, lang: str, show_facts: bool) -> dict:
    reason = d.reasons[0] if d.reasons else None
    r = svc.index.get(reason.rule) if svc is not None and reason is not None and reason.rule else None
    facts = reason.facts if reason is not None else {}
    out = {"rule": reason.rule if reason is not None else None, "outcome": d.outcome,
           "text": _reason_text(reason, r, env, lang, show_facts) if reason is not None else "",
           "legal_basis": (reason.legal_basis if reason is not None else "") or d.legal_basis or "",
           "where": r.source.span.short() if r is not None and r.source.span else None,
           "facts": sorted(facts)}
    if show_facts:
        out["fact_values"] = dict(sorted(facts.items()))
    return out


def _reason_text(reason: Reason, rule, env: dict, lang: str, show_facts: bool) -> str:
    """The reason text; without ``show_facts`` a text filled in from the case shows its
    placeholders instead of the values."""
    text = reason.text or ""
    tpl: Template | None = rule.reason if rule is not None else None
    if show_facts or tpl is None or not tpl.getters or render_template(tpl, env, lang) != text:
        return text
    parts = tpl.parts.get(lang) or tpl.parts.get("nb") or tpl.parts.get("nn") or next(iter(tpl.parts.values()))
    out = []
    for literal, name in parts:
        out.append(literal)
        if name is None:
            continue
        if name.startswith("parameter.") and name in tpl.getters:
            out.append(show_value(tpl.getters[name](env), lang))  # the rule set's own numbers
        else:
            out.append("{" + name + "}")
    return "".join(out)


def _parameter_names(rs, exprs) -> set[str]:
    """``parameter.*`` names the expressions use, through definitions."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = [e for e in exprs if e is not None]
    while stack:
        for n in names(stack.pop()):
            p = n.path
            if p.startswith("parameter."):
                out.add(p)
            elif p in rs.definitions and p not in seen:
                seen.add(p)
                stack.append(rs.definitions[p])
    return out


def _parameter_changes(crs, svc, envs, events, decisions) -> list[dict]:
    """Parameters used by the rules on either path (conditions and amounts) whose values
    differ between the rule sets on the case's date."""
    wanted: set[str] = set()
    for s in ("old", "new"):
        service = svc[s]
        if service is None:
            continue
        rules = {e.rule for e in events[s]} | set(decisions[s].rule_path)
        exprs: list = [service.source.amount]
        for rid in rules:
            r = service.index.get(rid)
            if r is not None:
                exprs += [r.source.when, r.source.applies_when, r.source.amount]
        wanted |= _parameter_names(crs[s].ruleset, exprs)
    out = []
    missing = object()
    for p in sorted(wanted):
        a, b = envs["old"].get(p, missing), envs["new"].get(p, missing)
        if a != b:
            out.append({"name": p, "old": None if a is missing else jsonable(a),
                        "new": None if b is missing else jsonable(b)})
    return out


__all__ = ["Spec", "parse_spec", "run_diff", "collect_files", "DiffReport", "Item", "Side", "OUTCOMES",
           "align", "classify"]
