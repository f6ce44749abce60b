"""The harmonise JSON as tidy tables: one row per figure, one row per changed assessment, per
cause, per case not covered and per date outside a rule set's validity. CSV and Parquet are
written from these rows; the column names are English codes, the same in every language.

**Figures** (the CSV; ``figures.parquet``) are in long form, one number per row, so a
spreadsheet's pivot table or a notebook's ``group_by`` can slice them any way:

================  ==================================================================================
column            meaning
================  ==================================================================================
municipality      the former (legacy) municipality; empty for the whole report
service           service id; empty for all services of the municipality
service_name      the service's name as the data gives it
table             ``counted``, ``direction``, ``step_change``, ``amount``, ``step_distribution``,
                  ``outcome_matrix`` or ``step_matrix``
legacy            outcome or step under the former rule set (matrices; ``step_distribution`` before)
harmonised        outcome or step under the harmonised set (matrices; ``step_distribution`` after)
category          ``counted``: cases, covered_cases, assessments, not_covered, failed, skipped;
                  ``direction``: gain, loss, unchanged, unranked; ``step_change``: higher, lower, same,
                  without_step; ``amount``: more, fewer, same, not_comparable, sum_before, sum_after
amount_unit       the unit of the amount (``amount`` rows only)
value             the number
unit              what ``value`` counts: ``cases``, ``assessments``, ``files``, or the amount unit for sums
================  ==================================================================================

A step is written as in the data (``"6"``), with ``none`` for «no step».

>>> rows = figure_rows({"counted": {"cases": 2, "assessments": 3}, "municipalities": []})
>>> [(r["table"], r["category"], r["value"], r["unit"]) for r in rows]
[('counted', 'cases', 2, 'cases'), ('counted', 'assessments', 3, 'assessments')]
"""

from __future__ import annotations

from typing import Any, Iterator

from tildeling.reports.harmonise.wording import DIRECTIONS, STEP_CHANGES, change_cause, step_sort_key

FIGURE_COLUMNS = ("municipality", "service", "service_name", "table", "legacy", "harmonised", "category",
                  "amount_unit", "value", "unit")
CHANGE_COLUMNS = ("municipality", "case", "source", "service", "direction",
                  "legacy_rule_set", "legacy_outcome", "legacy_step", "legacy_amount", "legacy_unit", "legacy_rule",
                  "harmonised_rule_set", "harmonised_outcome", "harmonised_step", "harmonised_amount",
                  "harmonised_unit", "harmonised_rule",
                  "cause_legacy_rule", "cause_harmonised_rule", "cause_divergence", "cause_legal_basis")
CAUSE_COLUMNS = ("municipality", "service", "direction", "legacy_rule", "harmonised_rule", "divergence",
                 "legal_basis", "count", "cases")
NOT_COVERED_COLUMNS = ("case", "source", "municipality", "code")
OUTSIDE_COLUMNS = ("case", "side", "rule_set", "date", "valid_from", "valid_to")

_COUNTED = ("cases", "covered_cases", "assessments", "not_covered", "failed", "skipped")
_COUNTED_UNIT = {"assessments": "assessments", "skipped": "files"}  # the rest count cases


def _step(label: Any) -> str:
    return "none" if label in (None, "none") else str(label)


def _row(municipality: str = "", service: dict | None = None, **kw: Any) -> dict[str, Any]:
    row = dict.fromkeys(FIGURE_COLUMNS, "")
    row.update(municipality=municipality, service=(service or {}).get("service", ""),
               service_name=(service or {}).get("name", ""), **kw)
    return row


