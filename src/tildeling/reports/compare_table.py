"""The benchmark table of ``tildeling compare`` as text, JSON, Markdown, CSV or one HTML file.

Every format is a pure function of a :class:`~tildeling.compare.side_by_side.CompareTable`
(rows sorted there; no clock, no locale), so the same input gives the same bytes. Text is a
rich table on a terminal (:func:`to_console`) and plain columns otherwise (:func:`to_text`).
Labels follow ``--lang``; codes (outcomes in CSV and JSON, rule ids, pattern names) do not.

Each cell shows a rule set's outcome, step, amount and decisive rule; ``*`` marks a rule set
judging a case dated outside its validity (its parameters then taken on the nearest date
inside it).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, TextIO

from tildeling.compare.side_by_side import PATTERNS, CompareTable, Cell, Row
from tildeling.explain.explanation import show_value
from tildeling.i18n.messages import msg
from tildeling.reports.inputs import tally_line
from tildeling.reports.markup import csv_value, html_table
from tildeling.reports.markup import html_text as _e

FORMATS = ("text", "json", "markdown", "csv", "html")


def render(table: CompareTable, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "markdown": to_markdown, "csv": to_csv, "html": to_html}[fmt](table)


def write(table: CompareTable, fmt: str, out: TextIO, *, terminal: bool = False) -> None:
    """Write the table to ``out``; ``terminal``: text as a rich table (colour, wrapping)."""
    if fmt == "text" and terminal:
        to_console(table, out)
        return
    out.write(render(table, fmt))


# --- wording -------------------------------------------------------------------------------------

def outcome_text(outcome: str, lang: str) -> str:
    return msg("compare.ikke_beskrevet", lang) if outcome == "ikke_beskrevet" else msg(f"outcome.{outcome}", lang)


def cell_parts(c: Cell, lang: str) -> list[str]:
    """Outcome (with ``*`` when judged outside validity), step, amount — the decisive rule apart."""
    parts = [outcome_text(c.outcome, lang) + ("*" if c.outside_validity else "")]
    if c.step is not None:
        parts.append(msg("compare.step", lang, step=c.step))
    if c.amount is not None:
        parts.append(f"{show_value(c.amount, lang)} {c.unit}".strip())
    return parts


def cell_text(c: Cell, lang: str) -> str:
    """``avslag*, trinn 12 (lt-avslag)``."""
    return ", ".join(cell_parts(c, lang)) + (f" ({c.rule})" if c.rule else "")


def legacy_text(r: Row, lang: str) -> str:
    return msg("compare.agree" if r.legacy_agree else "compare.disagree", lang)


def pattern_text(r: Row, lang: str) -> str:
    if r.pattern == "as":
        return msg("compare.pattern.as", lang, sets=", ".join(r.with_sets))
    return msg(f"compare.pattern.{r.pattern}", lang)


def _merger_line(table: CompareTable, lang: str) -> str:
    return msg("compare.merger", lang, municipality=table.merger.municipality, harmonised=table.harmonised,
               legacy=", ".join(table.legacy))


def _counted_line(table: CompareTable, lang: str) -> str:
    return msg("compare.counted", lang, **table.counted())


def _outside_lines(table: CompareTable, lang: str) -> list[str]:
    out = []
    for w in table.outside_validity():
        valid = f"{w['valid_from']} – {w['valid_to'] or '…'}"
        out.append(msg("compare.outside", lang, rule_set=w["rule_set"], version=w["version"], valid=valid, n=w["cases"]))
    return out


def _header(table: CompareTable, lang: str) -> list[str]:
    return ([msg("compare.case", lang), msg("compare.service", lang)] + list(table.ids)
            + [msg("compare.legacy", lang), msg("compare.lands", lang, harmonised=table.harmonised)])


def _summary_rows(table: CompareTable, lang: str) -> list[list[str]]:
    rows = [[msg("compare.service", lang)] + [msg(f"compare.col.{k}", lang) for k in
                                     ("assessments", "legacy_agree", "legacy_disagree") + PATTERNS]]
    for s in table.summary():
        name = s["service_name"] or msg("compare.all_services", lang)
        rows.append([name] + [str(s[k]) for k in ("assessments", "legacy_agree", "legacy_disagree") + PATTERNS])
    return rows


def _error_line(e: dict) -> str:
    where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
    return f"{where}: {e['message']} [{e['code']}]"


# --- JSON and CSV ------------------------------------------------------------------------------

def to_json(table: CompareTable) -> str:
    return json.dumps(table.to_json(), ensure_ascii=False, indent=2) + "\n"


def csv_columns(table: CompareTable) -> list[str]:
    cols = ["case", "source", "date", "service"]
    for rid in table.ids:
        cols += [f"{rid}:{k}" for k in ("version", "outcome", "step", "amount", "unit", "rule", "outside_validity")]
    return cols + ["legacy_agree", "harmonised_pattern", "harmonised_with"]


def to_csv(table: CompareTable) -> str:
    """One row per assessment, every rule set's columns side by side (codes, not labels)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(csv_columns(table))
    for r in table.rows:
        values: list[Any] = [r.case, r.source, r.date, r.service]
        for c in r.cells:
            values += [c.version, c.outcome, c.step, c.amount, c.unit, c.rule, bool(c.outside_validity)]
        values += [r.legacy_agree, r.pattern, " ".join(r.with_sets)]
        w.writerow([csv_value(v) for v in values])
    return buf.getvalue()


