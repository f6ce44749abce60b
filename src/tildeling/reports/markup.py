"""Escaping and small layout pieces shared by the reports that write Markdown, HTML and CSV.

>>> md_text("a|b *c*"), html_text('<a href="x">')
('a\\\\|b \\\\*c\\\\*', '&lt;a href=&quot;x&quot;&gt;')
>>> md_table([["", "n"], ["a", "1"]])
['|  | n |', '| --- | ---: |', '| a | 1 |']
>>> csv_value(2.0), csv_value(None), csv_value(True)
('2', '', 'true')
>>> number(100000, "nb"), number(12.5, "nb"), number(12.5, "en"), number(100000, "en")
('100\\xa0000', '12,5', '12.5', '100,000')
"""

from __future__ import annotations

import html
import re
from typing import Any, Sequence

# A Content-Security-Policy for a report opened from disk: its own inline style and images only,
# nothing fetched from anywhere (no fonts, scripts, frames or connections).
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

# The look of the HTML reports: the page's own fonts, nothing loaded.
REPORT_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:75rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.diag{background:#eef4fb}td.hot{background:#fde8c8;font-weight:bold}td.zero{color:#999}
.gain{color:#1a7f37}.loss{color:#b42318}.other{color:#6b5900}code{font-size:.9em}
.muted{color:#555;font-size:.9em}dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
p.warn{background:#fff4d6;border-left:4px solid #d4a017;padding:.4rem .6rem}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}table.changes td{font-size:.92em}
""".strip()

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def md_text(text: Any) -> str:
    """Plain text for a Markdown cell or line: whitespace folded, markup characters escaped."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def md_code(text: str | None) -> str:
    """Ids as code; anything unusual (a pipe, a backtick, markup) escaped as plain text instead."""
    return f"`{text}`" if text and re.fullmatch(r"[\w.\-]+", text) else md_text(text or "–")


def md_table(rows: list[list[str]], right: bool = True, numeric: Sequence[bool] | None = None) -> list[str]:
    """A Markdown table: the first row is the header; with ``right`` every column but the first
    is right-aligned (numbers), or exactly the columns ``numeric`` marks."""
    head = rows[0]
    if numeric is None:
        numeric = [False] + [right] * (len(head) - 1)
    align = ["---:" if num else "---" for num in numeric]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return lines


def html_text(text: Any) -> str:
    """Text (or an attribute value) escaped for HTML and SVG."""
    return html.escape(str(text), quote=True)


def html_table(rows: list[list[str]], css_class: str) -> list[str]:
    """A table whose first row is the header and whose first column names each row; the other
    cells are numbers (class ``n``, right-aligned)."""
    out = [f"<table class=\"{css_class}\">",
           "<tr>" + "".join(f"<th scope=\"col\">{html_text(h)}</th>" for h in rows[0]) + "</tr>"]
    out += ["<tr><td>" + html_text(r[0]) + "</td>" + "".join(f"<td class=\"n\">{html_text(c)}</td>" for c in r[1:])
            + "</tr>" for r in rows[1:]]
    out.append("</table>")
    return out


def csv_value(v: Any) -> str:
    """A CSV cell: empty for none, ``true``/``false``, whole floats without ``.0``."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    return str(v)


def number(v: Any, lang: str) -> str:
    """A count or amount as a reader writes it: thousands grouped (a no-break space in
    Norwegian, a comma in English), a decimal comma in Norwegian, at most two decimals."""
    if v is None:
        return "–"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, float) and not v.is_integer():
        text = f"{v:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(v):,}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")
