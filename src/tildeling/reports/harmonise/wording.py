"""The words of the harmonisation report, shared by its Markdown and HTML: labels from the
message catalogue (``harmonise_report.*``) and one-line descriptions of the values the
harmonise JSON holds. Nothing here adds a fact the data does not hold.

>>> say("direction.gain", "nn"), outcome_label("ikke_beskrevet", "en"), step_label("none", "nb")
('Vinst', 'Not described', 'uten trinn')
>>> side_text({"outcome": "innvilget", "step": 6, "amount": 2.5, "unit": "timer/uke"}, "nb")
'Innvilget, trinn 6, 2,5 timer/uke'
"""

from __future__ import annotations

from typing import Any

from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.markup import number

DIRECTIONS = ("gain", "loss", "unchanged", "unranked")
STEP_CHANGES = ("higher", "lower", "same")
_OWN_OUTCOMES = ("ikke_beskrevet",)  # outcomes the shared catalogue does not name
_SHARED_OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart")


def say(key: str, lang: str, **kw: Any) -> str:
    """The text of ``harmonise_report.<key>``."""
    return msg(f"harmonise_report.{key}", lang, **kw)


def say_n(key: str, n: int, lang: str, **kw: Any) -> str:
    return msg_n(f"harmonise_report.{key}", n, lang, **kw)


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


def direction_label(code: Any, lang: str) -> str:
    return say(f"direction.{code}", lang) if code in DIRECTIONS else str(code)


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
        parts.append(say("step_word", lang, step=side["step"]))
    if side.get("amount") is not None:
        parts.append(f"{number(side['amount'], lang)} {side.get('unit') or ''}".strip())
    return ", ".join(parts)


def divergence_text(div: Any) -> str:
    """The first divergence of the two paths: a rule id as the data gives it, or for a
    structured one the rules on each side."""
    if div is None or div == "":
        return "–"
    if isinstance(div, dict):
        if div.get("rule"):
            return str(div["rule"])
        old = (div.get("legacy") or div.get("old") or {})
        new = (div.get("harmonised") or div.get("new") or {})
        old_rule = old.get("rule") if isinstance(old, dict) else old
        new_rule = new.get("rule") if isinstance(new, dict) else new
        return f"{old_rule or '–'} / {new_rule or '–'}"
    return str(div)


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


def warning_text(w: Any) -> str:
    """A warning as the data gives it: a text, or an object's message (else its fields)."""
    if isinstance(w, dict):
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


def counted_rows(data: dict, lang: str) -> list[tuple[str, Any]]:
    """(label, number) for the report's «what is counted» table, in the data's terms."""
    c = data.get("counted") or {}
    keys = (("cases", "cases"), ("covered_cases", "covered_cases"), ("assessments", "assessments"),
            ("not_covered", "not_covered"), ("failed", "failed"))
    return [(say(label, lang), c[key]) for key, label in keys if key in c]


def service_name(service: dict) -> str:
    return str(service.get("name") or service.get("service") or "–")
