"""The ``tildeling diff`` report as text, JSON, CSV, Markdown or self-contained HTML.

Every format is a pure function of a :class:`~tildeling.compare.diff.DiffReport`: items and errors
are sorted there, nothing here reads the clock or the locale, so the same input gives the
same bytes. :func:`write` streams the formats that list every item (JSON, CSV) to a file one
item at a time, in the same bytes :func:`render` gives, so a report over a population is never
built in memory. Labels are Norwegian (bokmål by default, ``--lang nn``/``en``); codes (outcomes,
rule ids, JSON keys, CSV columns) are the same in every language.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator, TextIO

from tildeling.compare.diff import OUTCOMES, DiffReport, Item
from tildeling.explain.explanation import show_value
from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.inputs import tally_line
from tildeling.reports.markup import REPORT_CSS
from tildeling.reports.markup import csv_value as _csv_value
from tildeling.reports.markup import html_table
from tildeling.reports.markup import html_text as _e
from tildeling.reports.markup import md_code as _md_code
from tildeling.reports.markup import md_table as _md_table
from tildeling.reports.markup import md_text as _md
from tildeling.reports.svg_charts import diverging_bars_svg

FORMATS = ("text", "json", "csv", "markdown", "html")

CSV_COLUMNS = ("case", "file", "service",
               "old_rule_set", "old_outcome", "old_step", "old_amount", "old_unit", "old_rule",
               "new_rule_set", "new_outcome", "new_step", "new_amount", "new_unit", "new_rule",
               "changed", "kind", "cause_kind", "cause_rule", "divergence_index", "divergence_old_rule",
               "divergence_new_rule")


def render(report: DiffReport, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "csv": to_csv, "markdown": to_markdown, "html": to_html}[fmt](report)


def write(report: DiffReport, fmt: str, out: TextIO) -> None:
    """Write the report to ``out``: the same bytes as :func:`render`, with the item lists of
    JSON and CSV written as they are read back, never held as one string."""
    parts = {"json": iter_json, "csv": iter_csv}.get(fmt)
    if parts is None:
        out.write(render(report, fmt))
        return
    for part in parts(report):
        out.write(part)


# --- shared wording ------------------------------------------------------------------------------

def _t(key: str, lang: str, **kw) -> str:
    return msg(f"diff.{key}", lang, **kw)


def _t_n(key: str, n: int, lang: str, **kw) -> str:
    return msg_n(f"diff.{key}", n, lang, **kw)


def _outcome(o: str, lang: str) -> str:
    return msg(f"outcome.{o}", lang)


def _step(s: int | None, lang: str) -> str:
    return "–" if s is None else str(s)


def _amount(value: Any, unit: str, lang: str) -> str:
    if value is None:
        return ""
    return f"{show_value(value, lang)} {unit}".strip()


def _side_text(item: Item, side: str, lang: str) -> str:
    s = item.old if side == "old" else item.new
    parts = [_outcome(s.outcome, lang)]
    if s.step is not None:
        parts.append(f"{msg('step', lang)} {s.step}")
    if s.amount is not None:
        parts.append(f"{msg('amount', lang).lower()} {_amount(s.amount, s.unit, lang)}")
    return ", ".join(parts)


def _value(ev: dict, lang: str) -> str:
    if ev["kind"] == "leaf":
        return _outcome(ev["value"], lang) if ev["value"] in OUTCOMES else str(ev["value"])
    if ev["kind"] == "split":
        return msg("split", lang)
    if ev["kind"] == "nomatch":
        return msg("no_rule", lang)
    return show_value(ev["value"], lang)


def _divergence_title(div: dict, lang: str) -> str:
    i, j = div["index_old"] + 1, div["index_new"] + 1
    return _t("divergence", lang, n=i) if i == j else _t("divergence2", lang, i=i, j=j)


def _condition(ev: dict) -> str:
    return " ".join((ev.get("condition") or "").split())


def cause_text(item: Item, lang: str) -> str:
    """One sentence: why this item changed."""
    c = item.cause or {}
    kind = (c.get("cause") or {}).get("kind")
    rule = (c.get("cause") or {}).get("rule")
    status = (c.get("cause") or {}).get("status")
    div = c.get("divergence") or {}
    if kind == "not_described":
        return _t(f"cause.not_described.{status}", lang)
    if kind == "unrelated":
        return _t("cause.unrelated", lang)
    if kind == "none":
        fields = [_t("field." + f, lang) for f in (c.get("cause") or {}).get("fields") or ["amount"]]
        what = fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} {_t('and', lang)} {fields[-1]}"
        return _t("cause.none", lang, rule=rule or "–", what=what)
    if kind == "value":
        return _t("cause.value", lang, rule=rule, old=_value(div["old"], lang), new=_value(div["new"], lang))
    if status == "replaced":
        return _t("cause.replaced", lang, old=(div.get("old") or {}).get("rule"), new=(div.get("new") or {}).get("rule"))
    if status in ("removed", "added"):
        return _t(f"cause.{status}", lang, rule=rule)
    old = (div.get("old") or {}).get("rule") or "–"
    new = (div.get("new") or {}).get("rule") or "–"
    return _t("cause.moved", lang, old=old, new=new)


def _rule_set_line(info: dict, lang: str) -> str:
    if info["version"] is not None:
        return f"{info['id']} {info['version']} ({info['municipality']}, sha256 {info['sha256'][:12]})"
    vs = info["versions"]
    if not vs:
        return info["spec"]
    listed = "; ".join(f"{v['id']} {v['version']} (sha256 {v['sha256'][:12]}, {_t_n('used_in', v['items'], lang)})"
                       for v in vs)
    return f"{info['spec']}: {_t('versions', lang)}: {listed}"


def _as_of(report: DiffReport, lang: str) -> str:
    return report.as_of.isoformat() if report.as_of else _t("as_of_application", lang)


def _warning_lines(report: DiffReport, lang: str) -> list[str]:
    codes: dict[str, int] = {}
    for e in report.not_covered.items:
        codes[e["code"]] = codes.get(e["code"], 0) + 1
    left_out = [_t_n("not_covered", n, lang, code=code) for code, n in sorted(codes.items())]
    if report.not_covered.omitted:
        left_out.append(f"… ({report.not_covered.omitted})")
    return left_out + [_t_n("outside", w["cases"], lang, rule_set=w["rule_set"],
                            side=_t(w["side"] + "_short", lang).lower(), valid=w["validity"])
                       for w in report.warnings()]


def _summary_rows(report: DiffReport, lang: str) -> list[tuple[str, int]]:
    s = report.summary()
    left_out = [(_t("not_covered_row", lang), s["not_covered"])] if s["not_covered"] else []
    return [(_t("cases", lang), s["cases"] - s["not_covered"]), *left_out, (_t("services", lang), s["services"]),
            (_t("changed", lang), s["changed"]), (_t("gains", lang), s["gains"]),
            (_t("losses", lang), s["losses"]), (_t("other", lang), s["other"]),
            (_t("unchanged", lang), s["unchanged"]), (_t("errors", lang), s["errors"])]


def _matrix_rows(m: dict, header: list[str], lang: str) -> list[list[str]]:
    """Header row, one row per old value with its total, a total row."""
    n = len(m["labels"])
    rows = [[""] + header + [_t("total", lang)]]
    for i, label in enumerate(header):
        rows.append([label] + [str(c) for c in m["counts"][i]] + [str(sum(m["counts"][i]))])
    cols = [sum(m["counts"][i][j] for i in range(n)) for j in range(n)]
    rows.append([_t("total", lang)] + [str(c) for c in cols] + [str(sum(cols))])
    return rows


def _outcome_labels(lang: str) -> list[str]:
    return [_outcome(o, lang) for o in OUTCOMES]


def _step_labels(m: dict, lang: str) -> list[str]:
    return [str(s) if s is not None else _t("no_step", lang) for s in m["labels"]]


def _service_rows(report: DiffReport, lang: str) -> list[list[str]]:
    rows = [[_t("service", lang), _t("evaluated", lang), _t("changed", lang), _t("kind.gain", lang).capitalize(),
             _t("kind.loss", lang).capitalize(), _t("kind.other", lang).capitalize()]]
    for r in report.by_service():
        rows.append([r["service_name"], str(r["items"]), str(r["changed"]), str(r["gains"]), str(r["losses"]),
                     str(r["other"])])
    return rows


def _error_sections(report: DiffReport, lang: str) -> list[tuple[str, list[dict]]]:
    """(title, entries): the inputs that failed, then the invalid rule sets they needed."""
    out = []
    if report.errors:
        out.append((f"{_t('error_title', lang)} ({len({e['file'] for e in report.errors})})", report.errors))
    if report.rule_set_errors:
        out.append((msg("inputs.rule_sets_title", lang, n=len({e["file"] for e in report.rule_set_errors})),
                    report.rule_set_errors))
    return out


def _error_line(e: dict) -> str:
    where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
    return f"{where}: {e['message']} [{e['code']}]"


def _truncated_lines(report: DiffReport, lang: str) -> list[str]:
    """When the list of changes is cut at ``--max-changes``: a sentence, then one line per
    cause (codes, the same in every language) with the number of changed services."""
    t = report.changes_truncated()
    if t is None:
        return []
    return [_t("changes_truncated", lang, shown=t["shown"], total=t["shown"] + t["omitted"])] + [
        f"{c['kind'] or '–'} / {c['status'] or '–'} / {c['rule'] or '–'}: {c['items']}" for c in t["by_cause"]]


def _facts(ev: dict, report: DiffReport, lang: str) -> str:
    if not ev.get("facts"):
        return ""
    if report.show_facts and "fact_values" in ev:
        return ", ".join(f"{k}={show_value(ev['fact_values'].get(k), lang)}" for k in ev["facts"])
    return ", ".join(ev["facts"])


# --- JSON and CSV ----------------------------------------------------------------------------------

def to_json(report: DiffReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


_ITEMS_AT = '\n  "items": []'  # the top-level key at two spaces; nested keys are indented deeper


def iter_json(report: DiffReport, batch: int = 256) -> Iterator[str]:
    """:func:`to_json` in pieces: everything but the items dumped as usual, the items dumped one
    by one and indented as ``json.dumps(…, indent=2)`` nests them."""
    text = json.dumps(report.to_json(items=False), ensure_ascii=False, indent=2) + "\n"
    at = text.index(_ITEMS_AT) + len(_ITEMS_AT) - 2
    yield text[:at]
    buf: list[str] = []
    first = True
    for item in report.iter_items():
        body = json.dumps(item.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        buf.append(("[\n    " if first else ",\n    ") + body)
        first = False
        if len(buf) >= batch:
            yield "".join(buf)
            buf = []
    buf.append("[]" if first else "\n  ]")
    yield "".join(buf)
    yield text[at + 2:]


def to_csv(report: DiffReport) -> str:
    return "".join(iter_csv(report))


def iter_csv(report: DiffReport, batch: int = 1024) -> Iterator[str]:
    """The CSV report in pieces of ``batch`` rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    n = 0
    for i in report.iter_items():
        c = i.cause or {}
        div = c.get("divergence") or {}
        w.writerow([_csv_value(v) for v in (
            i.case, i.file, i.service,
            i.old.rule_set, i.old.outcome, i.old.step, i.old.amount, i.old.unit, i.old.rule,
            i.new.rule_set, i.new.outcome, i.new.step, i.new.amount, i.new.unit, i.new.rule,
            i.changed, i.kind, (c.get("cause") or {}).get("kind"), (c.get("cause") or {}).get("rule"),
            div.get("index"), (div.get("old") or {}).get("rule"), (div.get("new") or {}).get("rule"))])
        n += 1
        if n % batch == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