# --- text ----------------------------------------------------------------------------------------

def _columns(rows: list[list[str]], indent: str = "  ", right: bool = True) -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [(c.rjust if right else c.ljust)(widths[j + 1])
                                           for j, c in enumerate(r[1:])]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def to_text(table: CompareTable) -> str:
    """Plain text (a pipe, a file): per assessment a block with one line per rule set."""
    lang = table.lang
    title = msg("compare.title", lang)
    out = [title, "=" * len(title), "", _merger_line(table, lang), _counted_line(table, lang)]
    outside = _outside_lines(table, lang)
    if outside:
        out += [""] + [f"* {line}" for line in outside]
    out += ["", msg("compare.pattern_note", lang, harmonised=table.harmonised)]
    if not table.rows:
        out += ["", msg("compare.no_rows", lang)]
    for r in table.rows:
        out += ["", f"{r.case}  {r.service_name} ({r.service})  {r.date}  {r.source}"]
        rows = [[c.rule_set] + [", ".join(cell_parts(c, lang)), c.rule or "–"] for c in r.cells]
        out += _columns(rows, right=False)
        out.append(f"  {msg('compare.legacy', lang)}: {legacy_text(r, lang)}; "
                   f"{msg('compare.lands', lang, harmonised=table.harmonised).lower()}: {pattern_text(r, lang)}")
    out += ["", msg("compare.summary", lang)] + _columns(_summary_rows(table, lang))
    out += _tail_text(table, lang)
    return "\n".join(out) + "\n"


def _tail_text(table: CompareTable, lang: str) -> list[str]:
    out = []
    if table.not_covered:
        out += ["", msg("compare.not_covered", lang, n=len(table.not_covered))]
        out += [f"  {x['case']}  {x['source']}  ({x['municipality']}) [{x['code']}]" for x in table.not_covered]
    if table.errors:
        out += ["", msg("compare.errors", lang, n=len({e['file'] for e in table.errors}))]
        out += [f"  {_error_line(e)}" for e in table.errors]
    out += ["", tally_line(table.tally, lang)]
    return out


def to_console(table: CompareTable, stream: TextIO | None = None, width: int | None = None) -> None:
    """The table as rich tables, for a terminal: one column per rule set."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    lang = table.lang
    con = Console(file=stream, width=width, highlight=False)
    con.print(f"[bold]{escape(msg('compare.title', lang))}[/bold]")
    con.print(escape(_merger_line(table, lang)))
    con.print(escape(_counted_line(table, lang)))
    for line in _outside_lines(table, lang):
        con.print(f"[dim]* {escape(line)}[/dim]")
    t = Table(show_lines=True)
    for i, h in enumerate(_header(table, lang)):
        t.add_column(h, no_wrap=i == 0)
    for r in table.rows:
        cells = [escape("\n".join(cell_parts(c, lang) + ([c.rule] if c.rule else []))) for c in r.cells]
        style = "green" if r.pattern == "as_all" else ("yellow" if r.pattern == "new" else "")
        t.add_row(escape(r.case), escape(f"{r.service_name}\n({r.service})"), *cells, escape(legacy_text(r, lang)),
                  f"[{style}]{escape(pattern_text(r, lang))}[/{style}]" if style else escape(pattern_text(r, lang)))
    if table.rows:
        con.print(t)
    else:
        con.print(escape(msg("compare.no_rows", lang)))
    con.print(f"[dim]{escape(msg('compare.pattern_note', lang, harmonised=table.harmonised))}[/dim]")
    rows = _summary_rows(table, lang)
    s = Table(title=msg("compare.summary", lang))
    for i, h in enumerate(rows[0]):
        s.add_column(h, justify="left" if i == 0 else "right")
    for row in rows[1:]:
        s.add_row(*[escape(x) for x in row])
    con.print(s)
    for line in _tail_text(table, lang):
        con.print(escape(line))


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: Any) -> str:
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def _md_code(text: str | None) -> str:
    return f"`{text}`" if text and re.fullmatch(r"[\w.\-]+", text) else _md(text or "–")


def _md_table(rows: list[list[str]], right: bool = False) -> list[str]:
    head = rows[0]
    align = ["---"] + (["---:"] * (len(head) - 1) if right else ["---"] * (len(head) - 1))
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return lines


def markdown_rows(table: CompareTable) -> list[str]:
    """The benchmark table alone (what docs/harmonisering-alver.md quotes)."""
    lang = table.lang
    rows = [[_md(h) for h in _header(table, lang)]]
    for r in table.rows:
        rows.append([_md_code(r.case), _md(r.service_name)]
                    + [_md(", ".join(cell_parts(c, lang))) + (f" ({_md_code(c.rule)})" if c.rule else "")
                       for c in r.cells]
                    + [_md(legacy_text(r, lang)), f"**{_md(pattern_text(r, lang))}**"])
    return _md_table(rows)


def to_markdown(table: CompareTable) -> str:
    lang = table.lang
    out = [f"# {_md(msg('compare.title', lang))}", "", _md(_merger_line(table, lang)), "", _md(_counted_line(table, lang)), ""]
    if table.rows:
        out += markdown_rows(table)
    else:
        out.append(_md(msg("compare.no_rows", lang)))
    out += [""] + [f"\\* {_md(line)}  " for line in _outside_lines(table, lang)]
    out += ["", _md(msg("compare.pattern_note", lang, harmonised=table.harmonised))]
    out += ["", f"## {_md(msg('compare.summary', lang))}", ""]
    out += _md_table([[_md(c) for c in r] for r in _summary_rows(table, lang)], right=True)
    if table.not_covered:
        out += ["", f"## {_md(msg('compare.not_covered', lang, n=len(table.not_covered)))}", ""]
        out += [f"- {_md_code(x['case'])} {_md(x['source'])} ({_md(x['municipality'])}) `{x['code']}`"
                for x in table.not_covered]
    if table.errors:
        out += ["", f"## {_md(msg('compare.errors', lang, n=len({e['file'] for e in table.errors})))}", ""]
        out += [f"- {_md(_error_line(e))}" for e in table.errors]
    out += ["", _md(tally_line(table.tally, lang))]
    return "\n".join(out) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:90rem;
padding:0 1rem;color:#1b1b1b;line-height:1.4}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.as_all{background:#e8f5ec}td.new{background:#fde8c8}td.as,td.as_majority{background:#eef4fb}
code{font-size:.9em}.muted{color:#555;font-size:.9em}.out{color:#8a5a00}
""".strip()


