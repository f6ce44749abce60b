"""The harmonisation report in Markdown, for a council paper: a heading per former municipality,
tables with right-aligned numbers, and every table saying what it counts.

>>> data = {"merger": {"municipality": "Drammen"}, "counted": {"cases": 3, "assessments": 4}}
>>> lines = to_markdown(data, "nb").splitlines()
>>> lines[0], lines[-1]
('# Harmonisering av tildelingskriterier: Drammen', '| Vurderinger (sak × tjeneste) | 4 |')
"""

from __future__ import annotations

from tildeling.reports.harmonise.sections import (Table, causes_table, changes_table, counted_table,
                                                  matrix_tables, municipality_tables, not_covered_table, outside_table,
                                                  overview_table)
from tildeling.reports.harmonise.wording import (error_sections, error_text, omitted_text, rule_set_text, say,
                                                 say_n, warning_text)
from tildeling.reports.markup import md_code, md_table, md_text


def _table(t: Table, level: str = "###") -> list[str]:
    out = [f"{level} {md_text(t.caption)}", ""]
    if t.note:
        out += [md_text(t.note), ""]
    rows = [[md_text(h) for h in t.head]]
    for i, r in enumerate(t.rows):
        cells = [md_code(c) if j in t.code and c != "–" else md_text(c) for j, c in enumerate(r)]
        if (t.total and i == len(t.rows) - 1) or t.matrix or (i < len(t.row_class) and t.row_class[i] == "total"):
            cells[0] = f"**{cells[0]}**" if cells[0] else ""
        rows.append(cells)
    return out + md_table(rows, numeric=t.numeric)


def to_markdown(data: dict, lang: str = "nb") -> str:
    """The report as Markdown (bokmål, nynorsk or English by ``lang``)."""
    merger = data.get("merger") or {}
    out = [f"# {md_text(say('title', lang, merger=merger.get('municipality', '–')))}", "", md_text(say("intro", lang)), ""]
    out.append(f"- **{md_text(say('harmonised', lang))}:** "
               + md_text("; ".join(rule_set_text(h, lang) for h in merger.get("harmonised") or []) or "–"))
    out.append(f"- **{md_text(say('legacy', lang))}:** "
               + md_text("; ".join(f"{x.get('municipality', '–')}: {rule_set_text(x, lang)}"
                                   for x in merger.get("legacy") or []) or "–"))
    for w in data.get("warnings") or []:
        out += ["", f"> {md_text(warning_text(w, lang))}"]
    counted = counted_table(data, lang)
    out += ["", f"## {md_text(counted.caption)}", "", md_text(say("counted_text", lang)), ""]
    out += md_table([[md_text(c) for c in r] for r in [counted.head] + counted.rows], numeric=counted.numeric)
    if data.get("municipalities"):
        out += [""] + _table(overview_table(data, lang), "##")
    for m in data.get("municipalities") or []:
        out += ["", f"## {md_text(say('municipality', lang, name=m.get('municipality', '–')))}", ""]
        line = f"{say('rule_sets', lang)}: {', '.join(m.get('rule_sets') or ['–'])}. " + \
            say("muni_counted", lang, cases=m.get("cases", "–"), assessments=m.get("assessments", "–"))
        out.append(md_text(line))
        for t in municipality_tables(m, lang):
            out += [""] + _table(t)
        causes = causes_table(m, lang)
        if causes:
            out += [""] + _table(causes)
        changes = changes_table(m, lang)
        if changes:
            out += [""] + _table(changes)
        elif not m.get("changes_omitted"):
            out += ["", f"### {md_text(say('changes', lang))}", "", md_text(say("no_changes", lang))]
        if m.get("changes_omitted"):
            out += ["", md_text(say_n("changes_omitted", m["changes_omitted"], lang))]
    for table, omitted in ((not_covered_table(data, lang), "not_covered"), (outside_table(data, lang), "outside")):
        if table.rows:
            out += [""] + _table(table, "##")
        more = omitted_text(data, omitted, lang)
        if more:
            out += ["", md_text(more)]
    for title, entries in error_sections(data, lang):
        out += ["", f"## {md_text(title)}", ""] + [f"- {md_text(error_text(e))}" for e in entries]
    # the matrices per service last, as an appendix: the paper reads without them
    appendix = [(m, matrix_tables(m, lang)) for m in data.get("municipalities") or []]
    if any(tables for _, tables in appendix):
        out += ["", f"## {md_text(say('appendix', lang))}"]
        for m, tables in appendix:
            if tables:
                out += ["", f"### {md_text(say('municipality', lang, name=m.get('municipality', '–')))}"]
                for t in tables:
                    out += [""] + _table(t, "####")
    return "\n".join(out) + "\n"
