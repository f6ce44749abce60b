"""The error section and the count line of every command that reads several inputs.

Each failed input is listed with its file, code and position (line:column when known) and
its message, never with a line of the file: a case file's lines hold health data. Invalid
rule sets the cases needed are listed once each, with their diagnostics and source lines
(rule files are not health data). The count line ``lest N = ferdig N + feilet N`` holds for
every input the user named or a folder holds; a file that is plainly not a case (a service
map) is skipped, named, and counted: ``lest N = ferdig N + hoppet over N + feilet N``.
"""

from __future__ import annotations

from typing import Iterable

from tildeling.core.diagnostics import Diagnostic
from tildeling.files.discover import InputFailure, Tally
from tildeling.rules.cases import SkippedInput
from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.render import format_diagnostic, format_diagnostics


def tally_line(tally: Tally, lang: str = "nb") -> str:
    """The count line, with the plural form of the language.

    >>> tally_line(Tally(2, 1), "en")
    'read 3 files = done 2 + failed 1'
    >>> tally_line(Tally(2, 0, 1), "nb")
    'lest 3 filer = ferdig 2 + hoppet over 1 + feilet 0'

    When some inputs are records of a corpus (lines of a JSON Lines file, rows of a Parquet
    file), the inputs are counted as cases, not files:

    >>> tally_line(Tally(1, 1, records=True), "nn")
    'lese 2 saker = ferdig 1 + feila 1'
    """
    key = "inputs.tally_records" if tally.records else "inputs.tally"
    if tally.skipped:
        return msg_n(key + "_skipped", tally.read, lang, read=tally.read, done=tally.done,
                     skipped=tally.skipped, failed=tally.failed)
    return msg_n(key, tally.read, lang, read=tally.read, done=tally.done, failed=tally.failed)


def skipped_text(skipped: Iterable[SkippedInput], lang: str = "nb") -> str:
    """One line per skipped input: ``file: hoppet over: filen er et tjenestekart, ikke en sak``."""
    return "".join(f"{s.file}: {s.text(lang)}\n" for s in skipped)


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


__all__ = ["tally_line", "skipped_text", "failure_text", "failure_json", "error_section"]