# --- text ----------------------------------------------------------------------------------------

def _columns(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(widths[j + 1]) for j, c in enumerate(r[1:])]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def to_text(report: DiffReport) -> str:
    lang = report.lang
    j = report.to_json()
    out = [_t("title", lang), "=" * len(_t("title", lang)), ""]
    out.append(f"{_t('old', lang)}: {_rule_set_line(j['old'], lang)}")
    out.append(f"{_t('new', lang)}: {_rule_set_line(j['new'], lang)}")
    out.append(f"{_t('as_of', lang)}: {_as_of(report, lang)}")
    warnings = _warning_lines(report, lang)
    if warnings:
        out += ["", _t("warnings", lang)] + [f"  – {w}" for w in warnings]
    out += ["", _t("summary", lang)]
    width = max(len(k) for k, _ in _summary_rows(report, lang))
    out += [f"  {k.ljust(width)}  {v}" for k, v in _summary_rows(report, lang)]
    out += ["", _t("kinds_note", lang)]
    for key, m, labels in (("matrix_outcome", j["matrix"]["outcome"], _outcome_labels(lang)),
                           ("matrix_step", j["matrix"]["step"], _step_labels(j["matrix"]["step"], lang))):
        out += ["", f"{_t(key, lang)} ({_t('matrix_note', lang)})"]
        out += _columns(_matrix_rows(m, labels, lang)) if labels else ["  –"]
    if report.counts.items:
        out += ["", _t("by_service", lang)]
        out += _columns(_service_rows(report, lang))
    out += ["", f"{_t('changes', lang)} ({report.counts.changed})"]
    if not report.counts.changed:
        out.append(f"  {_t('no_changes', lang)}")
    for i in report.changes:
        out += [""] + _text_change(i, report, lang)
    truncated = _truncated_lines(report, lang)
    if truncated:
        out += ["", truncated[0]] + [f"  {line}" for line in truncated[1:]]
    if report.counts.changed and not report.show_facts:
        out += ["", _t("facts_hidden", lang)]
    if report.not_covered.count:
        out += ["", f"{_t('not_covered_title', lang)} ({report.not_covered.count})"]
        out += _columns([[e["case"], e["source"], e["municipality"], e["code"]] for e in report.not_covered.items])
    for title, entries in _error_sections(report, lang):
        out += ["", title] + [f"  {_error_line(e)}" for e in entries]
    out += ["", tally_line(report.tally, lang)]
    return "\n".join(out) + "\n"


