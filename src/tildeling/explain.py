"""Explanations: turn raw decisions (and, with ``--explain``, the trace) into the outcome
that the JSON contract, the terminal and the decision letter show.

Everything here is a pure function of what the evaluator recorded: the rules taken, the
facts they used, the leaf's reason template, the citations. Legal references are printed
in the numbering in force on the case's date.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .compile import CompiledRuleSet, CRule, CService, Template
from .evaluate import RawDecision
from .logic import UNKNOWN
from .messages import msg
from .trace import Tracer

OUTCOME_KEYS = ("case", "rule_set", "as_of", "decisions", "staircase_step")


def jsonable(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is UNKNOWN:
        return None
    return value


def show_value(value: Any, lang: str) -> str:
    """A fact value as a person reads it."""
    if value is UNKNOWN or value is None:
        return msg("unknown_value", lang)
    if isinstance(value, bool):
        return msg("yes" if value else "no", lang)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").replace(".", ",")
    if isinstance(value, _dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def render_template(tpl: Template | None, env: dict, lang: str) -> str:
    if tpl is None:
        return ""
    parts = tpl.parts.get(lang) or tpl.parts.get("nb") or tpl.parts.get("nn") or next(iter(tpl.parts.values()))
    out = []
    for literal, name in parts:
        out.append(literal)
        if name is not None:
            getter = tpl.getters.get(name)
            out.append(show_value(getter(env) if getter else UNKNOWN, lang))
    return "".join(out)


def _cite(crs: CompiledRuleSet, citations, on: _dt.date) -> list[str]:
    reg = crs.ruleset.register
    return [reg.cite_on(c, on) for c in citations]


def _find_rule(service: CService, rid: str) -> CRule | None:
    stack = list(service.tree)
    while stack:
        r = stack.pop()
        if r.id == rid:
            return r
        if r.children:
            stack.extend(r.children)
    return None


def _facts_used(rules: list[CRule], env: dict, extra: frozenset[str] = frozenset()) -> dict[str, Any]:
    used: set[str] = set(extra)
    for r in rules:
        used |= r.depends_on
        if r.reason is not None:
            used |= r.reason.placeholder_facts
    return {f: jsonable(env[f]) for f in sorted(used) if f in env}


def explain_decision(crs: CompiledRuleSet, raw: RawDecision, env: dict, on: _dt.date, lang: str) -> dict:
    service = crs.services.get(raw.service)
    rs = crs.ruleset
    if service is None:
        return {
            "service": raw.service, "service_name": raw.service, "legal_basis": "", "outcome": "uavklart",
            "step": None, "score": None,
            "reasons": [{"rule": "tjeneste-ikke-beskrevet", "legal_basis": "",
                         "text": msg("not_described", lang, rule_set=rs.id, service=raw.service), "facts": {}}],
            "missing": [], "alternatives": [], "decided_by": None, "discretion": False, "addressee": "søker",
            "amount": None, "rule_path": [],
        }
    base_legal = _cite(crs, service.legal, on)
    walk = raw.walk
    reasons = []
    missing: list[str] = []
    decided_by = None
    discretion = False
    path_rules: list[CRule] = []
    if walk is not None:
        path_rules = [r for r in (_find_rule(service, rid) for rid in walk.path) if r is not None]
    if raw.outcome == "uavklart" and (walk is None or walk.leaf is None):
        if walk is None:
            reasons.append({"rule": f"{service.id}.ingen-regel", "legal_basis": "; ".join(base_legal),
                            "text": msg("no_rule", lang), "facts": {}})
        else:
            missing = sorted(walk.missing)
            labels = ", ".join(_fact_label(rs, f, lang) for f in missing)
            for r in walk.undecided:
                reasons.append({"rule": r.id, "legal_basis": "; ".join(_cite(crs, r.legal, on) or base_legal),
                                "text": msg("missing", lang, facts=labels),
                                "facts": _facts_used([r], env)})
                break  # one reason names the missing facts; the rules are in rule_path
    else:
        leaf = walk.leaf  # type: ignore[union-attr]
        decided_by = leaf.layer
        discretion = leaf.discretion
        legal = _cite(crs, leaf.legal, on)
        reasons.append({
            "rule": leaf.id,
            "legal_basis": "; ".join(legal or base_legal),
            "text": render_template(leaf.reason, env, lang),
            "facts": _facts_used(path_rules, env),
        })
        if walk.assumed:
            reasons.append({"rule": walk.assumed[0], "legal_basis": "",
                            "text": msg("assumed", lang, rules=", ".join(walk.assumed)), "facts": {}})
    score = None
    if service.score:
        labels = {c.id: c for c in service.score}
        score = {
            "value": jsonable(raw.score),
            "components": [{"id": cid, "label": labels[cid].label.get(lang), "weight": labels[cid].weight,
                            "points": jsonable(pts)} for cid, pts in raw.score_parts],
        }
    amount = None
    if raw.amount is not None and raw.amount is not UNKNOWN:
        leaf_unit = walk.leaf.amount_unit if walk and walk.leaf and walk.leaf.amount else None
        unit = leaf_unit or service.amount_unit
        amount = {"value": jsonable(raw.amount), "unit": unit.get(lang) if unit else ""}
    tried = env.get("tjenester.forsøkt", ())
    if tried is UNKNOWN:
        tried = ()
    alternatives = []
    for alt in service.alternatives:
        if raw.step is not None and alt.step > raw.step:
            continue
        ok = True if alt.when is None else alt.when(env)
        if ok is False:
            continue
        alternatives.append({
            "service": alt.service, "step": alt.step,
            "name": alt.name.get(lang) if alt.name else alt.service.replace("_", " "),
            "text": render_template(alt.reason, env, lang),
            "tried": alt.service in tried if "tjenester.forsøkt" in env else None,
        })
    return {
        "service": service.id,
        "service_name": service.name.get(lang),
        "legal_basis": "; ".join(base_legal),
        "outcome": raw.outcome,
        "step": raw.step,
        "score": score,
        "reasons": reasons,
        "missing": missing,
        "alternatives": alternatives,
        "decided_by": decided_by,
        "discretion": discretion,
        "addressee": service.addressee,
        "amount": amount,
        "rule_path": list(walk.path) if walk else [],
    }


def _fact_label(rs, path: str, lang: str) -> str:
    info = rs.vocabulary.facts.get(path)
    return f"{info.label.get(lang)} ({path})" if info else path


def staircase_step(decisions: list[dict]) -> int | None:
    """The step the applicant ends up on: the highest granted step, else the highest
    lower-level alternative offered instead."""
    granted = [d["step"] for d in decisions if d["outcome"] in ("innvilget", "delvis_innvilget") and d["step"]]
    if granted:
        return max(granted)
    offered = [a["step"] for d in decisions if d["outcome"] == "avslag" for a in d["alternatives"]]
    return max(offered) if offered else None


def trace_json(tracer: Tracer) -> list[dict]:
    return [{"kind": e.kind, "service": e.service, "rule": e.rule, "value": jsonable(e.value),
             "facts": {k: jsonable(v) for k, v in e.facts}, "depth": e.depth} for e in tracer.events]


def explain_case(crs: CompiledRuleSet, case_id: str, raws: list[RawDecision], env: dict, on: _dt.date,
                 lang: str, *, warnings: list[str] | None = None, tracer: Tracer | None = None) -> dict:
    rs = crs.ruleset
    decisions = [explain_decision(crs, raw, env, on, lang) for raw in raws]
    out = {
        "case": case_id,
        "rule_set": {"id": rs.id, "version": rs.version, "sha256": rs.sha256,
                     "municipality": rs.meta.municipality, "example": rs.meta.example},
        "as_of": on.isoformat(),
        "decisions": decisions,
        "staircase_step": staircase_step(decisions),
        "samlevedtak": len(decisions) > 1,
        "language": lang,
        "warnings": list(warnings or []),
    }
    if tracer is not None:
        out["trace"] = trace_json(tracer)
    return out
