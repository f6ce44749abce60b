"""The words of the harmonisation report, shared by its Markdown and HTML: labels from the
message catalogue (``harmonise_report.*``) and one-line descriptions of the values the
harmonise JSON holds. Nothing here adds a fact the data does not hold.

>>> say("direction.gain", "nn"), outcome_label("ikke_beskrevet", "en"), step_label("none", "nb")
('Vinst', 'Not described', 'uten trinn')
>>> side_text({"outcome": "innvilget", "step": 6, "amount": 2.5, "unit": "timer/uke"}, "nb")
'Innvilget, trinn 6, 2,5 timer/uke'
"""

from __future__ import annotations

import json
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from tildeling.explain.explanation import show_value
from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.diff_report import cause_text
from tildeling.reports.markup import number

DIRECTIONS = ("gain", "loss", "unchanged", "unranked")
STEP_CHANGES = ("higher", "lower", "same", "without_step")  # the last: no step on one side or both
AMOUNT_FIGURES = ("more", "fewer", "same", "not_comparable", "before", "after")
_OWN_OUTCOMES = ("ikke_beskrevet",)  # outcomes the shared catalogue does not name
_SHARED_OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart")


def say(key: str, lang: str, **kw: Any) -> str:
    """The text of ``harmonise_report.<key>``."""
    return msg(f"harmonise_report.{key}", lang, **kw)


def say_n(key: str, n: int, lang: str, **kw: Any) -> str:
    return msg_n(f"harmonise_report.{key}", n, lang, **kw)


@lru_cache(maxsize=256)
def outcome_label(code: Any, lang: str) -> str:
    if code in _SHARED_OUTCOMES:
        return msg(f"outcome.{code}", lang)
    if code in _OWN_OUTCOMES:
        return say(f"outcome.{code}", lang)
    return "–" if code is None else str(code)


def step_label(label: Any, lang: str) -> str:
    """A step of the care ladder as the data writes it (``"6"``, ``6``, ``"none"`` or null)."""
    return say("no_step", lang) if label in (None, "none") else str(label)


def step_sort_key(label: Any) -> tuple:
    """Steps in ladder order, «no step» last, anything else after that by its text."""
    text = str(label)
    if label in (None, "none"):
        return (1, 0, "")
    return (0, int(text), "") if text.isdigit() else (2, 0, text)


@lru_cache(maxsize=64)
def direction_label(code: Any, lang: str) -> str:
    return say(f"direction.{code}", lang) if code in DIRECTIONS else str(code)


@lru_cache(maxsize=64)
def side_label(code: Any, lang: str) -> str:
    return say(f"side.{code}", lang) if code in ("legacy", "harmonised") else str(code)


def window(start: Any, end: Any, lang: str) -> str:
    return say("valid", lang, start=start or "…", end=end or "…")


def rule_set_text(info: dict, lang: str) -> str:
    """``drammen 2021.1 (gyldig 2021-01-01 – …, sha256 9c0707070707)``"""
    extra = [window(info.get("valid_from"), info.get("valid_to"), lang)]
    if info.get("sha256"):
        extra.append(f"sha256 {str(info['sha256'])[:12]}")
    return f"{info.get('id', '–')} {info.get('version', '')}".strip() + f" ({', '.join(extra)})"


def side_text(side: dict | None, lang: str) -> str:
    """One side of a changed assessment: outcome, step and amount, as far as the data has them."""
    if not side:
        return "–"
    parts = [outcome_label(side.get("outcome"), lang)]
    if side.get("step") not in (None, "none"):
        parts.append(_step_word(str(side["step"]), lang))
    if side.get("amount") is not None:
        parts.append(f"{number(side['amount'], lang)} {side.get('unit') or ''}".strip())
    return ", ".join(parts)


@lru_cache(maxsize=64)
def _step_word(step: str, lang: str) -> str:
    return say("step_word", lang, step=step)