def _text_change(i: Item, report: DiffReport, lang: str) -> list[str]:
    c = i.cause or {}
    old_l, new_l = _t("old_short", lang), _t("new_short", lang)
    w = max(len(old_l), len(new_l)) + 1
    out = [f"{i.case}  {i.service_name} ({i.service})  [{_t('kind.' + i.kind, lang)}]  {i.file}",
           f"  {(old_l + ':').ljust(w)} {_side_text(i, 'old', lang)} – {_t('rule', lang)} {i.old.rule or '–'}",
           f"  {(new_l + ':').ljust(w)} {_side_text(i, 'new', lang)} – {_t('rule', lang)} {i.new.rule or '–'}",
           f"  {_t('cause', lang)}: {cause_text(i, lang)}"]
    div = c.get("divergence")
    if div:
        out.append(f"  {_divergence_title(div, lang)}:")
        for side, label in (("old", old_l), ("new", new_l)):
            ev = div.get(side)
            if ev is None:
                out.append(f"    {label.ljust(w)} {_t('trace_ends', lang)}")
                continue
            cond = _condition(ev)
            where = f"  ({ev['where']})" if ev.get("where") else ""
            out.append(f"    {label.ljust(w)} {ev['rule']}: {cond + ' → ' if cond else ''}{_value(ev, lang)}{where}")
            facts = _facts(ev, report, lang)
            if facts:
                out.append(f"    {' ' * w} {_t('facts_involved', lang).lower()}: {facts}")
    elif c.get("cause", {}).get("kind") == "none":
        out.append(f"  {_t('no_divergence', lang)}")
    dec = c.get("decisive") or {}
    if dec:
        out.append(f"  {_t('decisive', lang)}:")
        for side, label in (("old", old_l), ("new", new_l)):
            d = dec[side]
            out.append(f"    {label.ljust(w)} {d['rule'] or '–'}: {' '.join(d['text'].split())}")
    for p in c.get("parameters") or []:
        out.append(f"  {_t('parameter', lang)}: {p['name']}: {show_value(p['old'], lang)} → {show_value(p['new'], lang)}")
    return out


