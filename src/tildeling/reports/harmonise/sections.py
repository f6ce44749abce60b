"""The tables of the harmonisation report, built once in words and numbers and then written as
Markdown or HTML (:mod:`.markdown`, :mod:`.html`). Every table's caption says what it counts.

A :class:`Table` holds plain text (the writers escape it); ``numeric`` marks the columns to
right-align, ``code`` the columns holding ids, ``total`` says the last row is a sum.

>>> t = counted_table({"counted": {"cases": 3, "assessments": 4}}, "en")
>>> t.head, t.rows
(['', 'Count'], [['Cases (= persons)', '3'], ['Assessments (case × service)', '4']])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tildeling.reports.harmonise.wording import (AMOUNT_FIGURES, DIRECTIONS, STEP_CHANGES, change_cause, counted_rows,
                                                 direction_label,
                                                 divergence_text, legal_basis_text, not_covered_reason,
                                                 outcome_label, say, service_name, service_names, side_label, side_text,
                                                 step_label, step_sort_key, window)
from tildeling.reports.markup import number


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str = ""
    code: set[int] = field(default_factory=set)
    total: bool = False
    matrix: bool = False  # a transition matrix: the diagonal is «unchanged»
    row_class: list[str] = field(default_factory=list)  # per row, for HTML (the direction of a change)
    col_class: dict[int, str] = field(default_factory=dict)  # per column, for HTML


def _num(v: Any, lang: str) -> str:
    return "–" if v is None else number(v, lang)


def counted_table(data: dict, lang: str) -> Table:
    rows = [[label, _num(v, lang)] for label, v in counted_rows(data, lang)]
    return Table(say("counted_title", lang), ["", say("count", lang)], rows, [False, True])


def overview_table(data: dict, lang: str) -> Table:
    """One row per former municipality: cases, assessments and the four directions."""
    head = [say("municipality_column", lang), say("cases", lang), say("assessments", lang)] + \
        [direction_label(d, lang) for d in DIRECTIONS]
    rows = []
    for m in data.get("municipalities") or []:
        d = m.get("directions") or {}
        rows.append([str(m.get("municipality", "–")), _num(m.get("cases"), lang), _num(m.get("assessments"), lang)]
                    + [_num(d.get(k), lang) for k in DIRECTIONS])
    return Table(say("summary", lang), head, rows, [False] + [True] * (len(head) - 1),
                 note=say("directions_note", lang))


def _service_rows(m: dict, lang: str, key: str, categories: tuple[str, ...]) -> list[list[str]]:
    rows = []
    names = service_names(m.get("services"))
    for s in m.get("services") or []:
        g = s.get(key) or {}
        rows.append([names[s.get("service")], _num(s.get("assessments"), lang)] + [_num(g.get(c), lang) for c in categories])
    total = m.get(key) or {}
    rows.append([say("total", lang), _num(m.get("assessments"), lang)] + [_num(total.get(c), lang) for c in categories])
    return rows


def directions_table(m: dict, lang: str) -> Table:
    head = [say("service", lang), say("assessments", lang)] + [direction_label(d, lang) for d in DIRECTIONS]
    return Table(say("directions", lang), head, _service_rows(m, lang, "directions", DIRECTIONS),
                 [False] + [True] * (len(head) - 1), total=True)


def _present(groups: list[dict], key: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The figures of ``names`` that some group has (the data may leave optional ones out)."""
    have = {k for g in groups for k in ((g.get(key) or {}) if key != "amounts" else
                                        {k for a in g.get("amounts") or [] for k in a})}
    return tuple(n for n in names if n in have)


def steps_table(m: dict, lang: str) -> Table:
    groups = [m] + list(m.get("services") or [])
    shown = _present(groups, "steps", STEP_CHANGES) or STEP_CHANGES[:3]
    head = [say("service", lang), say("assessments", lang)] + [say(f"step.{c}", lang) for c in shown]
    return Table(say("steps", lang), head, _service_rows(m, lang, "steps", shown),
                 [False] + [True] * (len(head) - 1), total=True)


