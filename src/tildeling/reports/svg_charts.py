"""Bar charts as inline SVG for the HTML reports, laid out so that no label covers another.

Every text's box is estimated conservatively (:func:`text_width`: each character as wide as
the widest digits of the common sans-serif fonts) and the layout leaves room for it: value
labels sit outside their bars, bars are at least as wide as their labels (or the labels turn
upright when they are not), axis labels turn 45° when they do not fit under their group, and
long names are cut with «…» (the whole name stays in the element's ``<title>``). Colour is
never the only carrier of meaning: the sides of a diverging chart are named by a legend with
arrows, the second series of a grouped chart is hatched, and every bar has a ``<title>``.
Output is a pure function of the input (coordinates rounded to 0.1), so reports stay
byte-identical.

>>> svg = diverging_bars_svg("Gevinst og tap", [("Praktisk bistand", 1, 3)], "tap", "gevinst", "nb")
>>> svg.count("<rect"), 'aria-label="Gevinst og tap"' in svg
(2, True)
"""

from __future__ import annotations

from typing import Sequence

from tildeling.reports.markup import html_text, number

# Average advance of a character, in em, assumed for every character: DejaVu Sans digits are
# 0.64 em, most letters narrower; a little above the widest common case keeps estimates safe.
CHAR_EM = 0.68
ASCENT_EM = 0.95  # from the baseline up
DESCENT_EM = 0.3  # from the baseline down
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

