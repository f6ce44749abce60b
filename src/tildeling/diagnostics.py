"""Problems found in rule sets and cases, as data.

A :class:`Diagnostic` has a stable kebab-case ``code`` (tests and editors rely on it), a
severity, a message already rendered in the user's language, a :class:`SourceSpan` and an
optional hint ("mente du …?"). Checks *collect* diagnostics; nothing stops at the first.

>>> d = Diagnostic("unknown-fact", "error", "Ukjent faktum «x».", None)
>>> d.code
'unknown-fact'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

from .source import SourceSpan

Severity = Literal["error", "warning", "info"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: SourceSpan | None
    hint: str | None = None

    def sort_key(self) -> tuple:
        if self.span is None:
            return ("", 0, 0, _SEVERITY_ORDER[self.severity], self.code, self.message)
        return (self.span.file, self.span.line, self.span.column,
                _SEVERITY_ORDER[self.severity], self.code, self.message)

    def to_json(self) -> dict:
        out: dict = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.span is not None:
            out.update(file=self.span.file, line=self.span.line, column=self.span.column)
        if self.hint:
            out["hint"] = self.hint
        return out


@dataclass
class DiagnosticBag:
    """Collects diagnostics; de-duplicates and sorts them by position."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        self.items.extend(diags)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        seen: set = set()
        out = []
        for d in sorted(self.items, key=Diagnostic.sort_key):
            key = (d.code, d.span, d.message)
            if key not in seen:
                seen.add(key)
                out.append(d)
        return out


def suggest(name: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    """Closest candidates for a misspelt name (``difflib``), best first.

    >>> suggest("funksjon.hukomelse", ["funksjon.hukommelse", "funksjon.syn"])
    ['funksjon.hukommelse']
    """
    cands = sorted(set(candidates))
    found = difflib.get_close_matches(name, cands, n=n, cutoff=0.6 if len(name) > 3 else 0.5)
    if not found and "." in name:
        # Compare the last path segment only: "funksjon.husarbied" vs "husarbeid".
        tail = name.rsplit(".", 1)[1]
        by_tail = {c.rsplit(".", 1)[-1]: c for c in cands}
        found = [by_tail[t] for t in difflib.get_close_matches(tail, list(by_tail), n=n, cutoff=0.7)]
    return found


def caret_snippet(span: SourceSpan, text: str | None) -> str:
    """The source line with a caret under the column (plain text; styling is the renderer's).

    >>> print(caret_snippet(SourceSpan("f", 1, 5, 1, 9), "a = fooo"))
       1 | a = fooo
         |     ^^^^
    """
    if text is None:
        return ""
    lines = text.splitlines()
    if not 1 <= span.line <= len(lines):
        return ""
    src = lines[span.line - 1].expandtabs(1)
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    width = max(1, min(width, max(1, len(src) - span.column + 1)))
    num = f"{span.line:>4}"
    pad = " " * len(num)
    return f"{num} | {src}\n{pad} | {' ' * (span.column - 1)}{'^' * width}"