# --- Markdown ------------------------------------------------------------------------------------

def to_markdown(report: DiffReport) -> str:
    lang = report.lang
    j = report.to_json()
    out = [f"# {_md(_t('title', lang))}", "", _md(_t("intro", lang)), ""]
    out.append(f"- **{_md(_t('old', lang))}:** {_md(_rule_set_line(j['old'], lang))}")
    out.append(f"- **{_md(_t('new', lang))}:** {_md(_rule_set_line(j['new'], lang))}")
    out.append(f"- **{_md(_t('as_of', lang))}:** {_md(_as_of(report, lang))}")
    for w in _warning_lines(report, lang):
        out += ["", f"> {_md(w)}"]
    out += ["", f"## {_md(_t('summary', lang))}", ""]
    out += _md_table([["", ""]] + [[_md(k), str(v)] for k, v in _summary_rows(report, lang)])
    out += ["", _md(_t("kinds_note", lang))]
    for key, m, labels in (("matrix_outcome", j["matrix"]["outcome"], _outcome_labels(lang)),
                           ("matrix_step", j["matrix"]["step"], _step_labels(j["matrix"]["step"], lang))):
        out += ["", f"## {_md(_t(key, lang))}", "", _md(_t("matrix_note", lang)), ""]
        if labels:
            rows = _matrix_rows(m, [_md(x) for x in labels], lang)
            rows = [[f"**{r[0]}**" if r[0] else ""] + r[1:] for r in rows]
            out += _md_table(rows)
    if report.counts.items:
        out += ["", f"## {_md(_t('by_service', lang))}", ""]
        out += _md_table([[_md(c) for c in r] for r in _service_rows(report, lang)])
    out += ["", f"## {_md(_t('changes', lang))}", ""]
    if not report.counts.changed:
        out.append(_md(_t("no_changes", lang)))
    else:
        rows = [[_md(msg("case", lang)), _md(_t("service", lang)), _md(_t("old_short", lang)),
                 _md(_t("new_short", lang)), _md(_t("change", lang)), _md(_t("cause", lang))]]
        for i in report.changes:
            rows.append([_md_code(i.case), _md(i.service_name),
                         f"{_md(_side_text(i, 'old', lang))} ({_md_code(i.old.rule or '–')})",
                         f"{_md(_side_text(i, 'new', lang))} ({_md_code(i.new.rule or '–')})",
                         _md(_t("kind." + i.kind, lang)), _md(cause_text(i, lang))])
        out += _md_table(rows, right=False)
        truncated = _truncated_lines(report, lang)
        if truncated:
            out += ["", _md(truncated[0]), ""] + [f"- {_md(line)}" for line in truncated[1:]]
        if not report.show_facts:
            out += ["", f"*{_md(_t('facts_hidden', lang))}*"]
    for title, entries in _error_sections(report, lang):
        out += ["", f"## {_md(title)}", ""] + [f"- {_md(_error_line(e))}" for e in entries]
    out += ["", _md(tally_line(report.tally, lang))]
    return "\n".join(out) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = REPORT_CSS


