"""The error section and the count line of every command that reads several inputs.

Each failed input is listed with its file, code and position (line:column when known) and
its message, never with a line of the file: a case file's lines hold health data. Invalid
rule sets the cases needed are listed once each, with their diagnostics and source lines
(rule files are not health data). The count line ``lest N = ferdig N + feilet N`` holds for
every input the user named or a folder holds.
"""

from __future__ import annotations

from typing import Iterable

from tildeling.core.diagnostics import Diagnostic
from tildeling.files.discover import InputFailure, Tally
from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.render import format_diagnostic, format_diagnostics


def tally_line(tally: Tally, lang: str = "nb") -> str:
    """The count line, with the plural form of the language.

    >>> tally_line(Tally(2, 1), "en")
    'read 3 files = done 2 + failed 1'
    """
    return msg_n("inputs.tally", tally.read, lang, read=tally.read, done=tally.done, failed=tally.failed)


def failure_text(f: InputFailure, lang: str = "nb", *, source: bool = False) -> str:
    """The diagnostics of one failed input; one without a position is shown at the file.
    ``source``: show the file's lines under each (never for a case: they are health data)."""
    return "\n".join((f"{f.file}: " if d.span is None else "") + format_diagnostic(d, lang, source=source)
                     for d in f.diagnostics)


def failure_json(f: InputFailure, lang: str = "nb") -> list[dict]:
    """One entry per diagnostic: file, line, column, code, severity, message (and hint)."""
    out = []
    for d in f.diagnostics:
        item = {"file": f.file, "line": None, "column": None, **d.to_json(lang)}
        out.append(item)
    return out


def error_section(failures: Iterable[InputFailure], broken: Iterable, lang: str = "nb") -> str:
    """Every failed input, then every invalid rule set (``path``, ``diagnostics``) once."""
    failures = sorted(failures, key=lambda f: f.file)
    broken = list(broken)
    lines: list[str] = []
    if failures:
        lines.append(msg("inputs.failed_title", lang, n=len(failures)))
        lines += [failure_text(f, lang) for f in failures]
    if broken:
        lines.append(msg("inputs.rule_sets_title", lang, n=len(broken)))
        for b in broken:
            lines.append(format_diagnostics(_errors_first(b.diagnostics), lang) or f"{b.path}: {b.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def _errors_first(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.severity != "error", d.sort_key()))


__all__ = ["tally_line", "failure_text", "failure_json", "error_section"]
