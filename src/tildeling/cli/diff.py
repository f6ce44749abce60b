"""``tildeling diff``: a corpus under two rule sets, and what changes and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _parse_date, _usage, app, rules_dir_option
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
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Worker processes (default: one per core; 1 = this process only)."),
    max_changes: int = typer.Option(10_000, "--max-changes", min=0,
                                    help="List at most this many changed services with their causes (the rest "
                                         "are counted, by cause); 0 lists none."),
) -> None:
    """Evaluate the cases under two rule sets and report what changes, and why.

    Exit: 0 done (1 with --fail-on-change when anything changed); 1 invalid input (the report
    is written all the same, with every failed input in its error section); 2 usage error."""
    from tildeling.cli.progress import corpus_progress
    from tildeling.compare.diff import parse_spec, run_diff
    from tildeling.compare.workers import default_workers
    from tildeling.corpus.read import iter_sources
    from tildeling.reports.diff_report import FORMATS, write
    try:
        if fmt not in FORMATS:
            raise UsageError(keyed("error.unknown_format", format=fmt, formats=", ".join(FORMATS)))
        day = _parse_date(as_of)
        engine = Engine(rules_dir)
        sources = iter_sources(list(cases) + list(more_cases or []))
        old_spec, new_spec = parse_spec(engine, old), parse_spec(engine, new)
    except UsageError as exc:
        _usage(exc, lang.value)
    try:
        with corpus_progress(lang.value) as progress:
            report = run_diff(engine, old_spec, new_spec, sources, as_of=day, lang=lang.value, show_facts=show_facts,
                              workers=workers or default_workers(), max_changes=max_changes, progress=progress)
    except UsageError as exc:
        _usage(exc, lang.value)
    if output is not None:
        try:
            with open(output, "w", encoding="utf-8", newline="") as f:
                write(report, fmt, f)
        except OSError as exc:
            _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror), lang.value))
            raise typer.Exit(1)
    else:
        write(report, fmt, sys.stdout)
        sys.stdout.flush()
    _err(skipped_text(report.skipped, lang.value))
    severity = render_message("severity.error", lang.value)
    for e in report.errors + report.rule_set_errors:
        where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
        _err(f"{where}: {severity}[{e['code']}]: {e['message']}")
    if output is not None or fmt != "text":
        _finish(report.tally, lang.value)  # the text report on stdout has the line already
    if report.errors:
        raise typer.Exit(1)
    changed = report.counts.changed
    report.close()
    raise typer.Exit(1 if fail_on_change and changed else 0)
