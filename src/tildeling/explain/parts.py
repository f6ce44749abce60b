"""Explain a decision on an application in the long form: the form granted, what was
applied for, and each part with its own outcome, reasons and legal basis.

The service's decision is explained as any other (:func:`explain_service`); this adds what
the application asked for and how the answer differs from it (a smaller amount, another
form, refused parts), each with a reason the letter can print.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tildeling.evaluation.decision import RawDecision, RawPart
from tildeling.evaluation.plan import CompiledRuleSet, CService
from tildeling.explain.explanation import explain_service, jsonable, show_value
from tildeling.files.outcome import Applied, Decision, PartDecision, Reason
from tildeling.i18n.messages import msg
from tildeling.language.logic import UNKNOWN

GRANTED = ("innvilget", "delvis_innvilget")


def explain_application(crs: CompiledRuleSet, service: CService, raw: RawDecision, env: dict[str, Any],
                        on: _dt.date, lang: str) -> Decision:
    """The decision on one application, with ``form``, ``applied`` and ``parts``."""
    d = explain_service(crs, service, raw, env, on, lang)
    app = raw.applied
    d.form = raw.form
    d.applied = Applied(app.amount, app.parts, app.form)
    if raw.parts:
        d.parts = tuple(_part(crs, service, p, d, env, on, lang) for p in raw.parts)
        if raw.outcome == "uavklart" and not d.missing:
            d.missing = tuple(sorted({m for p in d.parts for m in p.missing}))
    extra: list[Reason] = []
    if raw.outcome in GRANTED:
        forms = service.source.forms
        if app.form is not None and raw.form is not None and raw.form != app.form:
            granted, applied = forms.get(raw.form), forms.get(app.form)
            g_name = granted.name.get(lang) if granted else raw.form
            a_name = applied.name.get(lang) if applied else app.form
            a_name = a_name[:1].lower() + a_name[1:]
            if granted is not None and granted.equivalent_to == app.form:
                extra.append(Reason(f"{service.id}.form", crs.cite(granted.legal, on) if granted.legal else "",
                                    msg("reason.equivalent_form", lang, applied=a_name, granted=g_name), {}))
            else:
                extra.append(Reason(f"{service.id}.form", "",
                                    msg("reason.other_form", lang, applied=a_name, granted=g_name), {}))
        amount = raw.amount
        if app.amount is not None and type(amount) in (int, float) and amount < app.amount:
            unit = d.amount.unit if d.amount else ""
            extra.append(Reason(f"{service.id}.omfang", "",
                                msg("reason.amount_reduced", lang, applied=show_value(float(app.amount), lang),
                                    granted=show_value(float(amount), lang), unit=unit).replace("  ", " "),
                                {"søkt.omfang": jsonable(app.amount)}))
    if extra:
        d.reasons = d.reasons + tuple(extra)
    return d


def _part(crs: CompiledRuleSet, service: CService, p: RawPart, whole: Decision, env: dict[str, Any],
          on: _dt.date, lang: str) -> PartDecision:
    cp = service.parts.get(p.part)
    name = cp.name.get(lang) if cp is not None else p.part
    outside = cp.outside_right if cp is not None else False
    if not p.own or cp is None:  # the service's own tree refused or could not decide: its reasons
        return PartDecision(p.part, name, p.decision.outcome, None, outside, whole.reasons, whole.missing)
    d = explain_service(crs, cp.service, p.decision, env, on, lang)
    reasons = d.reasons
    if cp.legal:
        basis = crs.cite(cp.legal, on)
        reasons = tuple(r if r.legal_basis and r.legal_basis != d.legal_basis else
                        Reason(r.rule, basis, r.text, r.facts) for r in reasons)
    amount = d.amount if p.decision.amount is not UNKNOWN else None
    return PartDecision(p.part, name, p.decision.outcome, amount, outside, reasons, d.missing)


__all__ = ["explain_application"]
