"""Source positions: every node, diagnostic and trace event knows where it came from.

A :class:`SourceSpan` is 1-based (line and column as an editor shows them).

>>> SourceSpan("r.yaml", 3, 5, 3, 9).short()
'r.yaml:3:5'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SourceSpan:
    """A place in a file: first line and column to last line and column (1-based)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def short(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return self.short()


class LocatedStr(str):
    """A string scalar from a YAML file that remembers where it stood.

    ``span`` covers the whole scalar (quotes and block indicators included).
    :meth:`position_of` maps an offset *inside the value* to the line and column in the
    file, which is how an error inside a multi-line condition is reported where the policy
    author sees it.
    """

    __slots__ = ("span", "_raw", "_map")

    span: SourceSpan
    _raw: str | None
    _map: list[tuple[int, int]] | None

    def __new__(cls, value: str, span: SourceSpan, raw: str | None = None) -> "LocatedStr":
        obj = super().__new__(cls, value)
        obj.span = span
        obj._raw = raw
        obj._map = None
        return obj

    def __reduce__(self):  # pickling keeps the plain value only
        return (str, (str(self),))

    def position_of(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of the character at 0-based ``offset``."""
        if self._map is None:
            self._map = _align(str(self), self._raw, self.span.line, self.span.column)
        if not self._map:
            return self.span.line, self.span.column
        offset = max(0, min(offset, len(self._map) - 1))
        return self._map[offset]


def _align(value: str, raw: str | None, line: int, column: int) -> list[tuple[int, int]]:
    """Greedy alignment of the parsed value against the raw source text.

    Folding (newline to space), indentation removal, quotes and block indicators only ever
    *drop* characters from the raw text, so walking the raw text forward until each value
    character is found gives its position. Escapes in quoted scalars are approximate.
    An extra position past the end points just after the last character.
    """
    if raw is None:
        return [(line, column + i) for i in range(len(value) + 1)]
    positions: list[tuple[int, int]] = []
    raw_pos: list[tuple[int, int]] = []
    ln, col = line, column
    for ch in raw:
        raw_pos.append((ln, col))
        if ch == "\n":
            ln, col = ln + 1, 1
        else:
            col += 1
    raw_pos.append((ln, col))
    p = 0
    n = len(raw)
    for ch in value:
        q = p
        while q < n and raw[q] != ch and not (ch == " " and raw[q] == "\n"):
            q += 1
        if q >= n:  # escape or other mismatch: stay where we were
            positions.append(raw_pos[min(p, n)])
            continue
        positions.append(raw_pos[q])
        p = q + 1
    positions.append(raw_pos[min(p, n)])
    return positions
