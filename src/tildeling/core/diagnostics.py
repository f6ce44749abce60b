"""Problems found in rule sets and cases, as data.

A :class:`Diagnostic` has a stable kebab-case ``code`` (tests and editors rely on it), a
severity, a message, a :class:`SourceSpan` and an optional hint ("mente du …?"). Checks
*collect* diagnostics; nothing stops at the first.

Diagnostics built with :func:`make` carry a catalogue key and arguments
(:mod:`tildeling.i18n.diagnostic_messages`), so they can be shown in bokmål, nynorsk or English
(:meth:`Diagnostic.text`); ``message`` and ``hint`` hold the bokmål text.

>>> d = make("unknown-fact", "error", "case.unknown_fact", None, path="x",
...          hint_key="hint.did_you_mean", hint_args={"name": "y"})
>>> d.message, d.text("nn"), d.hint_text("en")
('Ukjent faktum «x».', 'Ukjent faktum «x».', 'did you mean «y»?')
>>> Diagnostic("unknown-fact", "error", "Ukjent faktum «x».", None).text("en")
'Ukjent faktum «x».'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from tildeling.core.codes import check as _check_code
from tildeling.core.source import SourceSpan
from tildeling.i18n.diagnostic_messages import Phrase, localize, render

Severity = Literal["error", "warning", "info"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file or an input, with its code, severity, message and place."""

    code: str
    severity: Severity
    message: str
    span: SourceSpan | None
    hint: str | None = None
    key: str | None = None
    args: tuple[tuple[str, object], ...] = ()
    hint_key: str | None = None
    hint_args: tuple = ()

    def __post_init__(self) -> None:
        _check_code(self.code, self.severity)  # every code is registered (tildeling.core.codes)

    def text(self, lang: str = "nb") -> str:
        """The message in ``lang`` (``nb``, ``nn`` or ``en``); ``message`` if it has no key."""
        if self.key is None:
            return localize(self.message, lang)  # a keyed message is shown in ``lang`` too
        return render(self.key, lang, self.args)

    def hint_text(self, lang: str = "nb") -> str | None:
        if self.hint_key is None:
            return self.hint
        return render(self.hint_key, lang, self.hint_args)

    def sort_key(self) -> tuple:
        if self.span is None:
            return ("", 0, 0, _SEVERITY_ORDER[self.severity], self.code, self.message)
        return (self.span.file, self.span.line, self.span.column,
                _SEVERITY_ORDER[self.severity], self.code, self.message)

    def to_json(self, lang: str = "nb") -> dict:
        out: dict = {"code": self.code, "severity": self.severity, "message": self.text(lang)}
        if self.span is not None:
            out.update(file=self.span.file, line=self.span.line, column=self.span.column)
        hint = self.hint_text(lang)
        if hint:
            out["hint"] = hint
        return out


def _pairs(args) -> tuple:
    if args is None:
        return ()
    if isinstance(args, dict):
        return tuple(args.items())
    return tuple(args)


def make(code: str, severity: Severity, key: str, span: SourceSpan | None, *,
         hint_key: str | Phrase | None = None, hint_args=None, **args) -> Diagnostic:
    """A diagnostic whose text comes from the catalogue; ``message``/``hint`` are bokmål.

    ``hint_key`` may also be a ready :class:`~tildeling.i18n.diagnostic_messages.Phrase`."""
    if isinstance(hint_key, Phrase):
        hint_key, hint_args = hint_key.key, hint_key.args  # type: ignore[attr-defined]  # mypy narrows hint_key to str mid-assignment
    return _build(code, severity, key, tuple(args.items()), span, hint_key, _pairs(hint_args))


def _build(code, severity, key, pairs, span, hint_key, hpairs) -> Diagnostic:
    return Diagnostic(code, severity, render(key, "nb", pairs), span,
                      render(hint_key, "nb", hpairs) if hint_key else None,
                      key, pairs, hint_key, hpairs)


def from_phrase(code: str, severity: Severity, message: Phrase, span: SourceSpan | None,
                hint: Phrase | None = None) -> Diagnostic:
    """:func:`make` for a message already held as a :class:`Phrase`."""
    return _build(code, severity, message.key, message.args, span,
                  hint.key if hint else None, hint.args if hint else ())


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
    import difflib  # only for a misspelt name (cold start)

    cands = sorted(set(candidates))
    found = difflib.get_close_matches(name, cands, n=n, cutoff=0.6 if len(name) > 3 else 0.5)
    if not found and "." in name:
        # Compare the last path segment only: "funksjon.husarbied" vs "husarbeid".
        tail = name.rsplit(".", 1)[1]
        by_tail = {c.rsplit(".", 1)[-1]: c for c in cands}
        found = [by_tail[t] for t in difflib.get_close_matches(tail, list(by_tail), n=n, cutoff=0.7)]
    return found


SNIPPET_WIDTH = 120


def caret_snippet(span: SourceSpan, text: str | None, width: int = SNIPPET_WIDTH) -> str:
    """The source line with a caret under the column (plain text; styling is the renderer's).

    Never more than two lines of at most about ``width`` characters: a long line is cut to
    a window around the column, marked with «…».

    >>> print(caret_snippet(SourceSpan("f", 1, 5, 1, 9), "a = fooo"))
       1 | a = fooo
         |     ^^^^
    >>> s = caret_snippet(SourceSpan("f", 1, 300, 1, 5000), "x" * 10_000)
    >>> [len(line) for line in s.splitlines()]
    [129, 128]
    """
    if text is None or span.line < 1:
        return ""
    lines = text.splitlines()  # the text is bounded: files over the size limit are never read
    if span.line > len(lines):
        return ""
    src = lines[span.line - 1].expandtabs(1)
    caret_width = 1
    if span.end_line == span.line and span.end_column > span.column:
        caret_width = span.end_column - span.column
    caret_width = max(1, min(caret_width, max(1, len(src) - span.column + 1)))
    column = span.column
    if len(src) > width:  # a window of ``width`` characters that starts a little before the column
        start = max(0, min(column - 1 - width // 4, len(src) - width))
        src = ("…" if start else "") + src[start:start + width] + ("…" if start + width < len(src) else "")
        column = column - start + (1 if start else 0)
        caret_width = max(1, min(caret_width, width - (column - 1) + (1 if start else 0)))
    num = f"{span.line:>4}"
    pad = " " * len(num)
    return f"{num} | {src}\n{pad} | {' ' * (column - 1)}{'^' * caret_width}"

