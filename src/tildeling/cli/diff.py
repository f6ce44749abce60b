"""``tildeling diff``: a corpus under two rule sets, and what changes and why."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _out, _parse_date, _usage, app, rules_dir_option
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.reports.inputs import skipped_text
from tildeling.i18n.diagnostic_messages import render as render_message


@app.command("diff")
def diff_command(
    old: str = typer.Argument(..., metavar="OLD",
                              help="Old rule set: a file, a rule-set id, or «auto» (the one each case resolves to)."),
    new: str = typer.Argument(..., metavar="NEW", help="New rule set: a file, a rule-set id, or «auto»."),
    more_cases: Optional[List[Path]] = typer.Argument(None, metavar="PATH", show_default=False,
                                                      help="More case files or directories (--cases a b c)."),
    cases: List[Path] = typer.Option(..., "--cases", help="Case files or directories (may be repeated)."),
    fmt: str = typer.Option("text", "--format", help="text, json, csv, markdown or html."),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file instead of stdout."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help="Exit 1 when any outcome changed."),
    rules_dir: Optional[Path] = rules_dir_option(),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Assess every case as of this date (YYYY-MM-DD)."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
    show_facts: bool = typer.Option(False, "--show-facts", help="Include fact values (health data) in the report."),
) -> None:
    """Evaluate the cases under two rule sets and report what changes, and why.

    Exit: 0 done (1 with --fail-on-change when anything changed); 1 invalid input (the report
    is written all the same, with every failed input in its error section); 2 usage error."""
    from tildeling.compare.diff import collect_files, parse_spec, run_diff
    from tildeling.reports.diff_report import FORMATS, render
    try:
        if fmt not in FORMATS:
            raise UsageError(keyed("error.unknown_format", format=fmt, formats=", ".join(FORMATS)))
        day = _parse_date(as_of)
        engine = Engine(rules_dir)
        files = collect_files(list(cases) + list(more_cases or []))
        old_spec, new_spec = parse_spec(engine, old), parse_spec(engine, new)
    except UsageError as exc:
        _usage(exc, lang.value)
    try:
        report = run_diff(engine, old_spec, new_spec, files, as_of=day, lang=lang.value, show_facts=show_facts)
    except UsageError as exc:
        _usage(exc, lang.value)
    text = render(report, fmt)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror), lang.value))
            raise typer.Exit(1)
    else:
        _out(text)
    _err(skipped_text(report.skipped, lang.value))
    severity = render_message("severity.error", lang.value)
    for e in report.errors + report.rule_set_errors:
        where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
        _err(f"{where}: {severity}[{e['code']}]: {e['message']}")
    if output is not None or fmt != "text":
        _finish(report.tally, lang.value)  # the text report on stdout has the line already
    if report.errors:
        raise typer.Exit(1)
    raise typer.Exit(1 if fail_on_change and report.changes else 0)