def _group_rows(muni: str, group: dict, service: dict | None) -> Iterator[dict]:
    """Directions, step changes and amounts of a municipality or one of its services."""
    directions = group.get("directions") or {}
    for d in DIRECTIONS:
        if d in directions:
            yield _row(muni, service, table="direction", category=d, value=directions[d], unit="assessments")
    steps = group.get("steps") or {}
    for s in STEP_CHANGES:
        if s in steps:
            yield _row(muni, service, table="step_change", category=s, value=steps[s], unit="assessments")
    for a in group.get("amounts") or []:
        unit = a.get("unit") or ""
        for key, category, value_unit in (("more", "more", "assessments"), ("fewer", "fewer", "assessments"),
                                          ("same", "same", "assessments"),
                                          ("not_comparable", "not_comparable", "assessments"),
                                          ("before", "sum_before", unit), ("after", "sum_after", unit)):
            if key in a:
                yield _row(muni, service, table="amount", category=category, amount_unit=unit, value=a[key],
                           unit=value_unit)


def _matrix_rows(muni: str, service: dict, table: str, m: dict | None, step: bool) -> Iterator[dict]:
    if not m:
        return
    labels = [(_step(x) if step else str(x)) for x in m.get("labels") or []]
    for i, row in enumerate(m.get("rows") or []):
        for j, value in enumerate(row):
            yield _row(muni, service, table=table, legacy=labels[i], harmonised=labels[j], value=value,
                       unit="assessments")


def figure_rows(data: dict) -> list[dict]:
    """Every number of the report, one per row (see the module's table of columns)."""
    out = []
    counted = data.get("counted") or {}
    for key in _COUNTED:
        if key in counted:
            out.append(_row(table="counted", category=key, value=counted[key], unit=_COUNTED_UNIT.get(key, "cases")))
    for m in data.get("municipalities") or []:
        muni = m.get("municipality", "")
        for key in ("cases", "assessments"):
            if key in m:
                out.append(_row(muni, table="counted", category=key, value=m[key], unit=key))
        out.extend(_group_rows(muni, m, None))
        dist = m.get("step_distribution") or {}
        for side, column in (("before", "legacy"), ("after", "harmonised")):
            for label in sorted(dist.get(side) or {}, key=step_sort_key):
                row = _row(muni, table="step_distribution", value=dist[side][label], unit="assessments")
                row[column] = _step(label)
                out.append(row)
        for s in m.get("services") or []:
            if "assessments" in s:
                out.append(_row(muni, s, table="counted", category="assessments", value=s["assessments"],
                                unit="assessments"))
            out.extend(_group_rows(muni, s, s))
            out.extend(_matrix_rows(muni, s, "outcome_matrix", s.get("outcome_matrix"), step=False))
            out.extend(_matrix_rows(muni, s, "step_matrix", s.get("step_matrix"), step=True))
    return out


def change_rows(data: dict) -> list[dict]:
    """One row per changed assessment the data lists (``changes_omitted`` are not in it)."""
    out = []
    for m in data.get("municipalities") or []:
        for c in m.get("changes") or []:
            row: dict[str, Any] = {"municipality": m.get("municipality"), "case": c.get("case"),
                                   "source": c.get("source"), "service": c.get("service"),
                                   "direction": c.get("direction")}
            for side, prefix in (("before", "legacy"), ("after", "harmonised")):
                s = c.get(side) or {}
                for key in ("rule_set", "outcome", "step", "amount", "unit", "rule"):
                    row[f"{prefix}_{key}"] = s.get(key)
            cause = change_cause(c, "nb")  # ids and legal texts only: the same in every language
            for key in ("legacy_rule", "harmonised_rule", "divergence", "legal_basis"):
                row[f"cause_{key}"] = None if cause[key] == "–" else cause[key]
            out.append(row)
    return out


def cause_rows(data: dict) -> list[dict]:
    return [{"municipality": m.get("municipality"), **{k: c.get(k) for k in CAUSE_COLUMNS[1:]}}
            for m in data.get("municipalities") or [] for c in m.get("causes") or []]


def plain_rows(entries: list | None, columns: tuple[str, ...]) -> list[dict]:
    return [{k: e.get(k) for k in columns} for e in entries or []]