def amounts_table(m: dict, lang: str) -> Table | None:
    """Per service and unit: assessments with more, less and the same amount, and the sums."""
    names = service_names(m.get("services"))
    groups = [(names[s.get("service")], s) for s in m.get("services") or []] + [(say("total", lang), m)]
    shown = _present([g for _, g in groups], "amounts", AMOUNT_FIGURES)
    head = [say("service", lang), say("unit", lang)] + [say(f"amount.{k}", lang) for k in shown]
    rows, kinds = [], []
    for who, group in groups:
        for a in group.get("amounts") or []:
            rows.append([who, str(a.get("unit") or "–")] + [_num(a.get(k), lang) for k in shown])
            kinds.append("total" if group is m else "")  # one sum per unit
    if not rows:
        return None
    return Table(say("amounts", lang), head, rows, [False, False] + [True] * len(shown), row_class=kinds)


def distribution(m: dict) -> tuple[list[str], list[int], list[int]]:
    """The steps of the municipality's step distribution in ladder order, with the counts before
    and after (0 where one side has none on that step)."""
    dist = m.get("step_distribution") or {}
    before, after = dist.get("before") or {}, dist.get("after") or {}
    steps = sorted({str(k) for k in before} | {str(k) for k in after}, key=step_sort_key)
    b = {str(k): v for k, v in before.items()}
    a = {str(k): v for k, v in after.items()}
    return steps, [b.get(s, 0) for s in steps], [a.get(s, 0) for s in steps]


def distribution_table(m: dict, lang: str) -> Table:
    steps, before, after = distribution(m)
    rows = [[step_label(s, lang), _num(b, lang), _num(a, lang)] for s, b, a in zip(steps, before, after)]
    rows.append([say("total", lang), _num(sum(before), lang), _num(sum(after), lang)])
    return Table(say("step_chart", lang, municipality=m.get("municipality", "–")),
                 [say("step_axis", lang), say("before", lang), say("after", lang)], rows, [False, True, True],
                 total=True)


def matrix_table(s: dict, key: str, lang: str, name: str = "") -> Table | None:
    """The outcome or step transition matrix of one service, with row and column sums."""
    m = s.get(key)
    if not m or not m.get("labels"):
        return None
    step = key == "step_matrix"
    counts = m.get("rows") or []
    keep = list(range(len(m["labels"])))
    if step:  # steps that occur on neither side are left out (a ladder has 13; a service uses a few)
        keep = [i for i in keep if sum(counts[i]) or sum(r[i] for r in counts)] or keep[-1:]
        counts = [[counts[i][j] for j in keep] for i in keep]
    labels = [step_label(m["labels"][i], lang) if step else outcome_label(m["labels"][i], lang) for i in keep]
    n = len(labels)
    rows = [[label] + [_num(c, lang) for c in counts[i]] + [_num(sum(counts[i]), lang)]
            for i, label in enumerate(labels)]
    cols = [sum(counts[i][j] for i in range(n)) for j in range(n)]
    rows.append([say("total", lang)] + [_num(c, lang) for c in cols] + [_num(sum(cols), lang)])
    caption = say("outcome_matrix" if not step else "step_matrix", lang, service=name or service_name(s))
    return Table(caption, [say("matrix_corner", lang)] + labels + [say("total", lang)], rows,
                 [False] + [True] * (n + 1), note=say("step_matrix_note" if step else "matrix_note", lang), total=True,
                 matrix=True)


def causes_table(m: dict, lang: str) -> Table | None:
    causes = m.get("causes") or []
    if not causes:
        return None
    names = service_names(m.get("services"))
    head = [say("service", lang), say("direction", lang), say("legacy_rule", lang), say("harmonised_rule", lang),
            say("divergence", lang), say("legal_basis", lang), say("count", lang), say("examples", lang)]
    rows = [[names.get(c.get("service"), str(c.get("service") or "–")), direction_label(c.get("direction"), lang),
             str(c.get("legacy_rule") or "–"), str(c.get("harmonised_rule") or "–"),
             divergence_text(c.get("divergence"), lang),
             legal_basis_text(c.get("legal_basis")), _num(c.get("count"), lang), ", ".join(c.get("cases") or [])]
            for c in causes]
    return Table(say("causes", lang), head, rows, [False] * 6 + [True, False], note=say("causes_note", lang),
                 code={2, 3, 4})