def _html_matrix(m: dict, labels: list[str], lang: str) -> list[str]:
    n = len(labels)
    out = ["<table class=\"matrix\">",
           "<tr><th scope=\"col\">" + _e(f"{_t('old_short', lang)} \\ {_t('new_short', lang)}") + "</th>"
           + "".join(f"<th scope=\"col\">{_e(x)}</th>" for x in labels)
           + f"<th scope=\"col\">{_e(_t('total', lang))}</th></tr>"]
    for i, label in enumerate(labels):
        cells = []
        for j in range(n):
            c = m["counts"][i][j]
            cls = "n diag" if i == j else ("n hot" if c else "n zero")
            cells.append(f"<td class=\"{cls}\">{c}</td>")
        out.append(f"<tr><th scope=\"row\">{_e(label)}</th>{''.join(cells)}"
                   f"<td class=\"n\">{sum(m['counts'][i])}</td></tr>")
    cols = [sum(m["counts"][i][j] for i in range(n)) for j in range(n)]
    out.append(f"<tr><th scope=\"row\">{_e(_t('total', lang))}</th>"
               + "".join(f"<td class=\"n\">{c}</td>" for c in cols) + f"<td class=\"n\">{sum(cols)}</td></tr>")
    out.append("</table>")
    return out


def chart_svg(report: DiffReport, lang: str) -> str:
    """Gains (right, green) and losses (left, red) per service, as inline SVG."""
    rows = [(r["service_name"], r["losses"], r["gains"]) for r in report.by_service()]
    return diverging_bars_svg(_t("chart", lang), rows, _t("kind.loss", lang), _t("kind.gain", lang), lang,
                              empty=_t("no_changes", lang))


