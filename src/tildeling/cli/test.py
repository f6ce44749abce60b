"""``tildeling test``: the cases that carry ``expect:``, against their rule sets."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _out, _usage, app
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.files.discover import discover


@app.command()
def test(
    paths: Optional[List[Path]] = typer.Argument(None, help="Case files or directories (default: cases/)."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, ./rules, or the packaged ones)."),
    coverage: bool = typer.Option(False, "--coverage", help="Report branches, outcomes and steps that no case reaches."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every passing case too."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en (the language of the report)."),
) -> None:
    """Run the cases that carry expect: against their rule sets. Last line: «N passed, N failed».

    A broken input is a failed test; the line before the last counts every input read."""
    from tildeling.ruletest.runner import format_report, run_cases
    try:
        engine = Engine(rules_dir)
    except UsageError as exc:
        _usage(exc, lang.value)
    report = run_cases(engine, discover(paths or [Path("cases")]), lang.value)
    _out(format_report(report, coverage=coverage, verbose=verbose, engine=engine, lang=lang.value))
    raise typer.Exit(0 if report.failed == 0 else 1)
