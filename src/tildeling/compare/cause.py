"""Why one item changed between two rule sets: the first point where the two traces of the
service part (:func:`align`), the rule that makes the difference, both decisive rules with
their reason texts, and the parameters behind them whose values differ (:func:`explain_change`).

Health data stays out unless asked for: without ``show_facts`` the cause holds rule ids,
conditions as written in the rule files and the *names* of the facts involved, and reason
texts show their placeholders (``{husholdsbehov}``) instead of the case's values.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tildeling.engine import judged_date
from tildeling.evaluation.plan import CompiledRuleSet, Template
from tildeling.evaluation.walker import environment
from tildeling.explain.explanation import jsonable, render_template, show_value
from tildeling.files.outcome import CaseOutcome, Decision, Reason, TraceEvent
from tildeling.language.expressions import names
from tildeling.rules.cases import Case, runtime_facts

NOT_DESCRIBED = "tjeneste-ikke-beskrevet"


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


def environments(case: Case, crs: dict[str, CompiledRuleSet], as_of: _dt.date | None,
                 parameters_on: dict[str, _dt.date | None] | None = None) -> dict[str, dict]:
    """The fact environment of the case under each rule set, on the date it is judged on (the
    parameters on ``parameters_on[side]`` where given, as :func:`tildeling.engine.evaluate_with`)."""
    ons = {s: judged_date(crs[s], case, as_of) for s in ("old", "new")}
    params = {s: (parameters_on or {}).get(s) or ons[s] for s in ("old", "new")}
    return {s: environment(crs[s], runtime_facts(case, crs[s].ruleset.vocabulary, ons[s]), params[s])
            for s in ("old", "new")}


def explain_change(case: Case, crs: dict[str, CompiledRuleSet], traced: dict[str, CaseOutcome], service: str,
                   as_of: _dt.date | None, show_facts: bool, envs: dict[str, dict] | None = None) -> dict:
    """The cause of one changed item: the first point of divergence, both decisive rules
    with their reason texts, and the parameters behind them whose values differ. ``envs``
    (:func:`environments`) may be given when several services of one case changed."""
    events = {s: [e for e in traced[s].trace or () if e.service == service] for s in ("old", "new")}
    decisions = {s: next(d for d in traced[s].decisions if d.service == service) for s in ("old", "new")}
    svc = {s: crs[s].services.get(service) for s in ("old", "new")}
    if envs is None:
        envs = environments(case, crs, as_of)
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


__all__ = ["align", "explain_change", "environments", "NOT_DESCRIBED"]
