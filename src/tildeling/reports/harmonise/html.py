"""The harmonisation report as ONE self-contained HTML file: inline CSS and inline SVG charts,
no script, no font or image fetched (a Content-Security-Policy forbids any load), so it opens
the same from a USB stick as from a web server.

Per former municipality: what is counted, gains and losses per service (table and diverging
bars), step changes and amounts, the step distribution before and after (table and grouped
bars), the outcome and step transition matrices per service, the changes grouped by cause and
the changed assessments (as many as the data lists). Then the cases not covered, dates outside
a rule set's validity, and errors. Tables have captions and header cells with ``scope``;
charts have a ``<title>`` and an ``aria-label``, and their numbers are in the tables too.
"""

from __future__ import annotations

from tildeling.reports.harmonise.sections import (Table, causes_table, changes_table, counted_table,
                                                  directions_table, distribution, distribution_table,
                                                  matrix_table, not_covered_table, outside_table, overview_table,
                                                  amounts_table, steps_table)
from tildeling.reports.harmonise.wording import (error_sections, error_text, omitted_text, rule_set_text, say,
                                                 say_n, service_names,
                                                 step_label, warning_text)
from tildeling.reports.markup import CSP, REPORT_CSS
from tildeling.reports.markup import html_text as _e
from tildeling.reports.svg_charts import diverging_bars_svg, grouped_bars_svg

_CSS = REPORT_CSS + """
h3{font-size:1.05rem;margin-top:1.4rem}caption{text-align:left;font-weight:bold;padding:.2rem 0;caption-side:top}table.matrix{min-width:26rem}
div.wide{overflow-x:auto}table.causes td:nth-child(6),table.changes td:nth-child(7){min-width:10rem}
tr.total th,tr.total td{font-weight:bold;border-top:2px solid #888}figure{margin:1rem 0;overflow-x:auto}
figure svg{max-width:100%;height:auto}figcaption{font-weight:bold;margin-bottom:.3rem}
table.changes th[scope=row] code{white-space:nowrap}tr.dir-gain td.dir{color:#1a7f37}tr.dir-loss td.dir{color:#b42318}tr.dir-unranked td.dir{color:#6b5900}
nav ul{columns:2}section.municipality{border-top:3px solid #1f5fa8;margin-top:2.5rem}
""".strip()

def _table(t: Table, cls: str = "", labelled_by: str = "") -> list[str]:
    """The table; with ``labelled_by`` (the id of a heading saying the same) without a caption."""
    attrs = (f' class="{_e(cls)}"' if cls else "") + (f' aria-labelledby="{_e(labelled_by)}"' if labelled_by else "")
    out = [f"<table{attrs}>"] + ([] if labelled_by else [f"<caption>{_e(t.caption)}</caption>"]) + [
           "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in t.head) + "</tr></thead>", "<tbody>"]
    last = len(t.rows) - 1
    for i, r in enumerate(t.rows):
        total = t.total and i == last
        cells = [f'<th scope="row">{_cell(r[0], 0 in t.code)}</th>']
        for j, c in enumerate(r[1:], start=1):
            classes = ["n"] if t.numeric[j] else []
            if t.matrix and not total and j <= len(t.head) - 2:  # not the sum column
                classes.append("diag" if i == j - 1 else ("zero" if c == "0" else "hot"))
            if j in t.col_class:
                classes.append(t.col_class[j])
            cls_attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls_attr}>{_cell(c, j in t.code)}</td>")
        row_cls = "total" if total else (t.row_class[i] if i < len(t.row_class) else "")
        out.append(f'<tr class="{row_cls}">' if row_cls else "<tr>")
        out[-1] += "".join(cells) + "</tr>"
    out += ["</tbody>", "</table>"]
    if t.note:
        out.append(f'<p class="muted">{_e(t.note)}</p>')
    return out


def _cell(text: str, code: bool) -> str:
    return f"<code>{_e(text)}</code>" if code and text != "–" else _e(text)


def _figure(svg: str, caption: str) -> list[str]:
    return ["<figure>", f"<figcaption>{_e(caption)}</figcaption>", svg, "</figure>"]


