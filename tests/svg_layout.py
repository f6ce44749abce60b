"""Geometry of the texts and bars in an SVG chart, for tests that labels never collide.

Text boxes are estimated independently of the chart code and conservatively: every character
0.68 em wide (DejaVu Sans digits, the widest common case, are 0.64 em), 0.95 em above the
baseline and 0.3 em below, turned by the element's ``rotate(…)`` transform. Two boxes collide
when their rotated rectangles overlap (separating-axis test), not merely their bounding boxes,
so slanted axis labels are judged as drawn.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG_NS = "{http://www.w3.org/2000/svg}"
CHAR_EM, ASCENT_EM, DESCENT_EM = 0.68, 0.95, 0.3


@dataclass(frozen=True)
class Box:
    what: str
    corners: tuple[tuple[float, float], ...]  # a convex quadrilateral, in order


def _rotated(x0: float, y0: float, x1: float, y1: float, angle: float, cx: float, cy: float):
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    out = []
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
        dx, dy = x - cx, y - cy
        out.append((cx + dx * cos - dy * sin, cy + dx * sin + dy * cos))
    return tuple(out)


def text_box(x: float, y: float, width: float, size: float, anchor: str, transform: str, what: str) -> Box:
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    angle, cx, cy = 0.0, x, y
    if transform:
        m = re.fullmatch(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)", transform.strip())
        assert m, f"unexpected transform {transform!r}"
        angle, cx, cy = float(m[1]), float(m[2]), float(m[3])
    return Box(what, _rotated(left, y - ASCENT_EM * size, left + width, y + DESCENT_EM * size, angle, cx, cy))


def svgs(page: str) -> list[ET.Element]:
    """Every inline ``<svg>`` of an HTML page, parsed as XML."""
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def texts(svg: ET.Element) -> list[Box]:
    out = []
    for t in svg.iter(f"{SVG_NS}text"):
        content = t.text or ""
        size = float(t.get("font-size", "16"))
        out.append(text_box(float(t.get("x", 0)), float(t.get("y", 0)), len(content) * size * CHAR_EM, size,
                            t.get("text-anchor", "start"), t.get("transform", ""), f"text {content!r}"))
    return out


def bars(svg: ET.Element) -> list[Box]:
    """The rectangles drawn (not those inside ``<defs>``, such as a hatch pattern's tile)."""
    inside_defs = {id(r) for d in svg.iter(f"{SVG_NS}defs") for r in d.iter(f"{SVG_NS}rect")}
    out = []
    for r in svg.iter(f"{SVG_NS}rect"):
        if id(r) in inside_defs:
            continue
        x, y, w, h = (float(r.get(k, 0)) for k in ("x", "y", "width", "height"))
        out.append(Box(f"rect at {x},{y}", _rotated(x, y, x + w, y + h, 0, 0, 0)))
    return out


def _axes(box: Box):
    c = box.corners
    for i in range(len(c)):
        (x0, y0), (x1, y1) = c[i], c[(i + 1) % len(c)]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        yield (-(y1 - y0) / length, (x1 - x0) / length)


def overlap(a: Box, b: Box, tolerance: float = 0.5) -> bool:
    """Whether two boxes overlap by more than ``tolerance`` px along every separating axis."""
    for ax, ay in list(_axes(a)) + list(_axes(b)):
        pa = [x * ax + y * ay for x, y in a.corners]
        pb = [x * ax + y * ay for x, y in b.corners]
        if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= tolerance:
            return False
    return True


def collisions(svg: ET.Element) -> list[tuple[str, str]]:
    """Pairs of texts that overlap each other, or a text that overlaps a bar."""
    ts, rs = texts(svg), bars(svg)
    found = [(a.what, b.what) for i, a in enumerate(ts) for b in ts[i + 1:] if overlap(a, b)]
    found += [(t.what, r.what) for t in ts for r in rs if overlap(t, r)]
    return found


def outside(svg: ET.Element) -> list[str]:
    """Texts reaching beyond the chart's viewBox (they would be cut off)."""
    _, _, width, height = (float(v) for v in svg.get("viewBox", "0 0 0 0").split())
    return [t.what for t in texts(svg)
            if any(x < -0.5 or y < -0.5 or x > width + 0.5 or y > height + 0.5 for x, y in t.corners)]