def to_html(report: DiffReport) -> str:
    lang = report.lang
    j = report.to_json()
    title = f"{_t('title', lang)}: {j['old']['spec']} → {j['new']['spec']}"
    out = ["<!DOCTYPE html>", f"<html lang=\"{_e(lang)}\">", "<head>", "<meta charset=\"utf-8\">",
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{_e(_t('title', lang))}</h1>", f"<p>{_e(_t('intro', lang))}</p>", "<dl class=\"meta\">",
           f"<dt>{_e(_t('old', lang))}</dt><dd>{_e(_rule_set_line(j['old'], lang))}</dd>",
           f"<dt>{_e(_t('new', lang))}</dt><dd>{_e(_rule_set_line(j['new'], lang))}</dd>",
           f"<dt>{_e(_t('as_of', lang))}</dt><dd>{_e(_as_of(report, lang))}</dd>", "</dl>",
           *[f"<p class=\"warn\">{_e(w)}</p>" for w in _warning_lines(report, lang)],
           f"<h2>{_e(_t('summary', lang))}</h2>", "<table class=\"summary\">"]
    out += [f"<tr><th scope=\"row\">{_e(k)}</th><td class=\"n\">{v}</td></tr>" for k, v in _summary_rows(report, lang)]
    out += ["</table>", f"<p class=\"muted\">{_e(_t('kinds_note', lang))}</p>"]
    for key, m, labels in (("matrix_outcome", j["matrix"]["outcome"], _outcome_labels(lang)),
                           ("matrix_step", j["matrix"]["step"], _step_labels(j["matrix"]["step"], lang))):
        out += [f"<h2>{_e(_t(key, lang))}</h2>", f"<p class=\"muted\">{_e(_t('matrix_note', lang))}</p>"]
        if labels:
            out += _html_matrix(m, labels, lang)
    out += [f"<h2>{_e(_t('chart', lang))}</h2>", chart_svg(report, lang)]
    if report.counts.items:
        rows = _service_rows(report, lang)
        out += [f"<h2>{_e(_t('by_service', lang))}</h2>", *html_table(rows, "services")]
    out.append(f"<h2>{_e(_t('changes', lang))} ({report.counts.changed})</h2>")
    if not report.counts.changed:
        out.append(f"<p>{_e(_t('no_changes', lang))}</p>")
    else:
        heads = [msg("case", lang), _t("service", lang), _t("old_short", lang), _t("new_short", lang),
                 _t("change", lang), _t("cause", lang)]
        out += ["<table class=\"changes\">", "<tr>" + "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in heads) + "</tr>"]
        for i in report.changes:
            out.append(_html_change(i, report, lang))
        out.append("</table>")
        truncated = _truncated_lines(report, lang)
        if truncated:
            out += [f"<p>{_e(truncated[0])}</p>", "<ul>"] + [f"<li><code>{_e(x)}</code></li>" for x in truncated[1:]]
            out.append("</ul>")
        if not report.show_facts:
            out.append(f"<p class=\"muted\">{_e(_t('facts_hidden', lang))}</p>")
    for title, entries in _error_sections(report, lang):
        out += [f"<h2>{_e(title)}</h2>", "<ul>"] + [f"<li><code>{_e(_error_line(e))}</code></li>" for e in entries]
        out.append("</ul>")
    out.append(f"<p class=\"muted\">{_e(tally_line(report.tally, lang))}</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_change(i: Item, report: DiffReport, lang: str) -> str:
    c = i.cause or {}
    detail = [f"<div>{_e(cause_text(i, lang))}</div>"]
    div = c.get("divergence")
    if div:
        items = []
        for side in ("old", "new"):
            ev = div.get(side)
            label = _t(f"{side}_short", lang)
            if ev is None:
                items.append(f"<li>{_e(label)}: {_e(_t('trace_ends', lang))}</li>")
                continue
            cond = _condition(ev)
            facts = _facts(ev, report, lang)
            items.append(f"<li>{_e(label)}: <code>{_e(ev['rule'])}</code>"
                         + (f" <code>{_e(cond)}</code>" if cond else "") + f" → {_e(_value(ev, lang))}"
                         + (f" <span class=\"muted\">({_e(ev['where'])})</span>" if ev.get("where") else "")
                         + (f"<br><span class=\"muted\">{_e(_t('facts_involved', lang))}: {_e(facts)}</span>"
                            if facts else "") + "</li>")
        detail.append(f"<div>{_e(_divergence_title(div, lang))}:<ul>{''.join(items)}</ul></div>")
    dec = c.get("decisive") or {}
    if dec:
        items = [f"<li>{_e(_t(side + '_short', lang))}: <code>{_e(dec[side]['rule'] or '–')}</code> "
                 f"{_e(' '.join(dec[side]['text'].split()))}</li>" for side in ("old", "new")]
        detail.append(f"<div>{_e(_t('decisive', lang))}:<ul>{''.join(items)}</ul></div>")
    for p in c.get("parameters") or []:
        detail.append(f"<div>{_e(_t('parameter', lang))}: <code>{_e(p['name'])}</code> "
                      f"{_e(show_value(p['old'], lang))} → {_e(show_value(p['new'], lang))}</div>")
    return (f"<tr class=\"{_e(i.kind)}\"><td><code>{_e(i.case)}</code></td><td>{_e(i.service_name)}</td>"
            f"<td>{_e(_side_text(i, 'old', lang))}<br><code>{_e(i.old.rule or '–')}</code></td>"
            f"<td>{_e(_side_text(i, 'new', lang))}<br><code>{_e(i.new.rule or '–')}</code></td>"
            f"<td class=\"{_e(i.kind)}\">{_e(_t('kind.' + i.kind, lang))}</td><td>{''.join(detail)}</td></tr>")