def _municipality(m: dict, n: int, lang: str) -> list[str]:
    name = str(m.get("municipality", "–"))
    out = [f'<section class="municipality" id="m{n}" aria-labelledby="m{n}-h">',
           f'<h2 id="m{n}-h">{_e(say("municipality", lang, name=name))}</h2>',
           f"<p>{_e(say('rule_sets', lang))}: {_e(', '.join(m.get('rule_sets') or ['–']))}. "
           f"{_e(say('muni_counted', lang, cases=m.get('cases', '–'), assessments=m.get('assessments', '–')))}</p>"]
    # gains and losses per service
    out += _table(directions_table(m, lang))
    names = service_names(m.get("services"))
    rows = [(names[s.get("service")], (s.get("directions") or {}).get("loss", 0),
             (s.get("directions") or {}).get("gain", 0)) for s in m.get("services") or []]
    title = say("gain_loss_chart", lang, municipality=name)
    out += _figure(diverging_bars_svg(title, rows, say("direction.loss", lang).lower(),
                                      say("direction.gain", lang).lower(), lang, empty=say("no_gain_loss", lang)),
                   title)
    out += _table(steps_table(m, lang))
    amounts = amounts_table(m, lang)
    if amounts:
        out += _table(amounts)
    # the step distribution before and after
    steps, before, after = distribution(m)
    title = say("step_chart", lang, municipality=name)
    out += _figure(grouped_bars_svg(title, [step_label(s, lang) for s in steps],
                                    [(say("before", lang), before), (say("after", lang), after)],
                                    say("step_axis", lang), lang, uid=f"m{n}", empty=say("no_assessments", lang)),
                   title)
    out += _table(distribution_table(m, lang))
    for s in m.get("services") or []:
        out.append(f"<h3>{_e(names[s.get('service')])}</h3>")
        for key in ("outcome_matrix", "step_matrix"):
            t = matrix_table(s, key, lang, names[s.get("service")])
            if t:
                out += _table(t, "matrix")
    causes = causes_table(m, lang)
    if causes:
        out += ['<div class="wide">'] + _table(causes, "causes") + ["</div>"]
    changes = changes_table(m, lang)
    if changes:
        out += ['<div class="wide">'] + _table(changes, "changes") + ["</div>"]
    elif not m.get("changes_omitted"):
        out.append(f"<p>{_e(say('no_changes', lang))}</p>")
    if m.get("changes_omitted"):
        out.append(f"<p>{_e(say_n('changes_omitted', m['changes_omitted'], lang))}</p>")
    out.append("</section>")
    return out


def to_html(data: dict, lang: str = "nb") -> str:
    """The report as one self-contained HTML page (bokmål, nynorsk or English by ``lang``)."""
    merger = data.get("merger") or {}
    title = say("title", lang, merger=merger.get("municipality", "–"))
    out = ["<!DOCTYPE html>", f'<html lang="{_e(lang)}">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',  # a constant with no " in it
           '<meta name="referrer" content="no-referrer">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<header>",
           f"<h1>{_e(title)}</h1>", f"<p>{_e(say('intro', lang))}</p>", '<dl class="meta">',
           f"<dt>{_e(say('harmonised', lang))}</dt>"]
    out.append("<dd>" + ("<br>".join(_e(rule_set_text(h, lang)) for h in merger.get("harmonised") or []) or "–")
               + "</dd>")
    out.append(f"<dt>{_e(say('legacy', lang))}</dt>")
    out.append("<dd>" + ("<br>".join(f"{_e(x.get('municipality', '–'))}: {_e(rule_set_text(x, lang))}"
                                     for x in merger.get("legacy") or []) or "–") + "</dd>")
    out += ["</dl>", "</header>"]
    for w in data.get("warnings") or []:
        out.append(f'<p class="warn">{_e(warning_text(w, lang))}</p>')
    munis = data.get("municipalities") or []
    if munis:
        out += [f'<nav aria-label="{_e(say("summary", lang))}"><ul>']
        out += [f'<li><a href="#m{n}">{_e(say("municipality", lang, name=m.get("municipality", "–")))}</a></li>'
                for n, m in enumerate(munis, start=1)]
        out += ["</ul></nav>"]
    counted = counted_table(data, lang)
    out += ['<section aria-labelledby="counted-h">', f'<h2 id="counted-h">{_e(counted.caption)}</h2>',
            f"<p>{_e(say('counted_text', lang))}</p>"]
    out += _table(counted, "summary", "counted-h") + ["</section>"]
    if munis:
        overview = overview_table(data, lang)
        out += ['<section aria-labelledby="overview-h">', f'<h2 id="overview-h">{_e(overview.caption)}</h2>']
        out += _table(overview, "overview", "overview-h") + ["</section>"]
    for n, m in enumerate(munis, start=1):
        out += _municipality(m, n, lang)
    for key, table, omitted in (("not-covered", not_covered_table(data, lang), "not_covered"),
                                ("outside", outside_table(data, lang), "outside")):
        more = omitted_text(data, omitted, lang)
        if table.rows or more:
            out += [f'<section aria-labelledby="{key}-h">', f'<h2 id="{key}-h">{_e(table.caption)}</h2>']
            out += (_table(table, key, f"{key}-h") if table.rows else [])
            out += ([f"<p>{_e(more)}</p>"] if more else []) + ["</section>"]
    for n, (title, entries) in enumerate(error_sections(data, lang), start=1):
        out += [f'<section aria-labelledby="errors{n}-h">', f'<h2 id="errors{n}-h">{_e(title)}</h2>', "<ul>"]
        out += [f"<li><code>{_e(error_text(e))}</code></li>" for e in entries] + ["</ul>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"