@lru_cache(maxsize=4096)
def _sentence(key: str, lang: str) -> str:
    """:func:`diff_report.cause_text` for a cause reduced to what it reads (``key``, JSON): the
    same causes recur over a population, and their sentences are built once."""
    try:
        return cause_text(SimpleNamespace(cause=json.loads(key)), lang)  # type: ignore[arg-type]
    except (KeyError, TypeError, AttributeError):  # a cause shaped otherwise: the ids say it
        return ""


def divergence_text(div: Any, lang: str = "nb") -> str:
    """The first divergence of the two paths: a rule id as the data gives it, or for a
    structured one the rule on each side («a / b», one id when both are the same rule), else
    what kind of difference it is."""
    if div is None or div == "":
        return "–"
    if not isinstance(div, dict):
        return str(div)
    old, new = div.get("legacy_rule"), div.get("harmonised_rule")
    for a, b in (("legacy", "harmonised"), ("old", "new")):
        if old is None and new is None and (isinstance(div.get(a), dict) or isinstance(div.get(b), dict)):
            old, new = (div.get(a) or {}).get("rule"), (div.get(b) or {}).get("rule")
    if old or new:
        return str(old) if old == new else f"{old or '–'} / {new or '–'}"
    if div.get("rule"):
        return str(div["rule"])
    if div.get("kind") == "not_described" and div.get("status") in ("old", "new"):
        return msg(f"diff.cause.not_described.{div['status']}", lang)
    if div.get("kind") == "unrelated":
        return msg("diff.cause.unrelated", lang)
    return str(div.get("kind") or "–")


def facts_text(cause: dict, lang: str) -> str:
    """The facts the first divergence tests, by name; with their values only where the data
    holds them (``fact_values``, written only with ``--show-facts``)."""
    paths = cause.get("divergence") if isinstance(cause.get("divergence"), dict) else {}
    shown: dict[str, str] = {}
    for side in ("old", "new"):
        ev = (paths or {}).get(side)
        if not isinstance(ev, dict):
            continue
        values = ev.get("fact_values") if isinstance(ev.get("fact_values"), dict) else None
        for name in ev.get("facts") or []:
            if values is not None and name in values:
                shown[name] = f"{name}={show_value(values[name], lang)}"
            else:
                shown.setdefault(name, name)
    return f"{msg('diff.facts_involved', lang)}: {', '.join(shown[k] for k in sorted(shown))}" if shown else ""


def change_cause(change: dict, lang: str) -> dict[str, str]:
    """The cause of one changed assessment in words: ``legacy_rule``, ``harmonised_rule``,
    ``divergence``, ``legal_basis``, ``sentence`` (empty when the data has only the ids) and
    ``facts`` (:func:`facts_text`).
    Takes the cause as the design writes it (those four keys) or as ``tildeling diff`` records
    it (``cause``, ``divergence``, ``decisive``)."""
    c = change.get("cause") or {}
    before, after = change.get("before") or {}, change.get("after") or {}
    if "decisive" in c or isinstance(c.get("cause"), dict):
        decisive = c.get("decisive") or {}
        old, new = decisive.get("old") or {}, decisive.get("new") or {}
        div = c.get("divergence")
        first = divergence_text(div, lang) if div else str((c.get("cause") or {}).get("rule") or "–")
        paths = c.get("divergence") or {}
        reduced = {"cause": c.get("cause"),
                   "divergence": {side: {k: ev.get(k) for k in ("kind", "rule", "value")} if isinstance(ev, dict) else ev
                                  for side, ev in paths.items() if side in ("old", "new")} if paths else None}
        sentence = _sentence(json.dumps(reduced, sort_keys=True, ensure_ascii=False, default=str), lang)
        return {"legacy_rule": str(old.get("rule") or before.get("rule") or "–"),
                "harmonised_rule": str(new.get("rule") or after.get("rule") or "–"),
                "divergence": first, "legal_basis": legal_basis_text(new.get("legal_basis")), "sentence": sentence,
                "facts": facts_text(c, lang)}
    return {"legacy_rule": str(c.get("legacy_rule") or before.get("rule") or "–"),
            "harmonised_rule": str(c.get("harmonised_rule") or after.get("rule") or "–"),
            "divergence": divergence_text(c.get("divergence"), lang),
            "legal_basis": legal_basis_text(c.get("legal_basis")), "sentence": "", "facts": ""}


