"""``tildeling harmonise``: every case of a merged municipality under the legacy rule set of its
own former municipality and under the harmonised set, counted per legacy municipality and
service (docs/harmonisering.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _usage, app, format_option, rules_dir_option
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.reports.inputs import skipped_text

FORMATS = ("text", "json", "markdown", "csv", "parquet", "html")
BINARY = ("parquet",)  # written to --output only


def render(data: dict, fmt: str, lang: str) -> str:
    """The report ``data`` (its JSON) in a text format. Markdown, CSV and HTML come from
    :mod:`tildeling.reports.harmonise_report`, imported only when asked for."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "text":
        from tildeling.reports.harmonise_text import to_text
        return to_text(data, lang)
    report = _report_module(fmt)
    if fmt == "markdown":
        return report.to_markdown(data, lang)
    if fmt == "csv":
        return report.to_csv(data)
    return report.to_html(data, lang)


def _report_module(fmt: str):
    from tildeling.reports import harmonise_report  # only for the formats it renders (cold start)

    return harmonise_report


@app.command("harmonise")
def harmonise_command(
    merger: str = typer.Argument(..., metavar="MERGER",
                                 help="The merged municipality: its harmonised rule set's id or its name "
                                      "(drammen, alver)."),
    more_cases: Optional[List[Path]] = typer.Argument(None, metavar="PATH", show_default=False,
                                                      help="More case files or directories (--cases a b c)."),
    cases: List[Path] = typer.Option(..., "--cases", help="Case files, directories, JSON Lines or Parquet "
                                                          "(may be repeated)."),
    fmt: str = format_option(*FORMATS),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file instead of stdout."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help="Exit 1 when any assessment changed."),
    show_facts: bool = typer.Option(False, "--show-facts", help="Include fact values (health data) in the causes."),
    include_personal_data: bool = typer.Option(False, "--include-personal-data",
                                               help="Include fields that may identify a person (description)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Worker processes (default: one per core; 1 = this process only)."),
    max_changes: int = typer.Option(10_000, "--max-changes", min=0,
                                    help="List at most this many changed assessments per legacy municipality (and "
                                         "not-covered cases and dates outside validity); the rest are counted."),
    rules_dir: Optional[Path] = rules_dir_option(),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
) -> None:
    """Each case under its former municipality's legacy rule set and under the harmonised set:
    who gains, who loses, and why, per legacy municipality and service.

    Exit: 0 done (1 with --fail-on-change when any assessment changed); 1 invalid input (the
    report is written all the same); 2 usage error."""
    from tildeling.cli.progress import corpus_progress
    from tildeling.compare.harmonise import merger_for, run_harmonise
    from tildeling.compare.workers import default_workers
    from tildeling.corpus.read import iter_sources
    try:
        if fmt in BINARY and output is None:
            raise UsageError(keyed("harmonise.needs_output", format=fmt))
        if fmt not in ("text", "json"):
            _report_module(fmt)  # before the run: a missing renderer is a usage error, not a lost hour
        engine = Engine(rules_dir)
        merger_for(engine, merger)
        sources = iter_sources(list(cases) + list(more_cases or []))
    except UsageError as exc:
        _usage(exc, lang.value)
    with corpus_progress(lang.value) as progress:
        report = run_harmonise(engine, merger, sources, lang=lang.value, show_facts=show_facts,
                               include_personal_data=include_personal_data, workers=workers or default_workers(),
                               max_changes=max_changes, progress=progress)
    data = report.to_json()
    try:
        if fmt in BINARY:
            assert output is not None  # checked above
            _report_module(fmt).write_parquet(data, output)
        else:
            text = render(data, fmt, lang.value)
            if output is not None:
                with open(output, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            else:
                sys.stdout.write(text)
                sys.stdout.flush()
    except UsageError as exc:
        _usage(exc, lang.value)
    except OSError as exc:
        _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror), lang.value))
        raise typer.Exit(1)
    _err(skipped_text(report.skipped, lang.value))
    severity = render_message("severity.error", lang.value)
    for e in report.errors + report.rule_set_errors:
        where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
        _err(f"{where}: {severity}[{e['code']}]: {e['message']}")
    _finish(report.tally, lang.value, to_stdout=(fmt == "text" and output is None))
    if report.errors:
        raise typer.Exit(1)
    raise typer.Exit(1 if fail_on_change and report.changed else 0)
