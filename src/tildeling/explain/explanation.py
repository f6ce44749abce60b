"""Explanations: turn raw decisions (and, with ``--explain``, the trace) into the outcome
that the JSON contract, the terminal and the decision letter show.

Everything here is a pure function of what the evaluator recorded: the rules taken, the
facts they used, the leaf's reason template, the citations. Legal references are printed
in the numbering in force on the case's date.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tildeling.evaluation.plan import CompiledRuleSet, CService, Template
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.walker import RawDecision
from tildeling.i18n.messages import msg
from tildeling.language.logic import UNKNOWN

_PLAIN = frozenset((bool, int, str))
_ABSENT = object()


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
        return f"{value:.2f}".rstrip("0").replace(".", msg("format.decimal_separator", lang))
    if isinstance(value, _dt.date):
        return value.strftime(msg("format.date", lang))
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def render_template(tpl: Template | None, env: dict, lang: str) -> str:
    """A reason template rendered for one case (see :func:`_template_function`)."""
    text = _template_function(tpl, lang)
    return text if text.__class__ is str else text(env)


def _cite(crs: CompiledRuleSet, citations, on: _dt.date) -> str:
    return crs.cite(citations, on)


def _fact_keys(service: CService, path: tuple[str, ...]) -> tuple[str, ...]:
    """The facts an explanation shows for a path: what its conditions and texts used."""
    keys = service.facts_cache.get(path)
    if keys is None:
        used: set[str] = set()
        for rid in path:
            r = service.index.get(rid)
            if r is not None:
                used |= r.depends_on
                if r.reason is not None:
                    used |= r.reason.placeholder_facts
        keys = tuple(sorted(used))
        service.facts_cache[path] = keys
    return keys


def _facts_used(service: CService, path: tuple[str, ...], env: dict) -> dict[str, Any]:
    return {f: jsonable(env[f]) for f in _fact_keys(service, path) if f in env}


def explain_decision(crs: CompiledRuleSet, raw: RawDecision, env: dict, on: _dt.date, lang: str) -> dict:
    """The outcome of one service as the JSON contract shows it."""
    service = crs.services.get(raw.service)
    if service is None:
        return _not_described(crs, raw, lang)
    walk = raw.walk
    if walk is not None and walk.leaf is not None and not walk.assumed:
        # The common case: a leaf reached with every condition known. A builder holding
        # everything that does not depend on the case is made once per (path, language, date).
        key = (walk.path, lang, on)
        build = service.explain_cache.get(key)
        if build is None:
            build = _decision_builder(crs, service, walk, on, lang)
            if len(service.explain_cache) < 50_000:
                service.explain_cache[key] = build
        return build(raw, env)
    return _undecided_decision(crs, service, raw, env, on, lang)


def _template_function(tpl: Template | None, lang: str):
    """``env -> text`` for a reason template in one language (a constant when it has no
    placeholders)."""
    if tpl is None:
        return ""
    parts = tpl.parts.get(lang) or tpl.parts.get("nb") or tpl.parts.get("nn") or next(iter(tpl.parts.values()))
    items = []
    for literal, name in parts:
        if literal:
            items.append((literal, None))
        if name is not None:
            items.append(("", tpl.getters.get(name)))
    if all(getter is None for _, getter in items):
        return "".join(literal for literal, _ in items)
    unknown = msg("unknown_value", lang)

    def show(value: Any) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is str:
            return value.replace("_", " ")
        if value is UNKNOWN:
            return unknown
        return show_value(value, lang)

    literals = [literal for literal, _ in items]
    slots = tuple((i, getter) for i, (_, getter) in enumerate(items) if getter is not None)
    if len(slots) == 1 and len(literals) <= 3:
        (i, getter), = slots
        before, after = "".join(literals[:i]), "".join(literals[i + 1:])
        return lambda env: before + show(getter(env)) + after

    def render(env: dict) -> str:
        out = literals.copy()
        for i, getter in slots:
            out[i] = show(getter(env))
        return "".join(out)

    return render


def _decision_builder(crs: CompiledRuleSet, service: CService, walk, on: _dt.date, lang: str):
    leaf = walk.leaf
    path = walk.path
    base = _cite(crs, service.legal, on)
    leaf_legal = _cite(crs, leaf.legal, on) or base
    text = _template_function(leaf.reason, lang)
    fact_keys = _fact_keys(service, path)
    sid, name, addressee = service.id, service.name.get(lang), service.addressee
    layer, discretion, rid = leaf.layer, leaf.discretion, leaf.id
    has_score, has_alternatives = bool(service.score), bool(service.alternatives)
    plain, absent = _PLAIN, _ABSENT

    def build(raw: RawDecision, env: dict) -> dict:
        return {
            "service": sid,
            "service_name": name,
            "legal_basis": base,
            "outcome": raw.outcome,
            "step": raw.step,
            "score": _score(service, raw, lang) if has_score else None,
            "reasons": [{
                "rule": rid,
                "legal_basis": leaf_legal,
                "text": text if text.__class__ is str else text(env),
                "facts": {f: (v if type(v) in plain else jsonable(v)) for f in fact_keys
                          if (v := env.get(f, absent)) is not absent},
            }],
            "missing": [],
            "alternatives": _alternatives(service, raw, env, lang) if has_alternatives else [],
            "decided_by": layer,
            "discretion": discretion,
            "addressee": addressee,
            "amount": _amount(service, raw.walk, raw, lang) if raw.amount is not None else None,
            "rule_path": list(path),
        }

    return build


def _not_described(crs: CompiledRuleSet, raw: RawDecision, lang: str) -> dict:
    return {
        "service": raw.service, "service_name": raw.service, "legal_basis": "", "outcome": "uavklart",
        "step": None, "score": None,
        "reasons": [{"rule": "tjeneste-ikke-beskrevet", "legal_basis": "",
                     "text": msg("not_described", lang, rule_set=crs.ruleset.id, service=raw.service), "facts": {}}],
        "missing": [], "alternatives": [], "decided_by": None, "discretion": False, "addressee": "søker",
        "amount": None, "rule_path": [],
    }


def _score(service: CService, raw: RawDecision, lang: str) -> dict:
    labels = {c.id: c for c in service.score}
    return {
        "value": jsonable(raw.score),
        "components": [{"id": cid, "label": labels[cid].label.get(lang), "weight": labels[cid].weight,
                        "points": jsonable(pts)} for cid, pts in raw.score_parts],
    }


def _amount(service: CService, walk, raw: RawDecision, lang: str) -> dict | None:
    if raw.amount is None or raw.amount is UNKNOWN:
        return None
    leaf_unit = walk.leaf.amount_unit if walk and walk.leaf and walk.leaf.amount else None
    unit = leaf_unit or service.amount_unit
    return {"value": jsonable(raw.amount), "unit": unit.get(lang) if unit else ""}


def _alternatives(service: CService, raw: RawDecision, env: dict, lang: str) -> list[dict]:
    tried = env.get("tjenester.forsøkt", ())
    known = "tjenester.forsøkt" in env and tried is not UNKNOWN
    out = []
    for alt in service.alternatives:
        if raw.step is not None and alt.step > raw.step:
            continue
        ok = True if alt.when is None else alt.when(env)
        if ok is False:
            continue
        out.append({
            "service": alt.service, "step": alt.step,
            "name": alt.name.get(lang) if alt.name else alt.service.replace("_", " "),
            "text": render_template(alt.reason, env, lang),
            "tried": (alt.service in tried) if known else None,
        })
    return out


def _undecided_decision(crs: CompiledRuleSet, service: CService, raw: RawDecision, env: dict, on: _dt.date,
                        lang: str) -> dict:
    """Outcomes that needed both ways of an unknown condition, or no rule matched."""
    rs = crs.ruleset
    base_legal = _cite(crs, service.legal, on)
    walk = raw.walk
    reasons = []
    missing: list[str] = []
    decided_by = None
    discretion = False
    if walk is None or walk.leaf is None:
        if walk is None:
            reasons.append({"rule": f"{service.id}.ingen-regel", "legal_basis": base_legal,
                            "text": msg("no_rule", lang), "facts": {}})
        else:
            missing = sorted(walk.missing)
            labels = ", ".join(_fact_label(rs, f, lang) for f in missing)
            r = walk.undecided[0]
            # One reason names every missing fact; the rules involved are in rule_path.
            reasons.append({"rule": r.id, "legal_basis": _cite(crs, r.legal, on) or base_legal,
                            "text": msg("missing", lang, facts=labels),
                            "facts": _facts_used(service, (r.id,), env)})
    else:
        leaf = walk.leaf
        decided_by = leaf.layer
        discretion = leaf.discretion
        reasons.append({
            "rule": leaf.id,
            "legal_basis": _cite(crs, leaf.legal, on) or base_legal,
            "text": render_template(leaf.reason, env, lang),
            "facts": _facts_used(service, walk.path, env),
        })
        if walk.assumed:
            reasons.append({"rule": walk.assumed[0], "legal_basis": "",
                            "text": msg("assumed", lang, rules=", ".join(walk.assumed)), "facts": {}})
    return {
        "service": service.id,
        "service_name": service.name.get(lang),
        "legal_basis": base_legal,
        "outcome": raw.outcome,
        "step": raw.step,
        "score": _score(service, raw, lang) if service.score else None,
        "reasons": reasons,
        "missing": missing,
        "alternatives": _alternatives(service, raw, env, lang) if service.alternatives else [],
        "decided_by": decided_by,
        "discretion": discretion,
        "addressee": service.addressee,
        "amount": _amount(service, walk, raw, lang),
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
        "appeal": {"weeks": env.get("parameter.klagefrist_uker", 4), "legal_basis": "pbrl § 7-5"},
    }
    if tracer is not None:
        out["trace"] = trace_json(tracer)
    return out