def legal_basis_text(basis: Any) -> str:
    if basis is None or basis == "" or basis == []:
        return "–"
    if isinstance(basis, (list, tuple)):
        return "; ".join(str(b) for b in basis)
    return str(basis)


def not_covered_reason(code: Any, lang: str) -> str:
    """Why a case is not covered, in general words (an entry's own ``message`` goes first)."""
    key = f"not_covered.{str(code).replace('-', '_')}"
    known = ("former-municipality-unknown", "former-municipality-missing", "municipality-not-in-merger")
    return say(key, lang) if code in known else "–"


def warning_text(w: Any, lang: str) -> str:
    """A warning as the data gives it: a text, a rule set used outside its validity, or an
    object's message (else its fields)."""
    if isinstance(w, dict):
        if w.get("code") == "outside-validity" and isinstance(w.get("cases"), int):
            return say_n("warning.outside_validity", w["cases"], lang, rule_set=w.get("rule_set", "–"),
                         side=side_label(w.get("side"), lang), valid=window(w.get("valid_from"), w.get("valid_to"), lang))
        if w.get("message"):
            return str(w["message"])
        return ", ".join(f"{k}: {v}" for k, v in sorted(w.items()))
    return str(w)


def error_text(e: Any) -> str:
    """``file:line:column: message [code]``, like the diff report."""
    if not isinstance(e, dict):
        return str(e)
    where = str(e.get("file") or e.get("source") or "–")
    if e.get("line"):
        where += f":{e['line']}:{e.get('column', 1)}"
    code = f" [{e['code']}]" if e.get("code") else ""
    return f"{where}: {e.get('message', '')}{code}"


def error_sections(data: dict, lang: str) -> list[tuple[str, list]]:
    """(title, entries): the case files that failed, then the invalid rule sets they needed."""
    out = []
    errors, rule_sets = data.get("errors") or [], data.get("rule_set_errors") or []
    if errors:
        out.append((f"{msg('diff.error_title', lang)} ({len(errors)})", errors))
    if rule_sets:
        files = {e.get("file") for e in rule_sets if isinstance(e, dict)}
        out.append((msg("inputs.rule_sets_title", lang, n=len(files) or len(rule_sets)), rule_sets))
    return out


def omitted_text(data: dict, which: str, lang: str) -> str:
    """The sentence for the not-covered cases or dates outside validity the data counted but
    did not list (``not_covered_omitted``, ``outside_validity_omitted``); empty when none."""
    key = {"not_covered": "not_covered_omitted", "outside": "outside_validity_omitted"}[which]
    n = data.get(key) or 0
    return say_n(f"{which}_omitted", n, lang) if isinstance(n, int) and n > 0 else ""


def counted_rows(data: dict, lang: str) -> list[tuple[str, Any]]:
    """(label, number) for the report's «what is counted» table, in the data's terms."""
    c = data.get("counted") or {}
    keys = ("cases", "covered_cases", "assessments", "not_covered", "failed", "skipped")
    return [(say(key, lang), c[key]) for key in keys if key in c]


def service_name(service: dict) -> str:
    return str(service.get("name") or service.get("service") or "–")


def service_names(services: list[dict] | None) -> dict[Any, str]:
    """Each service's name, with its id added where two services share a name."""
    names = [service_name(s) for s in services or []]
    return {s.get("service"): f"{n} ({s.get('service')})" if names.count(n) > 1 else n
            for s, n in zip(services or [], names)}