def to_html(table: CompareTable) -> str:
    """One self-contained page (no scripts, no network): the table and the summary."""
    lang = table.lang
    title = f"{msg('compare.title', lang)}: {table.merger.municipality}"
    out = ["<!DOCTYPE html>", f"<html lang=\"{_e(lang)}\">", "<head>", "<meta charset=\"utf-8\">",
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{_e(msg('compare.title', lang))}</h1>", f"<p>{_e(_merger_line(table, lang))}</p>",
           f"<p>{_e(_counted_line(table, lang))}</p>"]
    out += [f"<p class=\"muted out\">* {_e(line)}</p>" for line in _outside_lines(table, lang)]
    if table.rows:
        out += ["<table class=\"compare\">", "<tr>" + "".join(f"<th scope=\"col\">{_e(h)}</th>"
                                                              for h in _header(table, lang)) + "</tr>"]
        for r in table.rows:
            cells = "".join(f"<td>{_e(', '.join(cell_parts(c, lang)))}"
                            + (f"<br><code>{_e(c.rule)}</code>" if c.rule else "") + "</td>" for c in r.cells)
            out.append(f"<tr><td><code>{_e(r.case)}</code></td><td>{_e(r.service_name)}</td>{cells}"
                       f"<td>{_e(legacy_text(r, lang))}</td>"
                       f"<td class=\"{_e(r.pattern)}\">{_e(pattern_text(r, lang))}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{_e(msg('compare.no_rows', lang))}</p>")
    out.append(f"<p class=\"muted\">{_e(msg('compare.pattern_note', lang, harmonised=table.harmonised))}</p>")
    rows = _summary_rows(table, lang)
    out += [f"<h2>{_e(msg('compare.summary', lang))}</h2>", *html_table(rows, "summary")]
    if table.not_covered:
        out += [f"<h2>{_e(msg('compare.not_covered', lang, n=len(table.not_covered)))}</h2>", "<ul>"]
        out += [f"<li><code>{_e(x['case'])}</code> {_e(x['source'])} ({_e(x['municipality'])}) "
                f"<code>{_e(x['code'])}</code></li>" for x in table.not_covered]
        out.append("</ul>")
    if table.errors:
        out += [f"<h2>{_e(msg('compare.errors', lang, n=len({e['file'] for e in table.errors})))}</h2>", "<ul>"]
        out += [f"<li><code>{_e(_error_line(e))}</code></li>" for e in table.errors]
        out.append("</ul>")
    out += [f"<p class=\"muted\">{_e(tally_line(table.tally, lang))}</p>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


__all__ = ["FORMATS", "render", "write", "to_text", "to_console", "to_json", "to_csv", "to_markdown", "to_html",
           "markdown_rows", "csv_columns", "cell_text", "outcome_text"]
