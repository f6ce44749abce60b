"""The harmonisation report as text for the terminal (``tildeling harmonise``, the default
format): a pure function of the report's JSON (:meth:`tildeling.compare.harmonise.HarmoniseReport.to_json`),
so it prints the same figures as every other format. Plain aligned columns, as ``tildeling
diff`` prints; every table says what it counts (cases or assessments).
"""

from __future__ import annotations

from typing import Any

from tildeling.explain.explanation import show_value
from tildeling.i18n.messages import msg
from tildeling.reports.harmonise.wording import divergence_text

DIRECTIONS = ("gain", "loss", "unchanged", "unranked")


def _h(key: str, lang: str, **kw: Any) -> str:
    """The message ``harmonise.<key>`` (tests/test_messages.py checks every key this module names)."""
    return msg(f"harmonise.{key}", lang, **kw)


def _columns(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    return [(indent + "  ".join([r[0].ljust(widths[0])] + [c.rjust(widths[j + 1]) for j, c in enumerate(r[1:])]))
            .rstrip() for r in rows]


def _num(value: Any, lang: str) -> str:
    return show_value(value, lang) if value is not None else "–"


def _validity(e: dict) -> str:
    return f"{e['valid_from']} – {e['valid_to'] or '…'}"


def _step(label: str, lang: str) -> str:
    return _h("no_step", lang) if label == "none" else label


def to_text(data: dict, lang: str = "nb") -> str:
    """The report ``data`` (its JSON) as text in ``lang``."""
    m = data["merger"]
    title = _h("title", lang, merger=m["municipality"])
    out = [title, "=" * len(title), ""]
    out.append(f"{_h('harmonised', lang)}: " + "; ".join(f"{e['id']} {e['version']} ({_validity(e)})"
                                                          for e in m["harmonised"]))
    out.append(f"{_h('legacy', lang)}: " + "; ".join(f"{e['municipality']}: {e['id']} {e['version']} ({_validity(e)})"
                                                      for e in m["legacy"]))
    c = data["counted"]
    out += ["", _h("counted", lang)]
    out += _columns([[_h("cases", lang), str(c["cases"])], [_h("persons", lang), str(c["persons"])],
                     [_h("covered", lang), str(c["covered_cases"])], [_h("not_covered_count", lang), str(c["not_covered"])],
                     [_h("failed", lang), str(c["failed"])], [_h("assessments", lang), str(c["assessments"])]])
    out += ["", _h("persons_note", lang), _h("directions_note", lang)]
    heads = [_h(f"direction.{d}", lang) for d in DIRECTIONS]
    rows = [[_h("municipality", lang), _h("rule_set", lang), _h("case_count", lang), _h("assessment_count", lang),
             *heads]]
    for g in data["municipalities"]:
        rows.append([g["municipality"], ", ".join(g["rule_sets"]) or "–", str(g["cases"]), str(g["assessments"]),
                     *(str(g["directions"][d]) for d in DIRECTIONS)])
    out += ["", _h("by_municipality", lang)] + _columns(rows)
    for g in data["municipalities"]:
        out += _municipality(g, lang)
    out += _not_covered(data, lang)
    if data["warnings"]:
        out += ["", _h("outside", lang)]
        for w in data["warnings"]:
            out.append("  – " + _h("outside_line", lang, rule_set=w["rule_set"], side=_h(f"side.{w['side']}", lang),
                                   cases=w["cases"], valid=_validity(w)))
    if not data.get("show_facts"):
        out += ["", _h("facts_hidden", lang)]
    return "\n".join(out) + "\n"


def _municipality(g: dict, lang: str) -> list[str]:
    head = f"{_h('section', lang, municipality=g['municipality'], rule_sets=', '.join(g['rule_sets']) or '–')} " \
           f"({_h('section_counts', lang, cases=g['cases'], assessments=g['assessments'])})"
    out = ["", head, "-" * len(head)]
    if not g["assessments"]:
        return out
    rows = [[_h("service", lang), _h("assessment_count", lang), *(_h(f"direction.{d}", lang) for d in DIRECTIONS),
             _h("step_higher", lang), _h("step_lower", lang)]]
    for s in g["services"]:
        rows.append([f"{s['name']} ({s['service']})", str(s["assessments"]),
                     *(str(s["directions"][d]) for d in DIRECTIONS), str(s["steps"]["higher"]), str(s["steps"]["lower"])])
    out += ["", _h("by_service", lang)] + _columns(rows)
    dist = g["step_distribution"]
    labels = [k for k in _order(set(dist["before"]) | set(dist["after"]))]
    if labels:
        out += ["", _h("step_distribution", lang)]
        out += _columns([[_h("step", lang), *(_step(k, lang) for k in labels)],
                         [_h("before", lang), *(str(dist["before"].get(k, 0)) for k in labels)],
                         [_h("after", lang), *(str(dist["after"].get(k, 0)) for k in labels)]])
    if g["amounts"]:
        rows = [[_h("unit", lang), _h("more", lang), _h("fewer", lang), _h("same", lang), _h("not_comparable", lang),
                 _h("sum_before", lang), _h("sum_after", lang)]]
        for a in g["amounts"]:
            rows.append([a["unit"], str(a["more"]), str(a["fewer"]), str(a["same"]), str(a["not_comparable"]),
                         _num(a["before"], lang), _num(a["after"], lang)])
        out += ["", _h("amounts", lang)] + _columns(rows)
    for s in g["services"]:
        if s["directions"]["unchanged"] == s["assessments"]:
            continue  # a matrix on its diagonal only says «unchanged», as the table above does
        mat = s["outcome_matrix"]
        used = [i for i, _ in enumerate(mat["labels"])
                if any(mat["rows"][i]) or any(r[i] for r in mat["rows"])]
        rows = [["", *(msg(f"outcome.{mat['labels'][j]}", lang) for j in used)]]
        for i in used:
            rows.append([msg(f"outcome.{mat['labels'][i]}", lang), *(str(mat["rows"][i][j]) for j in used)])
        out += ["", _h("outcome_matrix", lang, service=f"{s['name']} ({s['service']})")] + _columns(rows)
    out += ["", _h("causes", lang)]
    if not g["causes"]:
        out.append(f"  {_h('no_changes', lang)}")
    for cause in g["causes"]:
        d = cause["divergence"]
        line = _h("cause_line", lang, count=cause["count"], service=cause["service"],
                  direction=_h(f"direction.{cause['direction']}", lang).lower(),
                  legacy_rule=cause["legacy_rule"] or "–", harmonised_rule=cause["harmonised_rule"] or "–")
        out.append(f"  {line}")
        kind = d.get("kind") if isinstance(d, dict) else None
        what = divergence_text(d, lang)
        if kind in ("value", "rule", "none"):
            what = f"{_h('divergence_kind.' + kind, lang)} ({what})"
        out.append(f"      {_h('divergence', lang)}: {what}; {_h('legal_basis', lang)}: {cause['legal_basis'] or '–'}")
        out.append(f"      {_h('examples', lang)}: {', '.join(cause['cases'])}")
    return out


def _order(keys: set[str]) -> list[str]:
    return sorted((k for k in keys if k != "none"), key=int) + (["none"] if "none" in keys else [])


def _not_covered(data: dict, lang: str) -> list[str]:
    n = data["counted"]["not_covered"]
    if not n:
        return []
    out = ["", _h("not_covered", lang, n=n)]
    rows = [[e["case"], e["source"], e["municipality"], e["code"]] for e in data["not_covered"]]
    out += _columns(rows)
    if data["not_covered_omitted"]:
        out.append("  " + _h("omitted", lang, n=data["not_covered_omitted"]))
    return out


__all__ = ["to_text"]