LOSS_FILL, LOSS_TEXT = "#d92d20", "#b42318"
GAIN_FILL, GAIN_TEXT = "#2da44e", "#1a7f37"
BEFORE_FILL, AFTER_FILL = "#8c96a3", "#1f5fa8"
INK, MUTED = "#1b1b1b", "#555"


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` px, never less than a browser draws it (an estimate)."""
    return len(text) * size * CHAR_EM


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with «…» at the end."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _n(v: float) -> str:
    """A coordinate: rounded to 0.1, without a trailing «.0»."""
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


def _text(x: float, y: float, content: str, size: float, *, anchor: str = "start", rotate: float = 0,
          fill: str = INK, title: str = "", weight: str = "") -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if rotate:
        attrs += f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"'
    if weight:
        attrs += f' font-weight="{weight}"'
    inner = html_text(content) + (f"<title>{html_text(title)}</title>" if title and title != content else "")
    return f'<text {attrs} fill="{fill}">{inner}</text>'


def _open(width: float, height: float, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{html_text(title)}" '
            f'font-family="{html_text(FONT)}">',
            f"<title>{html_text(title)}</title>"]


def diverging_bars_svg(title: str, rows: Sequence[tuple[str, int, int]], left_name: str, right_name: str,
                       lang: str, empty: str = "–") -> str:
    """One row per ``(label, left, right)``: ``left`` as a bar to the left of the middle line
    (losses, red), ``right`` to the right (gains, green), each with its number outside the bar.
    Rows with neither are left out; with none left, ``empty`` is written instead."""
    rows = [r for r in rows if r[1] or r[2]]
    label_size, value_size, legend_size = 13, 12, 13
    pad, half, row_h, top = 8, 220, 26, 34
    labels = [shorten(r[0], 48) for r in rows]
    label_w = max([text_width(x, label_size) for x in labels] + [60])
    value_w = max([text_width(number(v, lang), value_size) for r in rows for v in r[1:]] + [0])
    left_legend, right_legend = f"← {left_name}", f"{right_name} →"
    mid = pad + label_w + 12 + value_w + 6 + max(half, text_width(left_legend, legend_size) + 8)
    width = mid + max(half + 6 + value_w, text_width(right_legend, legend_size) + 8) + pad
    height = top + row_h * max(1, len(rows)) + 10
    scale = max([1] + [max(r[1], r[2]) for r in rows])
    out = _open(width, height, title)
    out.append(_text(mid - 8, 18, left_legend, legend_size, anchor="end", fill=LOSS_TEXT))
    out.append(_text(mid + 8, 18, right_legend, legend_size, fill=GAIN_TEXT))
    out.append(f'<line x1="{_n(mid)}" y1="{top - 8}" x2="{_n(mid)}" y2="{_n(height - 6)}" stroke="#444" stroke-width="1"/>')
    if not rows:
        out.append(_text(mid, top + 16, empty, label_size, anchor="middle", fill=MUTED))
    for n, ((name, left, right), label) in enumerate(zip(rows, labels)):
        y = top + n * row_h
        base = y + 17
        out.append(_text(pad + label_w, base, label, label_size, anchor="end", title=name))
        for value, side_name, fill, sign in ((left, left_name, LOSS_FILL, -1), (right, right_name, GAIN_FILL, 1)):
            if not value:
                continue
            w = half * value / scale
            x = mid - w if sign < 0 else mid
            shown = number(value, lang)
            out.append(f'<rect x="{_n(x)}" y="{y + 4}" width="{_n(w)}" height="{row_h - 8}" fill="{fill}">'
                       f"<title>{html_text(name)}: {html_text(shown)} {html_text(side_name)}</title></rect>")
            out.append(_text(mid + sign * (w + 4), base, shown, value_size, anchor="end" if sign < 0 else "start"))
    out.append("</svg>")
    return "\n".join(out)


def grouped_bars_svg(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                     axis_title: str, lang: str, uid: str, empty: str = "–") -> str:
    """Vertical bars, one group per category and one bar per series (at most two: the first
    plain grey, the second hatched blue), each with its number above it. ``uid`` makes the
    pattern id unique in a page holding several charts."""
    axis_size, value_size, legend_size = 12, 11, 12
    pad, plot_h, group_gap, inner_gap = 10, 180, 14, 2
    n, k = max(1, len(categories)), len(series)
    values = [v for _, vs in series for v in vs]
    value_w = max([text_width(number(v, lang), value_size) for v in values] + [0])
    min_bar = value_size * (ASCENT_EM + DESCENT_EM) + 2  # room for an upright number
    step = max(k * min_bar + inner_gap * (k - 1) + group_gap, min(120.0, 720.0 / n))
    bar_w = min(48.0, (step - group_gap - inner_gap * (k - 1)) / k)
    upright = value_w + 2 > bar_w  # numbers too wide for their bars stand on end
    value_h = value_w + 4 if upright else value_size * (ASCENT_EM + DESCENT_EM)
    axis_w = max([text_width(c, axis_size) for c in categories] + [0])
    slanted = axis_w > step - 6
    axis_h = (axis_w + axis_size) * 0.71 + 6 if slanted else axis_size * (ASCENT_EM + DESCENT_EM) + 4
    # the legend: a swatch and a name per series, side by side
    legend: list[tuple[float, str, int]] = []
    x: float = pad
    for i, (name, _) in enumerate(series):
        legend.append((x, name, i))
        x += 14 + 6 + text_width(name, legend_size) + 18
    legend_w = x
    left: float = pad
    if slanted:  # a long first label leans out to the left of its group
        reach = [0.71 * (text_width(c, axis_size) + axis_size) - step * (i + 0.5) for i, c in enumerate(categories)]
        left += max([0.0] + reach)
    plot_top = 12 + legend_size * (ASCENT_EM + DESCENT_EM) + 8 + value_h + 4
    base = plot_top + plot_h
    width = max(left + step * n + pad, legend_w + pad, text_width(axis_title, axis_size) + 2 * pad,
                0 if categories else text_width(empty, axis_size) + 2 * pad)
    height = base + 4 + axis_h + 6 + axis_size * (ASCENT_EM + DESCENT_EM) + 8
    scale = max([1] + values)
    hatch = f"{uid}-hatch"
    out = _open(width, height, title)
    out.append(f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
               f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{AFTER_FILL}"/>'
               f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>')
    fills = [BEFORE_FILL, f"url(#{hatch})"]
    legend_y = 12 + legend_size * ASCENT_EM
    for x, name, i in legend:
        out.append(f'<rect x="{_n(x)}" y="{_n(legend_y - 11)}" width="14" height="12" fill="{fills[i % 2]}" '
                   f'stroke="{INK}" stroke-width="0.5"/>')
        out.append(_text(x + 20, legend_y, name, legend_size))
    out.append(f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(left + step * n)}" y2="{_n(base)}" '
               f'stroke="#444" stroke-width="1"/>')
    if not categories:
        out.append(_text(width / 2, base - 8, empty, axis_size, anchor="middle", fill=MUTED))
    group_w = k * bar_w + (k - 1) * inner_gap
    for c, category in enumerate(categories):
        cx = left + step * c + step / 2
        x0 = cx - group_w / 2
        for i, (name, vs) in enumerate(series):
            v = vs[c]
            h = plot_h * v / scale
            bx = x0 + i * (bar_w + inner_gap)
            shown = number(v, lang)
            out.append(f'<rect x="{_n(bx)}" y="{_n(base - h)}" width="{_n(bar_w)}" height="{_n(h)}" '
                       f'fill="{fills[i % 2]}" stroke="{INK}" stroke-width="0.5">'
                       f"<title>{html_text(name)}, {html_text(category)}: {html_text(shown)}</title></rect>")
            if upright:  # reads upwards from just above the bar, centred on it
                out.append(_text(bx + bar_w / 2 + value_size * 0.35, base - h - 4, shown, value_size, rotate=-90))
            else:
                out.append(_text(bx + bar_w / 2, base - h - 4 - value_size * DESCENT_EM, shown, value_size,
                                 anchor="middle"))
        if slanted:
            out.append(_text(cx + 4, base + 4 + axis_size * ASCENT_EM, category, axis_size, anchor="end", rotate=-45))
        else:
            out.append(_text(cx, base + 4 + axis_size * ASCENT_EM, category, axis_size, anchor="middle"))
    out.append(_text(width / 2, height - 8 - axis_size * DESCENT_EM, axis_title, axis_size, anchor="middle",
                     fill=MUTED))
    out.append("</svg>")
    return "\n".join(out)