def changes_table(m: dict, lang: str) -> Table | None:
    """The changed assessments the data lists: before and after with their rules and rule sets,
    the direction, the cause (a sentence when the data records the paths, else the first
    divergence) and the legal basis of the harmonised decision."""
    changes = m.get("changes") or []
    if not changes:
        return None
    names = service_names(m.get("services"))
    head = [say("case", lang), say("service", lang), say("before", lang), say("after", lang), say("direction", lang),
            say("cause", lang), say("legal_basis", lang)]
    described = any(c.get("description") for c in changes)  # only with --include-personal-data
    if described:
        head.append(say("description", lang))
    rows = []
    causes = [change_cause(c, lang) for c in changes]
    for c, cause in zip(changes, causes):
        before, after = c.get("before") or {}, c.get("after") or {}
        row = [str(c.get("case") or "–"), names.get(c.get("service"), str(c.get("service") or "–")),
               f"{side_text(before, lang)} ({cause['legacy_rule']}; {before.get('rule_set') or '–'})",
               f"{side_text(after, lang)} ({cause['harmonised_rule']}; {after.get('rule_set') or '–'})",
               direction_label(c.get("direction"), lang),
               " ".join(x for x in (cause["sentence"] or cause["divergence"], cause["facts"] and cause["facts"] + ".") if x),
               cause["legal_basis"]]
        if described:
            row.append(str(c.get("description") or ""))
        rows.append(row)
    code = {0} | ({5} if all(not cause["sentence"] for cause in causes) else set())
    return Table(say("changes", lang), head, rows, [False] * len(head), code=code,
                 row_class=[f"dir-{c.get('direction')}" for c in changes], col_class={4: "dir"})


def not_covered_table(data: dict, lang: str) -> Table:
    entries = data.get("not_covered") or []
    head = [say("case", lang), say("source", lang), say("stated_municipality", lang), say("reason", lang),
            say("code", lang)]
    described = any(e.get("description") for e in entries)  # only with --include-personal-data
    if described:
        head.append(say("description", lang))
    rows = [[str(e.get("case") or "–"), str(e.get("source") or "–"), str(e.get("municipality") or "–"),
             str(e.get("message") or not_covered_reason(e.get("code"), lang)), str(e.get("code") or "–")]
            + ([str(e.get("description") or "")] if described else []) for e in entries]
    return Table(say("not_covered_title", lang), head, rows, [False] * len(head), note=say("not_covered_note", lang),
                 code={0, 4})


def outside_table(data: dict, lang: str) -> Table:
    head = [say("case", lang), say("side", lang), say("rule_set", lang), say("date", lang), say("validity", lang)]
    rows = [[str(e.get("case") or "–"), side_label(e.get("side"), lang), str(e.get("rule_set") or "–"),
             str(e.get("date") or "–"), window(e.get("valid_from"), e.get("valid_to"), lang)]
            for e in data.get("outside_validity") or []]
    return Table(say("outside_title", lang), head, rows, [False] * len(head), note=say("outside_note", lang),
                 code={0})


def municipality_tables(m: dict, lang: str) -> list[Table]:
    """The summary tables of one former municipality, in reading order."""
    out = [directions_table(m, lang), steps_table(m, lang), amounts_table(m, lang), distribution_table(m, lang)]
    return [t for t in out if t is not None]


def matrix_tables(m: dict, lang: str) -> list[Table]:
    """The outcome and step transition matrices of each service of one former municipality."""
    out = []
    names = service_names(m.get("services"))
    for s in m.get("services") or []:
        name = names[s.get("service")]
        out += [matrix_table(s, "outcome_matrix", lang, name), matrix_table(s, "step_matrix", lang, name)]
    return [t for t in out if t is not None]
